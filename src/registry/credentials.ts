// Registry credentials: where build engineers already keep them, found in the order of
// credentials/lookup-order.ts, and the --username/--password-stdin ones for one registry.
// retag stores none itself. Every secret is wrapped in Secret at once (secret.ts).

import { readAuthFile } from './credentials/auth-file.js';
import { authFileStore } from './credentials/file-store.js';
import { normaliseRegistry, parseAuthKey } from './credentials/key-match.js';
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

/**
 * Whether any auth file keys a credential by `host/namespace` for one of these registries. Then
 * two repositories of a registry may have different accounts, and a token asked for several
 * repositories at once (with the first one's credential) could serve another account's
 * repository: the run asks a token per repository instead. A file that cannot be read says so
 * when its credentials are looked up, not here.
 */
export async function hasRepositoryKeys(options: LookupOrderOptions, registries: readonly string[]): Promise<boolean> {
  const wanted = new Set(registries.map(normaliseRegistry));
  for (const source of credentialSources(options)) {
    if (source.format === 'legacy') continue;
    const file = await readAuthFile(source.path, source.label, source.format).catch(() => undefined);
    for (const key of Object.keys(file?.auths ?? {})) {
      const parsed = parseAuthKey(key);
      if (parsed && parsed.path !== '' && wanted.has(parsed.registry)) return true;
    }
  }
  return false;
}

/** Every auth file of the lookup order, as one store. */
export function defaultCredentialStore(options: LookupOrderOptions): CredentialStore {
  return chainStores(credentialSources(options).map((source) => authFileStore(source, options.env)));
}
