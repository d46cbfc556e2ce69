// Registry credentials: where build engineers already keep them, found in the order of
// credentials/lookup-order.ts, and the --username/--password-stdin ones for one registry.
// retag stores none itself. Every secret is wrapped in Secret at once (secret.ts).

import { authFileStore } from './credentials/file-store.js';
import { credentialSources, type LookupOrderOptions } from './credentials/lookup-order.js';
import type { CredentialStore } from './credentials/types.js';

export type { Credential, CredentialLookup, CredentialStore } from './credentials/types.js';
export { explicitStore } from './credentials/explicit.js';
export { authFileStore, helperServerUrl } from './credentials/file-store.js';
export { credentialSources, type CredentialSource, type LookupOrderOptions } from './credentials/lookup-order.js';
export { AuthFileError, readAuthFile } from './credentials/auth-file.js';
export { normaliseRegistry, sameRegistry } from './credentials/key-match.js';

/**
 * The first store that has a credential wins; `searched` lists every place asked. Files are not
 * merged: as in containers/image, the first file with an entry for the image is the one used.
 */
export function chainStores(stores: CredentialStore[]): CredentialStore {
  return {
    async lookup(registry, repository) {
      const searched: string[] = [];
      for (const store of stores) {
        const found = await store.lookup(registry, repository);
        searched.push(...found.searched);
        if (found.credential) return { ...found, searched };
      }
      return { searched };
    },
  };
}

/** Every auth file of the lookup order, as one store. */
export function defaultCredentialStore(options: LookupOrderOptions): CredentialStore {
  return chainStores(credentialSources(options).map((source) => authFileStore(source, options.env)));
}
