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

/**
 * A conflict on an image named with --repush: the tag is moved on purpose. A dry-run reports it
 * `pending` (it would be written) with the digest it points at now; apply GETs and PUTs the source.
 */
export function decideRepush(conflict: Decision, dryRun: boolean): Decision | 'move' {
  if (conflict.status !== 'conflict') return conflict;
  return dryRun ? { ...conflict, status: 'pending' } : 'move';
}

/** After the GET of a --repush source: the bytes may already be the tag's (a race), else it moved. */
export function decideMoved(existingDigest: string, sourceDigest: string): Decision {
  if (existingDigest === sourceDigest) return { status: 'exists', digest: sourceDigest };
  return { status: 'updated', digest: sourceDigest, existingDigest };
}

/** The target tag is missing (a 404, nothing else): a dry-run reports what apply would do. */
export function decideMissingTarget(source: Lookup, dryRun: boolean): Decision {
  if (!source.found) return { status: 'missing-source' };
  return { status: dryRun ? 'pending' : 'created', digest: source.digest };
}

export function summarise(results: ImageResult[]): Summary {
  const summary: Summary = { created: 0, updated: 0, pending: 0, exists: 0, conflict: 0, missingSource: 0, failed: 0, notStarted: 0 };
  for (const { status } of results) {
    if (status === 'missing-source') summary.missingSource += 1;
    else if (status === 'not-started') summary.notStarted += 1;
    else summary[status] += 1;
  }
  return summary;
}

/** Conflicts, missing sources and failures make a run unsuccessful; pending and updated do not. */
export function runSucceeded(run: Pick<RunResult, 'summary'>): boolean {
  const { conflict, missingSource, failed } = run.summary;
  return conflict + missingSource + failed === 0;
}

/** For --fail-on-pending: a dry-run in CI that must find nothing left to do. */
export function hasPending(run: Pick<RunResult, 'summary'>): boolean {
  return run.summary.pending > 0;
}
