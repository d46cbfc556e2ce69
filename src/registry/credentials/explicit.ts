// `--username NAME --password-stdin [--registry HOST[:PORT]]`: credentials for one registry.
// Any other registry of the run never sees them (issue 12: a second registry in the same tag
// file received the first one's Basic header); it goes on to the auth files instead.

import type { Secret } from '../secret.js';
import { sameRegistry } from './key-match.js';
import type { CredentialStore } from './types.js';

export function explicitStore(username: string, password: Secret, registry: string): CredentialStore {
  const label = `--username/--password-stdin (for ${registry})`;
  return {
    async lookup(asked) {
      if (!sameRegistry(asked, registry)) return { searched: [label] };
      return { credential: { kind: 'basic', username, password }, source: '--username/--password-stdin', searched: [label] };
    },
  };
}
