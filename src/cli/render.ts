// Turning results into what a person or a CI job reads. The run's text and markdown reports are
// here; JSON in render-json.ts, tag-file problems and validate's report in render-validation.ts.

import type { ImageResult, RunResult } from '../retag/types.js';
import { cell, code } from './markdown.js';
import { groupNotes, notStartedLine, unchangedLine, type NotedResult, type SharedNote } from './render-notes.js';

export { OUTPUT_FORMATS, type OutputFormat } from './choices.js';
export { renderRunJson, renderApplyProblemsJson, renderValidationJson } from './render-json.js';
export { renderProblemsText, renderProblemsMarkdown, renderValidationText, renderValidationMarkdown } from './render-validation.js';

export interface TextStyle {
  /** ANSI colours: only when stdout is a TTY and NO_COLOR is unset (https://no-color.org) */
  colour: boolean;
  /** --changes: leave out the `exists` rows (their count is shown) */
  changesOnly?: boolean;
}

const ANSI: Record<ImageResult['status'], string> = {
  created: '\x1b[32m', // green: written
  updated: '\x1b[32m',
  pending: '\x1b[36m', // cyan: would be written
  exists: '\x1b[2m', // dim: nothing to do
  conflict: '\x1b[31m', // red: needs a person
  'missing-source': '\x1b[31m',
  failed: '\x1b[31m',
  'not-started': '\x1b[33m',
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
    ...(s.notStarted > 0 ? [`${s.notStarted} not started`] : []),
  ];
  if (!run.dryRun && s.pending > 0) parts.splice(1, 0, `${s.pending} pending`);
  const prefix = run.dryRun ? 'dry-run, nothing written: ' : '';
  const suffix = run.interrupted ? ' (interrupted: rerun to finish)' : '';
  return `${prefix}${total} image${total === 1 ? '' : 's'}: ${parts.join(', ')}${suffix}`;
}

/** The rows a report lists: not the unstarted images (one line says how many), nor `exists` under --changes. */
function listed(run: RunResult, changesOnly: boolean) {
  const shown = run.results.filter((r) => r.status !== 'not-started' && !(changesOnly && r.status === 'exists'));
  const hidden = changesOnly ? run.results.filter((r) => r.status === 'exists').length : 0;
  return { ...groupNotes(shown), hidden };
}

function sharedNoteText(note: SharedNote): string {
  return `[${note.number}] ${note.images} images: ${note.note}`;
}

/** After the rows: the shared notes, the unstarted and the hidden images. */
function trailer(run: RunResult, shared: SharedNote[], hidden: number): string[] {
  return [
    ...shared.map(sharedNoteText),
    ...(run.summary.notStarted > 0 ? [notStartedLine(run.summary.notStarted)] : []),
    ...(hidden > 0 ? [unchangedLine(hidden)] : []),
  ];
}

export function renderRunText(run: RunResult, style: TextStyle = { colour: false }): string {
  const { rows, shared, hidden } = listed(run, style.changesOnly === true);
  const refs = rows.map(({ result: r }) => `${r.target.name}:${r.target.tag}`);
  const widths = {
    status: Math.max(0, ...rows.map(({ result: r }) => r.status.length)),
    ref: Math.max(0, ...refs.map((ref) => ref.length)),
    source: Math.max(0, ...rows.map(({ result: r }) => r.target.source.length)),
  };
  const lines = rows.map(({ result, own, shared: numbers }: NotedResult, i) => {
    const status = result.status.padEnd(widths.status);
    const shown = style.colour ? `${ANSI[result.status]}${status}${RESET}` : status;
    const marks = numbers.map((n) => `  [${n}]`).join('');
    const row = `${shown}  ${refs[i]!.padEnd(widths.ref)}  <- ${result.target.source.padEnd(widths.source)}  ${shortDigest(result.digest)}${marks}`;
    return [row, ...own.map((note) => `    ${note}`)].join('\n');
  });
  lines.push(...trailer(run, shared, hidden), summaryLine(run));
  return `${lines.join('\n')}\n`;
}

export function runTitle(dryRun: boolean): string {
  return dryRun ? '### retag plan (dry-run, nothing written)' : '### retag result';
}

/** GitHub-flavoured markdown, for a Gerrit comment or $GITHUB_STEP_SUMMARY. */
export function renderRunMarkdown(run: RunResult, style: Pick<TextStyle, 'changesOnly'> = {}): string {
  const { rows, shared, hidden } = listed(run, style.changesOnly === true);
  const tableRows = rows.map(({ result: r, own, shared: numbers }) =>
    [
      `**${r.status}**`,
      code(r.target.name),
      code(r.target.tag),
      code(r.target.source),
      code(shortDigest(r.digest)),
      cell([...own, ...numbers.map((n) => `see [${n}]`)].join('; ')),
    ].join(' | '),
  );
  const table = ['| status | image | tag | from src_build_tag | digest | note |', '| --- | --- | --- | --- | --- | --- |', ...tableRows.map((row) => `| ${row} |`)];
  const after = trailer(run, shared, hidden).map((line) => cell(line));
  const empty = run.results.length === 0 ? ['No images selected.'] : [];
  return `${[runTitle(run.dryRun), '', ...(rows.length > 0 ? table : empty), ...(after.length > 0 ? ['', ...after.map((l) => `- ${l}`)] : []), '', `**${summaryLine(run)}**`].join('\n')}\n`;
}
