// `retag refs` over a tree: walk, read a bounded number of files at once, scan each, fix it when
// asked, and collect the findings. Memory holds the findings and the files being read, not the
// tree: the walk hands out one path at a time and a file's text is dropped once scanned.
import { close, fstat, open, read } from 'node:fs';
import type { Catalog } from './catalog.js';
import { EditConflictError, fixRefs, planFix, type FixResult } from './fix.js';
import { mayHoldReferences, scanText, type ScannedRef } from './scan-file.js';
import { REF_STATUSES, type RefFinding, type RefsReport, type SkippedPath } from './types.js';
import { walk } from './walk.js';
import { writeFileAtomic } from './write-atomic.js';

/** Files bigger than this are generated or data, not charts and playbooks (4 MiB). */
export const MAX_SCANNED_FILE_BYTES = 4 * 1024 * 1024;
/** Reads in flight: enough to keep a disk or the page cache busy, few enough to stay small. */
export const READ_CONCURRENCY = 16;

export interface ScanTreeOptions {
  roots: readonly { path: string; absolute: string }[];
  catalog: Catalog;
  exclude?: readonly string[];
  /** `dev:ino` of the tag files: never scanned */
  neverScan?: ReadonlySet<string>;
  maxBytes?: number;
  concurrency?: number;
  fix?: boolean;
  /** --fix --all: rewrite references in comments too */
  fixComments?: boolean;
}

interface FileResult {
  order: number;
  refs: RefFinding[];
  skipped?: SkippedPath;
  fixed: number;
}

function finding(path: string, ref: ScannedRef): RefFinding {
  const { site: _site, fixBlocked: _blocked, ...rest } = ref;
  return { file: path, ...rest };
}

async function fixFile(path: string, absolute: string, text: string, bytes: Buffer, refs: ScannedRef[], includeComments: boolean): Promise<{ findings: RefFinding[]; fixed: number }> {
  const findings = refs.map((ref) => finding(path, ref));
  const leave = (reason: string) => {
    for (const f of findings) if (f.fix?.action === 'changed') f.fix = { action: 'left', reason };
    return { findings, fixed: 0 };
  };
  let result: FixResult;
  try {
    result = fixRefs(text, refs, includeComments);
  } catch (error) {
    if (!(error instanceof EditConflictError)) throw error;
    // the file changed between reading and planning: nothing is written
    refs.forEach((ref, i) => {
      const f = findings[i];
      if (f !== undefined && planFix(ref, includeComments)?.action === 'change') f.fix = { action: 'left', reason: `not fixed: ${error.message}` };
    });
    return { findings, fixed: 0 };
  }
  result.outcomes.forEach((outcome, i) => {
    const f = findings[i];
    if (outcome !== undefined && f !== undefined) f.fix = outcome;
  });
  if (result.edits === 0) return { findings, fixed: 0 };
  // Decoding replaced bytes that are not UTF-8; writing such a text back would change them.
  if (!Buffer.from(text, 'utf8').equals(bytes)) return leave('the file is not valid UTF-8: retag will not rewrite it');
  try {
    await writeFileAtomic(absolute, result.text);
  } catch (error) {
    return leave(`not fixed: cannot write the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { findings, fixed: result.edits };
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

type Read = { bytes: Buffer } | { skip: string };

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
}

/**
 * Opens once and checks on the open file (no second lookup of the path between test and read),
 * then reads it whole into one buffer of its size. The callback API: the promise one costs
 * several objects per file, and on a tree of thousands of files that time goes to the
 * garbage collector.
 */
function readChecked(absolute: string, options: ScanTreeOptions): Promise<Read> {
  const maxBytes = options.maxBytes ?? MAX_SCANNED_FILE_BYTES;
  return new Promise((resolve) => {
    open(absolute, 'r', (openError, fd) => {
      if (openError) return resolve({ skip: `cannot read (${errorCode(openError)})` });
      const done = (read: Read) => close(fd, () => resolve(read));
      fstat(fd, (statError, info) => {
        if (statError) return done({ skip: `cannot read (${errorCode(statError)})` });
        if (!info.isFile()) return done({ skip: 'not a regular file' });
        if (options.neverScan?.has(`${info.dev}:${info.ino}`)) return done({ skip: 'tag file (given with --tags)' });
        if (info.size > maxBytes) return done({ skip: `larger than ${formatSize(maxBytes)} (${formatSize(info.size)})` });
        // one byte more than stat said: a file that grew since is seen to have grown
        const buffer = Buffer.allocUnsafe(info.size + 1);
        let filled = 0;
        const next = (): void =>
          read(fd, buffer, filled, buffer.length - filled, null, (readError, count) => {
            if (readError) return done({ skip: `cannot read (${errorCode(readError)})` });
            filled += count;
            if (count === 0) return done({ bytes: buffer.subarray(0, filled) });
            if (filled === buffer.length) return done({ skip: 'changed while being read; run again' });
            next();
          });
        next();
      });
    });
  });
}

async function scanOne(order: number, path: string, absolute: string, options: ScanTreeOptions): Promise<FileResult> {
  const read = await readChecked(absolute, options);
  if ('skip' in read) return { order, refs: [], fixed: 0, skipped: { file: path, reason: read.skip } };
  const { bytes } = read;
  // grep's test: a NUL byte means binary
  if (bytes.includes(0)) return { order, refs: [], fixed: 0, skipped: { file: path, reason: 'binary' } };
  if (!mayHoldReferences(bytes, options.catalog)) return { order, refs: [], fixed: 0 };
  const text = bytes.toString('utf8');
  const refs = scanText(text, path, options.catalog);
  if (!options.fix || refs.length === 0) return { order, refs: refs.map((ref) => finding(path, ref)), fixed: 0 };
  const { findings, fixed } = await fixFile(path, absolute, text, bytes, refs, options.fixComments === true);
  return { order, refs: findings, fixed };
}

export async function scanTree(options: ScanTreeOptions): Promise<RefsReport> {
  const results: FileResult[] = [];
  const skipped: { order: number; entry: SkippedPath }[] = [];
  const inFlight = new Set<Promise<void>>();
  const limit = options.concurrency ?? READ_CONCURRENCY;
  let order = 0;
  let scannedFiles = 0;
  const events = walk(options.roots, options.exclude ?? []);
  for await (const event of events) {
    const here = order++;
    if (event.kind === 'skip') {
      skipped.push({ order: here, entry: { file: event.path, reason: event.reason } });
      continue;
    }
    const task = scanOne(here, event.path, event.absolute, options).then((result) => {
      if (result.skipped !== undefined) skipped.push({ order: result.order, entry: result.skipped });
      else scannedFiles++;
      if (result.refs.length > 0 || result.fixed > 0) results.push(result);
    });
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= limit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  results.sort((a, b) => a.order - b.order);
  const refs = results.flatMap((r) => r.refs);
  const summary = Object.fromEntries(REF_STATUSES.map((status) => [status, 0])) as RefsReport['summary'];
  for (const ref of refs) summary[ref.status]++;
  const report: RefsReport = {
    refs,
    summary,
    skipped: skipped.sort((a, b) => a.order - b.order).map((s) => s.entry),
    scannedFiles,
  };
  if (options.fix) {
    const fixed = results.filter((r) => r.fixed > 0);
    report.fixed = { refs: fixed.reduce((n, r) => n + r.fixed, 0), files: fixed.length };
  }
  return report;
}
