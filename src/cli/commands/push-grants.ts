// No pulls that cannot lead to a push (issue 10). With token auth, the token a run fetches anyway
// (pull,push, a dry-run's too) says in its `access` claim what was granted. A repository whose
// token lacks push gets one message, and its images go to the plan with `pushDenied`: HEADs still
// tell which tags exist, but apply reads no manifest (Docker Hub counts each GET as a pull) and
// writes none; a dry-run reports them `pending` with the message as a warning. Without even pull,
// its images fail before any request (nothing could be asked about its tags). Registries without
// tokens, or with opaque ones, are left to the run (a refusal then comes from the registry itself).
// A dry-run on a token service that refuses a pull,push token outright went on with pull alone
// (Authenticator pushOptional): its images say that push was not checked.

import pLimit from 'p-limit';
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
 * Each repository of the run at most once, `concurrency` at a time (the run's lanes: asked one
 * after another, a tag file of 200 repositories waited on 8 batched token requests in a row, or on
 * 200 with a token per repository): the verdicts of those whose token lacks push, by
 * `registry/repository`, in the tag files' order. A token that cannot be had is no verdict: the
 * run reports that refusal.
 */
export async function checkPushGrants(
  session: RegistrySession,
  targets: readonly RetagTarget[],
  options: { dryRun: boolean; concurrency: number; signal?: AbortSignal },
): Promise<Map<string, GrantVerdict>> {
  const { dryRun, signal } = options;
  const repositories = [...new Map(targets.map((target) => [repositoryKey(target), target])).values()];
  /** registries that did not answer: asked once, their images fail with that answer, as the run would */
  const silent = new Map<string, GrantVerdict>();

  const verdictOf = async (target: RetagTarget): Promise<GrantVerdict | undefined> => {
    const unreachable = silent.get(target.registry);
    if (unreachable) return unreachable;
    let granted: string[] | undefined;
    try {
      granted = await session.client.grantedActions(target, 'pull,push', signal);
    } catch (error) {
      // No answer at all (network, timeout, proxy): asking again per repository or once more in
      // the run would only repeat the wait (lanes already waiting share the registry's one ping).
      // Other refusals are left to the run to report.
      if (!(error instanceof RegistryError) || error.status !== 0) return undefined;
      const verdict = silent.get(target.registry) ?? { message: error.message, noPull: true, announce: false };
      silent.set(target.registry, verdict);
      return verdict;
    }
    const refusal = session.client.pushUnchecked(target.registry);
    if (refusal) return { noPull: false, unchecked: true, announce: false, message: uncheckedMessage(target.registry, refusal.status) };
    if (granted === undefined || granted.includes('push') || granted.includes('*')) return undefined;
    const noPull = !granted.includes('pull');
    const account = await session.client.speaksAs(target);
    return { noPull, announce: true, message: deniedMessage(account, repositoryKey(target), target.registry, granted, noPull, dryRun) };
  };

  const limit = pLimit(Math.max(1, options.concurrency));
  const found = await Promise.all(repositories.map((target) => limit(() => verdictOf(target))));
  const verdicts = new Map<string, GrantVerdict>();
  /** registries whose push could not be checked: said once each, at the first of their repositories */
  const unchecked = new Set<string>();
  repositories.forEach((target, index) => {
    const verdict = found[index];
    if (verdict === undefined) return;
    if (verdict.unchecked) {
      verdict.announce = !unchecked.has(target.registry);
      unchecked.add(target.registry);
    }
    verdicts.set(repositoryKey(target), verdict);
  });
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
