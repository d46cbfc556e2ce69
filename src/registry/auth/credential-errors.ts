// The two messages a build engineer gets about credentials: none found (where retag looked), or
// refused (which credential, and how to log in again). Neither ever carries a secret.

import type { CredentialLookup } from '../credentials.js';
import { RegistryError } from '../errors.js';

export function missingCredentials(registry: string, lookup: CredentialLookup): RegistryError {
  const where = lookup.searched.length > 0 ? lookup.searched.join(', ') : 'nowhere';
  return new RegistryError(
    `${registry} requires credentials and none were found (looked in: ${where}); ` +
      `log in with \`docker login ${registry}\` or \`skopeo login ${registry}\`, or pass --authfile FILE, or --username NAME --password-stdin --registry ${registry}`,
    { code: 'UNAUTHORIZED', status: 401, registry },
  );
}

export function refusedCredentials(registry: string, lookup: CredentialLookup, status: number): RegistryError {
  return new RegistryError(
    `${registry} refused the credentials from ${lookup.source ?? 'the configured store'} (${status}); ` +
      `check the user name and password or token, or log in again with \`docker login ${registry}\``,
    { code: 'UNAUTHORIZED', status, registry },
  );
}
