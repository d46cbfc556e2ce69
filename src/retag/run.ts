// Runs every image, `concurrency` at a time. One image's failure never stops the others; an
// abort (SIGINT/SIGTERM) starts no new image and reports the unstarted ones as not-started.

import pLimit from 'p-limit';
import { RUN_ACCESS, retagImage, type ManifestRegistry } from './retag-image.js';
import { summarise } from './summary.js';
import type { ImageResult, RetagTarget, RunResult } from './types.js';

export interface RunOptions {
  /**
   * The credentials may not push to this image's repository (read before the run from the token's
   * access claim): the message, and whether even pull is missing (then no request is sent at all).
   * In a dry-run the message is the warning of its pending tags (also when push went unchecked).
   */
  pushDenied?: (target: RetagTarget) => { message: string; noPull: boolean } | undefined;
  dryRun: boolean;
  concurrency: number;
  /** once aborted, no new image starts; the ones under way go on */
  signal?: AbortSignal;
  /** aborts the requests of the images under way (the interrupt's grace period is over) */
  requestSignal?: AbortSignal;
  /** images named with --repush: an existing tag is moved to the source's digest */
  repush?: (target: RetagTarget) => boolean;
  /** called as each image finishes, for progress output */
  onResult?: (result: ImageResult) => void;
}

/**
 * What the finished images say about the ones to come: a rerun of a tag file finds its tags
 * existing, so apply then sends the source's HEAD with the target's (one round trip instead of
 * two); a run of new tags does not (HEAD, GET, PUT and nothing more). Undecided until the first
 * image whose target was looked at.
 */
class ExistenceGuess {
  private existed = 0;
  private missing = 0;

  record(result: ImageResult): void {
    if (result.existingDigest !== undefined || result.status === 'exists' || result.status === 'conflict' || result.status === 'updated') this.existed += 1;
    else if (result.status === 'created' || result.status === 'pending' || result.status === 'missing-source') this.missing += 1;
  }

  get likelyExists(): boolean | undefined {
    return this.existed + this.missing === 0 ? undefined : this.existed > this.missing;
  }
}

export async function runRetag(targets: RetagTarget[], registry: ManifestRegistry, options: RunOptions): Promise<RunResult> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const { signal } = options;
  const guess = new ExistenceGuess();
  registry.plan?.(
    targets.map((t) => ({ registry: t.registry, repository: t.repository })),
    RUN_ACCESS,
  );
  const results = await Promise.all(
    targets.map((target) =>
      limit(async (): Promise<ImageResult> => {
        if (signal?.aborted) {
          return { target, status: 'not-started' };
        }
        const denied = options.pushDenied?.(target);
        // without even pull, a dry-run could not look at the tags either: no request at all
        if (denied?.noPull) {
          const refused: ImageResult = { target, status: 'failed', error: denied.message };
          options.onResult?.(refused);
          return refused;
        }
        const result = await retagImage(target, registry, {
          // apply: no GET, failed; a dry-run: pending with the message as its warning
          ...(denied ? { pushDenied: denied.message } : {}),
          dryRun: options.dryRun,
          repush: options.repush?.(target) ?? false,
          likelyExists: guess.likelyExists,
          ...(target.srcDigest ? { srcDigest: target.srcDigest } : {}),
          signal: options.requestSignal,
        });
        guess.record(result);
        options.onResult?.(result);
        return result;
      }),
    ),
  );
  return { dryRun: options.dryRun, results, summary: summarise(results), interrupted: signal?.aborted ?? false };
}
