// What a run's results add up to, and whether it succeeded: the CLI's exit code comes from here.

import type { ImageResult, RunResult, Summary } from './types.js';

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
