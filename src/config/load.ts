// Reads tag files from disk and checks them together: every problem of every file is collected,
// then entries are deduplicated across files and conflicting sources reported. Never throws for
// bad input; the CLI decides what problems mean for the run.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConfigProblem } from './problem.js';
import { byLine, limitProblems, readTagFileText } from './parse.js';
import type { Occurrence, TagEntry } from './rules.js';
import { mergeEntries } from './rules.js';

/** Tag files are hand-written lists; anything bigger is a mistake or an attack (1 MiB). */
export const MAX_TAG_FILE_BYTES = 1024 * 1024;

export interface LoadOptions {
  /** Relative paths resolve against this; default process.cwd(). */
  cwd?: string;
  /** Size limit per file in bytes; default MAX_TAG_FILE_BYTES. */
  maxBytes?: number;
  /** How the file `-` is read (standard input); without it `-` is a file of that name. */
  stdin?: () => Promise<Uint8Array>;
  /** --require-digest: an entry without src_digest is a problem (teams that adopted the lock). */
  requireDigest?: boolean;
}

/** The file `-` (standard input), as problems and reports name it. */
export const STDIN_NAME = '<stdin>';

export interface LoadedTagFiles {
  /** Deduplicated entries in the order first read (files in the order given). */
  entries: TagEntry[];
  /** Every problem, grouped by file in the order given, then by line. */
  problems: ConfigProblem[];
  /** Each distinct file given, with the number of entries written in it (valid or not). */
  files: { file: string; entries: number }[];
}

type TextRead = { ok: true; text: string } | { ok: false; message: string };

function formatSize(bytes: number): string {
  const MiB = 1024 * 1024;
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function tooLarge(size: number, maxBytes: number): TextRead {
  return {
    ok: false,
    message: `tag file is ${size} bytes; the limit is ${formatSize(maxBytes)}, split it into several files`,
  };
}

/** What a failed stat or read means for the user (Node's error codes). */
export function readErrorMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'file not found; check the path';
    case 'ENOTDIR':
      return 'file not found (a part of the path is not a directory); check the path';
    case 'EISDIR':
      return 'is a directory; give a tag file (e.g. dir/*.yaml)';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read the file: permission denied';
    case 'ELOOP':
      return 'cannot read the file: too many symbolic links (a link loop?)';
    default:
      return `cannot read the file (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

/** Bytes -> text, refusing what is not UTF-8 text (a binary, an image, a UTF-16 file). */
export function decodeTagFile(bytes: Uint8Array): TextRead {
  if (bytes.includes(0)) return { ok: false, message: 'not a text file (it contains NUL bytes); give a YAML tag file' };
  try {
    // fatal: invalid UTF-8 throws instead of turning into U+FFFD; a leading BOM is dropped.
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, message: 'not a text file (it is not valid UTF-8); save the tag file as UTF-8' };
  }
}

async function readTextFile(path: string, maxBytes: number): Promise<TextRead> {
  try {
    // stat first: a directory, a FIFO or a device must not be opened and read into memory.
    const info = await stat(path);
    if (info.isDirectory()) return { ok: false, message: readErrorMessage({ code: 'EISDIR' }) };
    if (!info.isFile()) return { ok: false, message: 'is not a regular file; give a tag file' };
    if (info.size > maxBytes) return tooLarge(info.size, maxBytes);
    const bytes = await readFile(path);
    // The file may have grown since stat.
    if (bytes.length > maxBytes) return tooLarge(bytes.length, maxBytes);
    return decodeTagFile(bytes);
  } catch (error) {
    return { ok: false, message: readErrorMessage(error) };
  }
}

async function readStdin(read: () => Promise<Uint8Array>, maxBytes: number): Promise<TextRead> {
  try {
    const bytes = await read();
    return bytes.length > maxBytes ? tooLarge(bytes.length, maxBytes) : decodeTagFile(bytes);
  } catch (error) {
    return { ok: false, message: readErrorMessage(error) };
  }
}

/** The problem of an entry without src_digest under --require-digest; nothing when it has one. */
function unpinned(occurrence: Occurrence): ConfigProblem[] {
  if (occurrence.entry.srcDigest !== undefined) return [];
  return [
    {
      file: occurrence.location.file,
      line: occurrence.location.line,
      path: occurrence.path,
      image: occurrence.entry.name,
      message: `src_digest is missing (--require-digest); run \`retag pin ${occurrence.location.file}\` to write the digest of ${occurrence.entry.source}, review it and commit`,
    },
  ];
}

/**
 * Loads and checks tag files. `paths` are reported as given; the same file given twice is read
 * once. Problems never stop the loading: the result holds everything found in all files.
 */
export async function loadTagFiles(paths: string[], options: LoadOptions = {}): Promise<LoadedTagFiles> {
  const cwd = options.cwd ?? process.cwd();
  const maxBytes = options.maxBytes ?? MAX_TAG_FILE_BYTES;

  const seen = new Set<string>();
  const files: { file: string; absolute: string }[] = [];
  for (const given of paths) {
    const fromStdin = given === '-' && options.stdin !== undefined;
    const file = fromStdin ? STDIN_NAME : given;
    const absolute = fromStdin ? STDIN_NAME : resolve(cwd, given);
    if (seen.has(absolute)) continue;
    seen.add(absolute);
    files.push({ file, absolute });
  }

  const reads = await Promise.all(
    files.map(({ absolute }) => (absolute === STDIN_NAME && options.stdin ? readStdin(options.stdin, maxBytes) : readTextFile(absolute, maxBytes))),
  );

  const occurrences: Occurrence[] = [];
  const problemsByFile = new Map<string, ConfigProblem[]>(files.map(({ file }) => [file, []]));
  const counts: LoadedTagFiles['files'] = [];
  files.forEach(({ file }, index) => {
    const read = reads[index];
    const own = problemsByFile.get(file) ?? [];
    if (read === undefined || !read.ok) {
      own.push({ file, message: read?.message ?? 'cannot read the file' });
      counts.push({ file, entries: 0 });
      return;
    }
    const result = readTagFileText(read.text, file);
    occurrences.push(...result.occurrences);
    own.push(...result.problems);
    if (options.requireDigest) own.push(...result.occurrences.flatMap(unpinned));
    counts.push({ file, entries: result.written });
  });

  const merged = mergeEntries(occurrences);
  for (const problem of merged.problems) problemsByFile.get(problem.file)?.push(problem);
  const problems = [...problemsByFile.values()].flatMap((list) => limitProblems(byLine(list)));
  return { entries: merged.entries, problems, files: counts };
}
