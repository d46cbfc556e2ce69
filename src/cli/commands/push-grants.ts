// No pulls that cannot lead to a push (issue 10). With token auth, the token a run fetches anyway
// (pull,push, a dry-run's too) says in its `access` claim what was granted. A repository whose
// token lacks push gets one message, and its images go to the plan with `pushDenied`: HEADs still
// tell which tags exist, but apply reads no manifest (Docker Hub counts each GET as a pull) and
// writes none; a dry-run reports them `pending` with the message as a warning. Without even pull,
// its images fail before any request (nothing could be asked about its tags). Registries without
// tokens, or with opaque ones, are left to the run (a refusal then comes from the registry itself).
// A dry-run on a token service that refuses a pull,push token outright went on with pull alone
// (Authenticator pushOptional): its images say that push was not checked.

import { RegistryError, type RegistrySession } from '../../registry/index.js';
import type { RetagTarget } from '../../retag/index.js';

export interface GrantVerdict {
  /** the image's error, naming the account and the repository */
  message: string;
  /** not even pull: nothing can be asked about the repository's tags */
  noPull: boolean;
  /** said once on stderr (a refused push); a registry that did not answer is in each image's report only */
  announce: boolean;
  /** a dry-run's note, not a refusal: the token service refused push, so whether it would be granted is unknown */
  unchecked?: boolean;
}

const repositoryKey = (target: Pick<RetagTarget, 'registry' | 'repository'>) => `${target.registry}/${target.repository}`;

/**
 * Each repository of the run at most once: the verdicts of those whose token lacks push, by
 * `registry/repository`. A token that cannot be had is no verdict: the run reports that refusal.
 */
export async function checkPushGrants(
  session: RegistrySession,
  targets: readonly RetagTarget[],
  options: { dryRun: boolean; signal?: AbortSignal },
): Promise<Map<string, GrantVerdict>> {
  const { dryRun, signal } = options;
  const verdicts = new Map<string, GrantVerdict>();
  /** registries whose push could not be checked, said once each */
  const unchecked = new Set<string>();
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
    const refusal = session.client.pushUnchecked(target.registry);
    if (refusal) {
      verdicts.set(key, { noPull: false, unchecked: true, announce: !unchecked.has(target.registry), message: uncheckedMessage(target.registry, refusal.status) });
      unchecked.add(target.registry);
      continue;
    }
    if (granted === undefined || granted.includes('push') || granted.includes('*')) continue;
    const noPull = !granted.includes('pull');
    const account = await session.client.speaksAs(target);
    verdicts.set(key, { noPull, announce: true, message: deniedMessage(account, key, target.registry, granted, noPull, dryRun) });
  }
  return verdicts;
}

const USE_PUSH_CREDENTIALS = (registry: string) => `use credentials that may push (docker login ${registry}, --authfile, or --username/--password-stdin)`;

function deniedMessage(account: string, key: string, registry: string, granted: string[], noPull: boolean, dryRun: boolean): string {
  const what = granted.length === 0 ? 'no access' : `only ${granted.join(',')}`;
  const outcome = !dryRun
    ? `nothing was ${noPull ? 'asked' : 'read'} or written for this repository`
    : noPull
      ? 'the dry-run cannot look at its tags, so nothing was asked'
      : 'apply with these credentials would fail its new tags';
  return `${account} may not push to ${key} (its token grants ${what}); ${outcome}: ${USE_PUSH_CREDENTIALS(registry)}`;
}

function uncheckedMessage(registry: string, status: number): string {
  return (
    `${registry}'s token service refused a token with push (${status}), so this dry-run went on with pull alone ` +
    'and could not check whether the credentials may push; apply will tell'
  );
}

export function verdictFor(verdicts: Map<string, GrantVerdict>, target: RetagTarget): GrantVerdict | undefined {
  return verdicts.get(repositoryKey(target));
}
