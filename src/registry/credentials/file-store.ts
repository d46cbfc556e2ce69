// One auth file as a credential store, read the way docker reads its config.json: a
// `credHelpers` entry for the registry wins, else the `credsStore` helper, else the best
// `auths` key (key-match.ts). A helper that has no credential for the registry ("credentials not
// found") passes on to the next place, so a half-migrated config still works. containers/image
// reads `credHelpers` the same way in its own auth.json; `credsStore` is honoured there too.

import { RegistryError } from '../errors.js';
import { DOCKER_HUB, DOCKER_HUB_AUTH_KEY } from '../../image-name/index.js';
import { AuthFileError, credentialFromEntry, readAuthFile, type AuthFile } from './auth-file.js';
import { helperCredential } from './credential-helper.js';
import { helperFor, matchingAuthKeys, normaliseRegistry } from './key-match.js';
import type { CredentialSource } from './lookup-order.js';
import type { Credential, CredentialStore } from './types.js';

/** What a helper is handed: Docker Hub's legacy URL, or the host as the image names it. */
export function helperServerUrl(registry: string): string {
  return normaliseRegistry(registry) === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : registry;
}

/** The file as errors name it: its label, and the path when the label does not show it. */
function fileName(source: CredentialSource): string {
  return source.label.endsWith(source.path) ? source.label : `${source.label} (${source.path})`;
}

export function authFileStore(source: CredentialSource, env: NodeJS.ProcessEnv = process.env): CredentialStore {
  let loaded: Promise<AuthFile | undefined> | undefined;
  // helpers answer per registry: one run of each per registry, however many repositories ask
  const asked = new Map<string, Promise<Credential | undefined>>();
  const askHelper = (helper: string, key: string, registry: string) => {
    const id = `${helper}\n${normaliseRegistry(registry)}`;
    let answer = asked.get(id);
    if (!answer) {
      answer = helperCredential(helper, helperServerUrl(registry), registry, `${source.label} ${key}`, { env });
      asked.set(id, answer);
    }
    return answer;
  };
  return {
    async lookup(registry, repository) {
      const { label } = source;
      loaded ??= readAuthFile(source.path, fileName(source), source.format);
      let file: AuthFile | undefined;
      try {
        file = await loaded;
      } catch (error) {
        if (!(error instanceof AuthFileError)) throw error;
        throw new RegistryError(`${registry}: credentials file ${error.message}`, { code: 'UNAUTHORIZED', status: 0, registry });
      }
      if (!file) return { searched: [source.named ? `${label} (no such file: ${source.path})` : label] };

      const searched: string[] = [];
      const helpers: [string, string][] = [];
      const perRegistry = helperFor(file.credHelpers, registry);
      if (perRegistry) helpers.push([perRegistry, 'credHelpers']);
      if (file.credsStore) helpers.push([file.credsStore, 'credsStore']);
      for (const [helper, key] of helpers) {
        const where = `docker-credential-${helper} (${key} in ${label})`;
        searched.push(where);
        const credential = await askHelper(helper, key, registry);
        if (credential) return { credential, source: where, searched };
      }
      searched.push(helpers.length > 0 ? `${label} (auths)` : label);
      for (const key of matchingAuthKeys(Object.keys(file.auths), registry, repository, source.format === 'legacy')) {
        const credential = credentialFromEntry(file.auths[key]!);
        if (credential) return { credential, source: `${label} (auths "${key}")`, searched };
      }
      return { searched };
    },
  };
}
