// Turning results into what a person or a CI job reads. The only module that formats output.

import type { ConfigProblem, LoadedTagFiles } from '../config/index.js';
import { countProblems, formatProblem } from '../config/index.js';
import type { ImageResult, RunResult } from '../retag/types.js';

export { OUTPUT_FORMATS, type OutputFormat } from './choices.js';

export interface TextStyle {
  /** ANSI colours: only when stdout is a TTY and NO_COLOR is unset (https://no-color.org) */
  colour: boolean;
}

const ANSI: Record<ImageResult['status'], string> = {
  created: '\x1b[32m', // green: written
  updated: '\x1b[32m',
  pending: '\x1b[36m', // cyan: would be written
  exists: '\x1b[2m', // dim: nothing to do
  conflict: '\x1b[31m', // red: needs a person
  'missing-source': '\x1b[31m',
  failed: '\x1b[31m',
};
const RESET = '\x1b[0m';

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
    ...(s.updated > 0 ? [`${s.updated} updated`] : []),
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

/** What a reader must know beyond the status: why, or what --repush did. */
function notes(result: ImageResult): string[] {
  const out: string[] = [];
  if (result.status === 'conflict') out.push(`tag already points at ${result.existingDigest}; retag never overwrites it (--repush to move it)`);
  if (result.status === 'pending' && result.existingDigest) out.push(`--repush: would move the tag from ${result.existingDigest}`);
  if (result.status === 'updated') out.push(`--repush: moved the tag from ${result.existingDigest}`);
  if (result.error) out.push(result.error);
  return out;
}

/** Errors that more than one image failed with, and how many. */
function sharedErrors(results: ImageResult[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { error } of results) if (error !== undefined) counts.set(error, (counts.get(error) ?? 0) + 1);
  return new Map([...counts].filter(([, count]) => count > 1));
}

export function renderRunText(run: RunResult, style: TextStyle = { colour: false }): string {
  const refs = run.results.map((r) => `${r.target.name}:${r.target.tag}`);
  const widths = {
    status: Math.max(0, ...run.results.map((r) => r.status.length)),
    ref: Math.max(0, ...refs.map((ref) => ref.length)),
    source: Math.max(0, ...run.results.map((r) => r.target.source.length)),
  };
  // One error shared by several images (refused credentials, a registry down) is said once, below them.
  const shared = sharedErrors(run.results);
  const lines = run.results.map((result, i) => {
    const status = result.status.padEnd(widths.status);
    const shown = style.colour ? `${ANSI[result.status]}${status}${RESET}` : status;
    const row = `${shown}  ${refs[i]!.padEnd(widths.ref)}  <- ${result.target.source.padEnd(widths.source)}  ${shortDigest(result.digest)}`;
    const own = notes(result).filter((note) => note !== result.error || !shared.has(note));
    return [row, ...own.map((note) => `    ${note}`)].join('\n');
  });
  for (const [error, count] of shared) lines.push(`${count} images failed with: ${error}`);
  lines.push(summaryLine(run));
  return `${lines.join('\n')}\n`;
}

/** A table cell: no pipe or newline may break the row, no backtick the code span. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function code(text: string): string {
  return text === '' ? '' : `\`${text.replace(/`/g, "'")}\``;
}

/** GitHub-flavoured markdown, for a Gerrit comment or $GITHUB_STEP_SUMMARY. */
export function renderRunMarkdown(run: RunResult): string {
  const title = run.dryRun ? '### retag plan (dry-run, nothing written)' : '### retag result';
  const rows = run.results.map((r) =>
    [
      `**${r.status}**`,
      code(r.target.name),
      code(r.target.tag),
      code(r.target.source),
      code(shortDigest(r.digest)),
      cell(notes(r).join('; ')),
    ].join(' | '),
  );
  const table = ['| status | image | tag | from src_build_tag | digest | note |', '| --- | --- | --- | --- | --- | --- |', ...rows.map((row) => `| ${row} |`)];
  return `${[title, '', ...(run.results.length > 0 ? table : ['No images selected.']), '', `**${summaryLine(run)}**`].join('\n')}\n`;
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
  const count = countProblems(problems);
  lines.push(
    `${count} problem${count === '1' ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}; ` +
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
      ...(e.srcDigest ? { srcDigest: e.srcDigest } : {}),
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

export function renderValidationMarkdown(loaded: LoadedTagFiles): string {
  const lines = ['### retag validate', '', '| file | images |', '| --- | --- |'];
  for (const f of loaded.files) lines.push(`| ${code(f.file)} | ${f.entries} |`);
  if (loaded.problems.length > 0) {
    lines.push('', '| problem |', '| --- |', ...loaded.problems.map((p) => `| ${cell(formatProblem(p))} |`));
    const count = countProblems(loaded.problems);
    lines.push('', `**${count} problem${count === '1' ? '' : 's'}: fix them and run again**`);
  } else {
    lines.push('', `**${loaded.files.length} file${loaded.files.length === 1 ? '' : 's'} valid, ${loaded.entries.length} distinct image tag${loaded.entries.length === 1 ? '' : 's'}**`);
  }
  return `${lines.join('\n')}\n`;
}
