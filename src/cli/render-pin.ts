// What `retag pin` prints: one line per entry that changed or needs a person, then one line per
// file and a summary. Entries whose digest already matches are counted, not listed.
import { reportHeader } from './version.js';
import { formatProblem } from '../config/index.js';
import type { PinEntryReport, PinMode, PinResult, PinStatus } from '../pin/pin-files.js';

function short(digest: string | undefined): string {
  if (digest === undefined) return '-';
  const [algorithm, hex] = digest.split(':');
  return `${algorithm}:${(hex ?? '').slice(0, 12)}`;
}

function entryNote(entry: PinEntryReport, mode: PinMode): string {
  switch (entry.status) {
    case 'added':
      return `src_digest: ${entry.digest ?? ''}`;
    case 'updated':
      return `src_digest: ${short(entry.previous)} -> ${entry.digest ?? ''} (${entry.source} was re-pushed)`;
    case 'stale':
      return (
        `src_digest ${short(entry.previous)} is stale: ${entry.source} now points at ${entry.digest ?? '?'}; ` +
        (mode === 'check' ? 'run retag pin --update and review the change' : 'rerun with --update to rewrite it (apply reports it source-moved)')
      );
    case 'unpinned':
      return `no src_digest; ${entry.source} points at ${entry.digest ?? '?'} (run retag pin to write it)`;
    case 'missing-source':
      return `${entry.source} does not exist on the registry; fix src_build_tag (nothing written to this file)`;
    case 'failed':
      return `${entry.error ?? 'could not be resolved'} (nothing written to this file)`;
    case 'unchanged':
      return '';
  }
}

const SHOWN: readonly PinStatus[] = ['added', 'updated', 'stale', 'unpinned', 'missing-source', 'failed'];

export function countPins(result: PinResult): Record<PinStatus, number> {
  const counts: Record<PinStatus, number> = { added: 0, updated: 0, unchanged: 0, unpinned: 0, stale: 0, 'missing-source': 0, failed: 0 };
  for (const file of result.files) for (const entry of file.entries) counts[entry.status] += 1;
  return counts;
}

export function renderPinText(result: PinResult, mode: PinMode): string {
  const lines: string[] = [];
  for (const file of result.files) {
    const shown = file.entries.filter((e) => SHOWN.includes(e.status));
    const width = Math.max(0, ...shown.map((e) => e.status.length));
    for (const entry of shown) {
      lines.push(`${entry.status.padEnd(width)}  ${entry.file}:${entry.line}  ${entry.image}  ${entryNote(entry, mode)}`);
    }
    for (const problem of file.problems) lines.push(`error: ${formatProblem(problem)}`);
    const changes = file.entries.filter((e) => e.status === 'added' || e.status === 'updated').length;
    const verdict =
      mode === 'check'
        ? 'checked, nothing written'
        : file.written
          ? `${changes} src_digest line${changes === 1 ? '' : 's'} written`
          : changes > 0
            ? 'NOT written (see above); the file is unchanged'
            : 'nothing to write';
    lines.push(`${file.file}: ${file.entries.length} entr${file.entries.length === 1 ? 'y' : 'ies'}, ${verdict}`);
  }
  const c = countPins(result);
  const parts = [
    mode === 'check' ? undefined : `${c.added} added`,
    mode === 'update' ? `${c.updated} updated` : undefined,
    `${c.unchanged} up to date`,
    mode === 'check' ? `${c.unpinned} unpinned` : undefined,
    `${c.stale} stale`,
    `${c['missing-source']} missing source`,
    `${c.failed} failed`,
  ].filter((part) => part !== undefined);
  lines.push(`${mode === 'check' ? 'pin --check' : 'pin'}: ${parts.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function renderPinJson(result: PinResult, mode: PinMode): string {
  const document = {
    ...reportHeader('pin'),
    mode,
    files: result.files.map((file) => ({
      file: file.file,
      written: file.written,
      entries: file.entries.map((e) => ({
        line: e.line,
        image: e.image,
        source: e.source,
        status: e.status,
        digest: e.digest ?? null,
        ...(e.previous ? { previous: e.previous } : {}),
        ...(e.error ? { error: e.error } : {}),
      })),
      problems: file.problems,
    })),
    summary: countPins(result),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
