// Refused credentials are sent once per registry per run (issue 12). Docker Hub, and Harbor or
// Artifactory behind LDAP, count failed logins and lock the account after a few; a run of 60
// images 16 at a time must not be 16 failed logins.
//
// Until a credential has been accepted once, requests carrying it go out one at a time: the first
// goes alone and the others wait for its answer (a few ms). Accepted: from then on they all go at
// once. Refused: every waiting and later request fails with that same error, sending nothing.
// No verdict (a network failure, an outage): the next waiting request tries in turn.
// Keys are per credential (`registry|where it came from`): a refused `host/team` entry of an auth
// file leaves the `host` entry alone.

import type { RegistryError } from '../errors.js';

/** What one answer says about the credential it carried. */
export type Verdict = 'accepted' | 'no-verdict' | { refused: RegistryError };

export type Outcome<T> = { value: T } | { error: unknown };

export class CredentialGate {
  private readonly accepted = new Set<string>();
  private readonly refused = new Map<string, RegistryError>();
  /** the request testing a credential, settled when its answer is in */
  private readonly testing = new Map<string, Promise<void>>();

  /** The refusal remembered for a credential, if any. */
  refusal(key: string): RegistryError | undefined {
    return this.refused.get(key);
  }

  /**
   * Sends `attempt` under the gate of `key`; `judge` reads its outcome. A refused verdict throws
   * the refusal (also to the caller whose attempt it was).
   */
  async through<T>(key: string, attempt: () => Promise<T>, judge: (outcome: Outcome<T>) => Verdict): Promise<T> {
    for (;;) {
      const refusal = this.refused.get(key);
      if (refusal) throw refusal;
      if (this.accepted.has(key)) return this.judged(key, attempt, judge);
      const busy = this.testing.get(key);
      if (!busy) break;
      await busy; // its answer may settle the question; look again
    }
    const test = this.judged(key, attempt, judge);
    const settled = test.then(
      () => undefined,
      () => undefined,
    );
    this.testing.set(key, settled);
    void settled.then(() => {
      if (this.testing.get(key) === settled) this.testing.delete(key);
    });
    return test;
  }

  private async judged<T>(key: string, attempt: () => Promise<T>, judge: (outcome: Outcome<T>) => Verdict): Promise<T> {
    let outcome: Outcome<T>;
    try {
      outcome = { value: await attempt() };
    } catch (error) {
      outcome = { error };
    }
    // Once accepted, a credential stays accepted for the run: a later refusal is about one
    // repository or one token, not the password, and is the caller's to report.
    const verdict = this.accepted.has(key) ? 'no-verdict' : judge(outcome);
    if (verdict === 'accepted') this.accepted.add(key);
    else if (verdict !== 'no-verdict') {
      this.refused.set(key, verdict.refused);
      throw verdict.refused;
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }
}
