// The shapes every credential store shares, in a file of their own so that the stores and the
// docker credential-helper client can both use them without importing each other.

import type { Secret } from '../secret.js';

export type Credential =
  | { kind: 'basic'; username: string; password: Secret }
  /** Docker's `identitytoken`: an OAuth2 refresh token for the token realm. */
  | { kind: 'identity-token'; username?: string; token: Secret };

export interface CredentialLookup {
  credential?: Credential;
  /** where the credential came from, for messages: "~/.docker/config.json (auths 127.0.0.1:5000)" */
  source?: string;
  /** every place looked at, in order, for the "requires credentials and none were found" message */
  searched: string[];
}

export interface CredentialStore {
  /**
   * The credential for an image's registry (`docker.io`, `quay.io`, `127.0.0.1:5000`) and, when
   * known, its repository (`starlingx/k8s-cni-sriov`): auth files may key a credential by
   * `host/namespace[/repo]` (containers-auth.json(5)), the most specific key winning.
   */
  lookup(registry: string, repository?: string): Promise<CredentialLookup>;
}
