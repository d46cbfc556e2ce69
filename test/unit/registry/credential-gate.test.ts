// The credential gate alone (issue 12): until one answer accepted a credential, requests carrying
// it go out one at a time; a refusal is remembered and thrown to every waiting and later request.

import { describe, expect, it } from 'vitest';
import { CredentialGate, type Outcome, type Verdict } from '../../../src/registry/auth/credential-gate.js';
import { RegistryError } from '../../../src/registry/errors.js';

const REFUSED = new RegistryError('r.example refused the credentials', { code: 'UNAUTHORIZED', status: 401, registry: 'r.example' });
const judge = (outcome: Outcome<number>): Verdict => {
  if ('error' in outcome) return 'no-verdict';
  return outcome.value === 401 ? { refused: REFUSED } : 'accepted';
};

/** A request that answers `status` after a few ms, counting how many were in flight at once. */
function server(status: () => number) {
  const state = { sent: 0, inFlight: 0, mostInFlight: 0 };
  const send = async (): Promise<number> => {
    state.sent += 1;
    state.inFlight += 1;
    state.mostInFlight = Math.max(state.mostInFlight, state.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    state.inFlight -= 1;
    return status();
  };
  return { state, send };
}

describe('CredentialGate', () => {
  it('a refused credential: one request sent, 16 callers all get the refusal, later ones send nothing', async () => {
    const gate = new CredentialGate();
    const { state, send } = server(() => 401);
    const results = await Promise.allSettled(Array.from({ length: 16 }, () => gate.through('r|file', send, judge)));
    expect(state.sent).toBe(1);
    expect(results.every((r) => r.status === 'rejected' && r.reason === REFUSED)).toBe(true);
    await expect(gate.through('r|file', send, judge)).rejects.toBe(REFUSED);
    expect(state.sent).toBe(1);
    expect(gate.refusal('r|file')).toBe(REFUSED);
  });

  it('an accepted credential: the first goes alone, then the others all at once', async () => {
    const gate = new CredentialGate();
    const { state, send } = server(() => 200);
    await Promise.all(Array.from({ length: 16 }, () => gate.through('r|file', send, judge)));
    expect(state.sent).toBe(16);
    expect(state.mostInFlight).toBe(15); // the first alone, the 15 waiting together
  });

  it('no verdict (a network failure): the next caller tries, one at a time until one answers', async () => {
    const gate = new CredentialGate();
    let calls = 0;
    const flaky = async (): Promise<number> => {
      calls += 1;
      if (calls <= 2) throw new Error('ECONNRESET');
      return 200;
    };
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => gate.through('r|file', flaky, judge)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
  });

  it('keys are separate: a refused credential leaves another alone; an accepted one is not judged again', async () => {
    const gate = new CredentialGate();
    await expect(gate.through('r|team-file', async () => 401, judge)).rejects.toBe(REFUSED);
    expect(await gate.through('r|file', async () => 200, judge)).toBe(200);
    // accepted once: a later 401 is about a repository, the caller's to report, not remembered
    expect(await gate.through('r|file', async () => 401, judge)).toBe(401);
    expect(gate.refusal('r|file')).toBeUndefined();
  });
});
