// Runs every image, `concurrency` at a time. One image's failure never stops the others; an
// abort (SIGINT/SIGTERM) starts no new image and reports the unstarted ones as not-started.

import pLimit from 'p-limit';
import { summarise } from './plan.js';
import { accessFor, retagImage, type ManifestRegistry } from './retag-image.js';
import type { ImageResult, RetagTarget, RunResult } from './types.js';

export interface RunOptions {
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

export async function runRetag(targets: RetagTarget[], registry: ManifestRegistry, options: RunOptions): Promise<RunResult> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const { signal } = options;
  registry.plan?.(
    targets.map((t) => ({ registry: t.registry, repository: t.repository })),
    accessFor(options.dryRun),
  );
  const results = await Promise.all(
    targets.map((target) =>
      limit(async (): Promise<ImageResult> => {
        if (signal?.aborted) {
          return { target, status: 'not-started' };
        }
        const result = await retagImage(target, registry, { dryRun: options.dryRun, repush: options.repush?.(target) ?? false, signal: options.requestSignal });
        options.onResult?.(result);
        return result;
      }),
    ),
  );
  return { dryRun: options.dryRun, results, summary: summarise(results), interrupted: signal?.aborted ?? false };
}
