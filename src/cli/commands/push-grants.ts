// No pulls that cannot lead to a push (issue 10). With token auth, the token apply fetches anyway
// (pull,push) says in its `access` claim what was granted. A repository whose token lacks push
// gets one message, and its images go to the plan with `pushDenied`: HEADs still tell which tags
// exist, but no manifest is read (Docker Hub counts each GET as a pull) and none written. Without
// even pull, its images fail before any request. Registries without tokens, or with opaque ones,
// are left to the run (a refusal then comes from the registry itself).

import { RegistryError, type RegistrySession } from '../../registry/index.js';
import type { RetagTarget } from '../../retag/index.js';

export interface GrantVerdict {
  /** the image's error, naming the account and the repository */
  message: string;
  /** not even pull: nothing can be asked about the repository's tags */
  noPull: boolean;
  /** said once on stderr (a refused push); a registry that did not answer is in each image's report only */
  announce: boolean;
}

const repositoryKey = (target: Pick<RetagTarget, 'registry' | 'repository'>) => `${target.registry}/${target.repository}`;

/**
 * Each repository of the run at most once: the verdicts of those whose token lacks push, by
 * `registry/repository`. A token that cannot be had is no verdict: the run reports that refusal.
 */
export async function checkPushGrants(session: RegistrySession, targets: readonly RetagTarget[], signal?: AbortSignal): Promise<Map<string, GrantVerdict>> {
  const verdicts = new Map<string, GrantVerdict>();
  const seen = new Set<string>();
  /** registries that did not answer: asked once, their images fail with that answer, as the run would */
  const silent = new Map<string, GrantVerdict>();
  for (const target of targets) {
    const key = repositoryKey(target);
    if (seen.has(key)) continue;
    seen.add(key);
    const unreachable = silent.get(target.registry);
    if (unreachable) {
      verdicts.set(key, unreachable);
      continue;
    }
    let granted: string[] | undefined;
    try {
      granted = await session.client.grantedActions(target, 'pull,push', signal);
    } catch (error) {
      // No answer at all (network, timeout, proxy): asking again per repository or once more in
      // the run would only repeat the wait. Other refusals are left to the run to report.
      if (error instanceof RegistryError && error.status === 0) {
        const verdict = { message: error.message, noPull: true, announce: false };
        silent.set(target.registry, verdict);
        verdicts.set(key, verdict);
      }
      continue;
    }
    if (granted === undefined || granted.includes('push') || granted.includes('*')) continue;
    const noPull = !granted.includes('pull');
    const account = await session.client.speaksAs(target);
    const what = granted.length === 0 ? 'no access' : `only ${granted.join(',')}`;
    verdicts.set(key, {
      noPull,
      announce: true,
      message:
        `${account} may not push to ${key} (its token grants ${what}); nothing was ${noPull ? 'asked' : 'read'} or written for this repository: ` +
        `use credentials that may push (docker login ${target.registry}, --authfile, or --username/--password-stdin)`,
    });
  }
  return verdicts;
}

export function verdictFor(verdicts: Map<string, GrantVerdict>, target: RetagTarget): GrantVerdict | undefined {
  return verdicts.get(repositoryKey(target));
}
