// `retag pin`: lock each entry to the manifest digest its src_build_tag points at now (issue 10).
// Per file: every entry's source is resolved (HEAD only; the caller supplies the lookup), the
// wanted src_digest lines are written in one atomic rename, or nothing is written: a source
// that is missing or a registry that fails leaves its file exactly as it was.
import { randomBytes } from 'node:crypto';
import { readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { editDigests, type DigestEdit } from '../config/digest-edit.js';
import { decodeTagFile, loadTagFiles, readErrorMessage } from '../config/load.js';
import { readTagFileText } from '../config/parse.js';
import type { ConfigProblem } from '../config/problem.js';
import type { ImageEntry } from '../config/schema.js';

/** What the registry says a source tag points at now. */
export type SourceAnswer = { found: true; digest: string } | { found: false } | { found: 'error'; error: string };

/** add: write missing digests; update: also rewrite stale ones; check: write nothing, report. */
export type PinMode = 'add' | 'update' | 'check';

export const PIN_STATUSES = ['added', 'updated', 'unchanged', 'unpinned', 'stale', 'missing-source', 'failed'] as const;
export type PinStatus = (typeof PIN_STATUSES)[number];

export interface PinEntryReport {
  file: string;
  line: number;
  /** `name:tag` as written */
  image: string;
  source: string;
  status: PinStatus;
  /** what src_build_tag points at now */
  digest?: string;
  /** the src_digest the file held (stale, updated) */
  previous?: string;
  error?: string;
}

export interface PinFileReport {
  file: string;
  written: boolean;
  entries: PinEntryReport[];
  /** layouts that cannot be edited safely, or a file that changed while pinning */
  problems: ConfigProblem[];
}

export interface PinResult {
  /** tag-file problems: nothing was resolved or written */
  invalid: ConfigProblem[];
  files: PinFileReport[];
}

export interface PinOptions {
  mode: PinMode;
  cwd?: string;
  concurrency: number;
  /**
   * Called once the files are valid, with every distinct source: sets up the registry access
   * (credentials depend on the images' registries) and returns the lookup.
   */
  resolver(sources: readonly ImageEntry[]): Promise<(entry: ImageEntry) => Promise<SourceAnswer>>;
}

/** One source is resolved once, however many entries and files name it. */
function sourceKey(entry: ImageEntry): string {
  return `${entry.registry}/${entry.repository}:${entry.source}`;
}

interface FileText {
  file: string;
  path: string;
  bytes: Buffer;
  text: string;
}

async function readForEdit(file: string, cwd: string): Promise<FileText | ConfigProblem> {
  try {
    // Edit the file a symbolic link points at: the rename must not replace the link itself.
    const path = await realpath(resolve(cwd, file));
    const bytes = await readFile(path);
    const decoded = decodeTagFile(bytes);
    if (!decoded.ok) return { file, message: decoded.message };
    return { file, path, bytes, text: decoded.text };
  } catch (error) {
    return { file, message: readErrorMessage(error) };
  }
}

/** What an entry's src_digest line should become, given the source's answer. */
function judge(entry: ImageEntry, answer: SourceAnswer | undefined, mode: PinMode): Pick<PinEntryReport, 'status' | 'digest' | 'previous' | 'error'> {
  if (answer === undefined || answer.found === 'error') return { status: 'failed', error: answer?.found === 'error' ? answer.error : 'not resolved' };
  if (!answer.found) return { status: 'missing-source' };
  const { digest } = answer;
  const previous = entry.srcDigest;
  if (previous === undefined) return { status: mode === 'check' ? 'unpinned' : 'added', digest };
  if (previous === digest) return { status: 'unchanged', digest };
  return { status: mode === 'update' ? 'updated' : 'stale', digest, previous };
}

/**
 * Writes `text` over `file.path` atomically (a temp file beside it, then rename), keeping its
 * mode and a leading BOM, but only when the file still holds the bytes that were read.
 */
async function replaceFile(file: FileText, text: string): Promise<ConfigProblem | undefined> {
  const bom = file.bytes[0] === 0xef && file.bytes[1] === 0xbb && file.bytes[2] === 0xbf ? '\ufeff' : '';
  const temp = join(dirname(file.path), `.${basename(file.path)}.retag-pin-${randomBytes(4).toString('hex')}`);
  try {
    const now = await readFile(file.path);
    if (!now.equals(file.bytes)) {
      return { file: file.file, message: 'the file changed while retag pin ran; nothing was written, run retag pin again' };
    }
    const { mode } = await stat(file.path);
    await writeFile(temp, `${bom}${text}`, { mode: mode & 0o7777, flag: 'wx' });
    await rename(temp, file.path);
    return undefined;
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    return { file: file.file, message: `could not be written (${readErrorMessage(error).replace(/^cannot read the file/, 'cannot write')}); nothing was changed` };
  }
}

async function pinFile(file: FileText, answers: Map<string, SourceAnswer>, mode: PinMode): Promise<PinFileReport> {
  const { occurrences } = readTagFileText(file.text, file.file);
  const entries: PinEntryReport[] = [];
  const edits: DigestEdit[] = [];
  for (const occurrence of occurrences) {
    const { entry } = occurrence;
    const verdict = judge(entry, answers.get(sourceKey(entry)), mode);
    entries.push({ file: file.file, line: occurrence.location.line, image: `${entry.name}:${entry.tag}`, source: entry.source, ...verdict });
    if ((verdict.status === 'added' || verdict.status === 'updated') && verdict.digest !== undefined) edits.push({ occurrence, digest: verdict.digest });
  }
  // All or nothing: one entry whose source could not be read keeps the whole file as it is.
  const blocked = entries.some((e) => e.status === 'failed' || e.status === 'missing-source');
  if (blocked || edits.length === 0) return { file: file.file, written: false, entries, problems: [] };
  const outcome = editDigests(file.text, file.file, edits);
  if (!outcome.ok) return { file: file.file, written: false, entries, problems: outcome.problems };
  const problem = await replaceFile(file, outcome.text);
  return { file: file.file, written: problem === undefined, entries, problems: problem === undefined ? [] : [problem] };
}

export async function pinFiles(files: string[], options: PinOptions): Promise<PinResult> {
  const cwd = options.cwd ?? process.cwd();
  // The same checks as validate and apply (cross-file conflicts included): a file that apply
  // would refuse is not pinned either.
  const loaded = await loadTagFiles(files, { cwd });
  if (loaded.problems.length > 0) return { invalid: loaded.problems, files: [] };

  const texts: FileText[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const read = await readForEdit(file, cwd);
    if ('message' in read) return { invalid: [read], files: [] };
    if (seen.has(read.path)) continue;
    seen.add(read.path);
    texts.push(read);
  }

  const sources = new Map<string, ImageEntry>();
  for (const entry of loaded.entries) if (!sources.has(sourceKey(entry))) sources.set(sourceKey(entry), entry);
  const resolveSource = await options.resolver([...sources.values()]);
  const limit = pLimit(Math.max(1, options.concurrency));
  const answers = new Map<string, SourceAnswer>();
  await Promise.all(
    [...sources].map(([key, entry]) =>
      limit(async () => {
        answers.set(key, await resolveSource(entry));
      }),
    ),
  );
  const reports: PinFileReport[] = [];
  for (const file of texts) reports.push(await pinFile(file, answers, options.mode));
  return { invalid: [], files: reports };
}
