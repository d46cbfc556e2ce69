// Turning results into what a person or a CI job reads. The only module that formats output.

import type { ConfigProblem, LoadedTagFiles } from '../config/index.js';
import { formatProblem } from '../config/index.js';
import type { ImageResult, RunResult } from '../retag/types.js';

export type OutputFormat = 'text' | 'json';

function shortDigest(digest: string | undefined): string {
  if (!digest) return '-';
  const [algorithm, hex] = digest.split(':');
  return `${algorithm}:${(hex ?? '').slice(0, 12)}`;
}

export function summaryLine(run: RunResult): string {
  const s = run.summary;
  const total = run.results.length;
  const parts = [
    run.dryRun ? `${s.pending} pending` : `${s.created} created`,
    `${s.exists} exist${s.exists === 1 ? 's' : ''}`,
    `${s.conflict} conflict`,
    `${s.missingSource} missing source`,
    `${s.failed} failed`,
  ];
  if (!run.dryRun && s.pending > 0) parts.splice(1, 0, `${s.pending} pending`);
  const prefix = run.dryRun ? 'dry-run, nothing written: ' : '';
  const suffix = run.interrupted ? ' (interrupted: rerun to finish)' : '';
  return `${prefix}${total} image${total === 1 ? '' : 's'}: ${parts.join(', ')}${suffix}`;
}

function imageLine(result: ImageResult, widths: { status: number; ref: number }): string {
  const ref = `${result.target.name}:${result.target.tag}`;
  let line = `${result.status.padEnd(widths.status)}  ${ref.padEnd(widths.ref)}  <- ${result.target.source}  ${shortDigest(result.digest)}`;
  if (result.status === 'conflict') line += `\n    tag already points at ${result.existingDigest}; retag never overwrites it`;
  if (result.error) line += `\n    ${result.error}`;
  return line;
}

export function renderRunText(run: RunResult): string {
  const widths = {
    status: Math.max(0, ...run.results.map((r) => r.status.length)),
    ref: Math.max(0, ...run.results.map((r) => r.target.name.length + 1 + r.target.tag.length)),
  };
  const lines = run.results.map((result) => imageLine(result, widths));
  lines.push(summaryLine(run));
  return `${lines.join('\n')}\n`;
}

export function renderRunJson(run: RunResult): string {
  const document = {
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
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function renderProblemsText(problems: ConfigProblem[]): string {
  const files = new Set(problems.map((p) => p.file)).size;
  const lines = problems.map((p) => `error: ${formatProblem(p)}`);
  lines.push(
    `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}; ` +
      'fix them and run again (nothing was sent to any registry)',
  );
  return `${lines.join('\n')}\n`;
}

export function renderValidationText(loaded: LoadedTagFiles): string {
  const lines = loaded.files.map((f) => `ok  ${f.file}  ${f.entries} image${f.entries === 1 ? '' : 's'}`);
  lines.push(`${loaded.files.length} file${loaded.files.length === 1 ? '' : 's'} valid, ${loaded.entries.length} distinct image tag${loaded.entries.length === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

export function renderValidationJson(loaded: LoadedTagFiles): string {
  const document = {
    valid: loaded.problems.length === 0,
    files: loaded.files,
    images: loaded.entries.map((e) => ({
      name: e.name,
      tag: e.tag,
      source: e.source,
      ...(e.srcRef ? { srcRef: e.srcRef } : {}),
      registry: e.registry,
      repository: e.repository,
      file: e.location.file,
      line: e.location.line,
      ...(e.alsoAt.length > 0 ? { alsoAt: e.alsoAt } : {}),
    })),
    problems: loaded.problems,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
