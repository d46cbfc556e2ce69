// JSON reports: one shape per command whatever happened, each with retag's version and the
// report's schemaVersion, so a CI job can read `.summary` or `.problems` without guessing.
import type { ConfigProblem, LoadedTagFiles } from '../config/index.js';
import { summarise } from '../retag/summary.js';
import type { RunResult } from '../retag/types.js';
import { reportHeader as header } from './version.js';

function json(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function renderRunJson(run: RunResult, problems: ConfigProblem[] = []): string {
  return json({
    ...header('apply'),
    dryRun: run.dryRun,
    ...(run.interrupted ? { interrupted: true } : {}),
    images: run.results.map((r) => ({
      name: r.target.name,
      tag: r.target.tag,
      source: r.target.source,
      status: r.status,
      digest: r.digest ?? null,
      ...(r.existingDigest ? { existingDigest: r.existingDigest } : {}),
      ...(r.mediaType ? { mediaType: r.mediaType } : {}),
      ...(r.error ? { error: r.error } : {}),
    })),
    summary: run.summary,
    problems,
  });
}

/** apply on invalid tag files: apply's shape, no image run, the problems listed. */
export function renderApplyProblemsJson(loaded: LoadedTagFiles, dryRun: boolean): string {
  return renderRunJson({ dryRun, results: [], summary: summarise([]), interrupted: false }, loaded.problems);
}

export function renderValidationJson(loaded: LoadedTagFiles): string {
  return json({
    ...header('validate'),
    valid: loaded.problems.length === 0,
    files: loaded.files,
    images: loaded.entries.map((e) => ({
      name: e.name,
      tag: e.tag,
      source: e.source,
      ...(e.srcRef ? { srcRef: e.srcRef } : {}),
      ...(e.srcDigest ? { srcDigest: e.srcDigest } : {}),
      registry: e.registry,
      repository: e.repository,
      file: e.location.file,
      line: e.location.line,
      ...(e.alsoAt.length > 0 ? { alsoAt: e.alsoAt } : {}),
    })),
    problems: loaded.problems,
  });
}
