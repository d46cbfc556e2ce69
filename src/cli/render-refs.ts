// `retag refs` reports: text (one line per finding, grouped by file), JSON (issue 9's shape) and
// a markdown table for a review comment. Pinned references are listed in text and markdown only
// with --all; JSON always holds every reference.
import { reportHeader } from './version.js';
import type { RefFinding, RefsReport } from '../refs/index.js';
import { REF_STATUSES } from '../refs/index.js';

export interface RefsRenderOptions {
  all: boolean;
  fix: boolean;
}

/** Skips a reader may need to act on: these could hide references. */
function worthListing(reason: string): boolean {
  return !(reason === 'binary' || reason.startsWith('tag file') || reason.endsWith('metadata') || reason.startsWith('node_modules'));
}

function shownTag(tag: string | null): string {
  return tag === null ? '(no tag)' : tag === '' ? '(empty tag)' : tag;
}

function detail(ref: RefFinding): string {
  const tag = shownTag(ref.tag);
  switch (ref.status) {
    case 'drift':
    case 'floating':
      return `${tag} -> ${ref.expected.join(' | ')}`;
    default:
      return tag;
  }
}

function fixText(ref: RefFinding): string | undefined {
  const fix = ref.fix;
  if (fix === undefined) return undefined;
  if (fix.action === 'changed') return `fixed: ${shownTag(fix.from)} -> ${fix.to}`;
  if (fix.action === 'ambiguous') return `left alone, ambiguous: ${fix.candidates.join(', ')}`;
  return `left alone: ${fix.reason}`;
}

function shown(ref: RefFinding, options: RefsRenderOptions): boolean {
  return ref.status !== 'pinned' || options.all;
}

export function refsSummaryLine(report: RefsReport): string {
  const total = report.refs.length;
  const counts = REF_STATUSES.map((status) => `${report.summary[status]} ${status}`).join(', ');
  const files = new Set(report.refs.map((r) => r.file)).size;
  let line = `${total} reference${total === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (${report.scannedFiles} scanned, ${report.skipped.length} skipped): ${counts}`;
  if (report.fixed !== undefined) line += `; --fix changed ${report.fixed.refs} in ${report.fixed.files} file${report.fixed.files === 1 ? '' : 's'}`;
  return line;
}

export function renderRefsText(report: RefsReport, options: RefsRenderOptions): string {
  const rows = report.refs.filter((ref) => shown(ref, options));
  const width = Math.max(0, ...rows.map((r) => r.status.length));
  const lines: string[] = [];
  let file: string | undefined;
  for (const ref of rows) {
    if (file !== undefined && ref.file !== file) lines.push('');
    file = ref.file;
    const extras = [ref.inComment ? 'in a comment' : undefined, ref.note, fixText(ref)].filter((x) => x !== undefined);
    lines.push(`${ref.status.padEnd(width)}  ${ref.file}:${ref.line}  ${ref.image}  ${detail(ref)}${extras.length > 0 ? `  (${extras.join('; ')})` : ''}`);
  }
  const skipped = report.skipped.filter((s) => worthListing(s.reason));
  if (skipped.length > 0) {
    if (lines.length > 0) lines.push('');
    for (const s of skipped) lines.push(`skipped  ${s.file}  ${s.reason}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(refsSummaryLine(report));
  return `${lines.join('\n')}\n`;
}

export function renderRefsJson(report: RefsReport): string {
  const document = {
    ...reportHeader('refs'),
    refs: report.refs,
    summary: report.summary,
    skipped: report.skipped,
    ...(report.fixed === undefined ? {} : { fixed: report.fixed }),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A table cell: no pipe or newline may break the row. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function code(text: string): string {
  return text === '' ? '' : `\`${cell(text).replace(/`/g, "'")}\``;
}

export function renderRefsMarkdown(report: RefsReport, options: RefsRenderOptions): string {
  const rows = report.refs.filter((ref) => shown(ref, options));
  const lines = ['### retag refs', ''];
  if (rows.length === 0) {
    lines.push('No references to report.');
  } else {
    lines.push('| status | file | image | tag | tag files | note |', '| --- | --- | --- | --- | --- | --- |');
    for (const ref of rows) {
      const note = [ref.inComment ? 'in a comment' : undefined, ref.note, fixText(ref)].filter((x) => x !== undefined).join('; ');
      lines.push(
        `| **${ref.status}** | ${code(`${ref.file}:${ref.line}`)} | ${code(ref.image)} | ${code(shownTag(ref.tag))} | ${code(ref.expected.join(', '))} | ${cell(note)} |`,
      );
    }
  }
  lines.push('', `**${refsSummaryLine(report)}**`);
  return `${lines.join('\n')}\n`;
}
