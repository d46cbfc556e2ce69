// The decisions of a retag, pure: registry answers in, a status out. The I/O that gathers the
// answers is in retag-image.ts; keeping the rules here makes every branch a table test.

import type { ImageStatus, RunResult, Summary, ImageResult } from './types.js';

export type Lookup = { found: true; digest: string } | { found: false };

export interface Decision {
  status: ImageStatus;
  digest?: string;
  existingDigest?: string;
}

/**
 * The target tag exists. Same digest as the source: nothing to do. Different: a conflict that is
 * reported, never overwritten (two release branches asking for one tag from different builds).
 */
export function decideExistingTarget(targetDigest: string, source: Lookup): Decision {
  if (!source.found) return { status: 'missing-source', existingDigest: targetDigest };
  if (source.digest === targetDigest) return { status: 'exists', digest: source.digest };
  return { status: 'conflict', digest: source.digest, existingDigest: targetDigest };
}

/** The target tag is missing (a 404, nothing else): a dry-run reports what apply would do. */
export function decideMissingTarget(source: Lookup, dryRun: boolean): Decision {
  if (!source.found) return { status: 'missing-source' };
  return { status: dryRun ? 'pending' : 'created', digest: source.digest };
}

export function summarise(results: ImageResult[]): Summary {
  const summary: Summary = { created: 0, pending: 0, exists: 0, conflict: 0, missingSource: 0, failed: 0 };
  for (const { status } of results) {
    if (status === 'missing-source') summary.missingSource += 1;
    else summary[status] += 1;
  }
  return summary;
}

/** Conflicts, missing sources and failures make a run unsuccessful; pending does not. */
export function runSucceeded(run: Pick<RunResult, 'summary'>): boolean {
  const { conflict, missingSource, failed } = run.summary;
  return conflict + missingSource + failed === 0;
}
