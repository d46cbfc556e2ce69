// One tag file's text -> located entries and problems. Pure: the loader does the reading.
// Order of work: YAML (failsafe, aliases and deep nesting refused) -> document shape -> each
// entry's shape and field rules (zod) -> normalised occurrences. Every problem found is kept, up
// to MAX_PROBLEMS_PER_FILE; only a YAML syntax error ends the file early, since nothing after it
// can be trusted.
import { nearest } from './levenshtein.js';
import type { ConfigProblem } from './problem.js';
import { formatPath } from './problem.js';
import type { Occurrence, TagEntry } from './rules.js';
import { mergeEntries } from './rules.js';
import { DOCUMENT_KEYS, ENTRY_KEYS, TagDocumentSchema, TagEntrySchema } from './schema.js';
import type { YamlSource } from './yaml-source.js';
import { parseYaml } from './yaml-source.js';

export interface ParsedTagFile {
  entries: TagEntry[];
  problems: ConfigProblem[];
}

/** Valid entries of one file in file order (not yet deduplicated) and every problem found. */
export interface TagFileOccurrences {
  occurrences: Occurrence[];
  problems: ConfigProblem[];
  /** entries as written under images:, valid or not (what a reader of the file counts) */
  written: number;
}

/**
 * A file stops being checked after this many problems: past that the list helps no one, and a
 * hostile 1 MiB file of half a million bad entries would otherwise cost seconds to describe.
 */
export const MAX_PROBLEMS_PER_FILE = 100;

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownEntryKey(key: string): string {
  const guess = nearest(key, ENTRY_KEYS);
  return guess === undefined
    ? `unknown key "${key}"; an image entry takes only name, src_build_tag, src_digest, src_ref and tag (put notes in a # comment)`
    : `unknown key "${key}"; did you mean ${guess}?`;
}

function unknownDocumentKey(key: string): string {
  if ((ENTRY_KEYS as readonly string[]).includes(key)) {
    return `unknown key "${key}" at the top of the document; ${key} belongs to an entry under images:, check the indentation`;
  }
  const guess = nearest(key, DOCUMENT_KEYS);
  return guess === undefined
    ? `unknown key "${key}"; a tag file document has only an images: list`
    : `unknown key "${key}"; did you mean ${guess}?`;
}

/** Problems in file order; problems without a line (whole-file ones) come first. */
export function byLine(problems: ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => (a.problem.line ?? 0) - (b.problem.line ?? 0) || a.index - b.index)
    .map(({ problem }) => problem);
}

/** Checking goes on until one problem past the limit, so that limitProblems can say there are more. */
function tooMany(out: TagFileOccurrences): boolean {
  return out.problems.length > MAX_PROBLEMS_PER_FILE;
}

/**
 * One file's problems, sorted, cut at MAX_PROBLEMS_PER_FILE with one note where checking stopped.
 * Idempotent: the loader applies it again after adding cross-file problems to a file's list, and
 * a note already there is replaced, not counted as a problem or repeated.
 */
export function limitProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const found = problems.filter((p) => !p.truncated);
  const earlierNote = problems.find((p) => p.truncated);
  const next = found[MAX_PROBLEMS_PER_FILE] ?? earlierNote;
  if (next === undefined) return found;
  return [
    ...found.slice(0, MAX_PROBLEMS_PER_FILE),
    {
      file: next.file,
      ...(next.line === undefined ? {} : { line: next.line }),
      message: `stopped after ${MAX_PROBLEMS_PER_FILE} problems in this file; fix those and run again`,
      truncated: true,
    },
  ];
}

function readEntry(
  file: string,
  source: YamlSource,
  images: readonly unknown[],
  index: number,
  out: TagFileOccurrences,
): void {
  const item = images[index];
  const path = `images[${index}]`;
  const line = (isMapping(item) ? source.nodeLine(item) : undefined) ?? source.itemLine(images, index) ?? 1;
  // The image as written, when there is one to name (spread so that no key is set to undefined).
  const image = isMapping(item) && typeof item.name === 'string' ? { image: item.name } : {};
  const keyLine = (key: string): number => (isMapping(item) ? source.keyLine(item, key) : undefined) ?? line;

  const result = TagEntrySchema.safeParse(item);
  if (result.success) {
    const digestLine = result.data.srcDigest === undefined ? {} : { digestLine: keyLine('src_digest') };
    out.occurrences.push({ entry: result.data, location: { file, line }, path, sourceLine: keyLine('src_build_tag'), ...digestLine });
    return;
  }
  const unknownKeys = result.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys : []));
  // `src_build_tg: x` means src_build_tag is missing too; the "did you mean" says all of it.
  const misspelt = new Set(unknownKeys.map((key) => nearest(key, ENTRY_KEYS)));
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const field = issue.path[0];
    if (typeof field === 'string' && misspelt.has(field) && isMapping(item) && !(field in item)) continue;
    out.problems.push({
      file,
      line: typeof field === 'string' ? keyLine(field) : line,
      path: formatPath(['images', index, ...(issue.path as (string | number)[])]),
      ...image,
      message: issue.message,
    });
  }
  for (const key of unknownKeys) {
    out.problems.push({ file, line: keyLine(key), path: `${path}.${key}`, ...image, message: unknownEntryKey(key) });
  }
}

function readDocument(file: string, source: YamlSource, index: number, out: TagFileOccurrences): void {
  const document = source.documents[index];
  const line = source.documentLine(index);
  const result = TagDocumentSchema.safeParse(document);
  if (!result.success) {
    const unknownKeys = result.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys : []));
    // `imags:` is reported as "did you mean images?", not also as a missing images: list.
    const imagesMisspelt = unknownKeys.some((key) => nearest(key, DOCUMENT_KEYS) === 'images');
    // Document-level messages name their key (`images:`, `unknown key "foo"`), so no path.
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          if (tooMany(out)) break;
          const keyLine = isMapping(document) ? source.keyLine(document, key) : undefined;
          out.problems.push({ file, line: keyLine ?? line, message: unknownDocumentKey(key) });
        }
        continue;
      }
      const onImages = issue.path[0] === 'images' && isMapping(document);
      if (onImages && !('images' in document) && imagesMisspelt) continue;
      out.problems.push({
        file,
        line: (onImages ? source.keyLine(document, 'images') : undefined) ?? line,
        message: issue.message,
      });
    }
  }
  // Entries are read even when the document has other problems (an unknown top-level key), so
  // that all problems of a run are reported together.
  const images = isMapping(document) ? document.images : undefined;
  if (!Array.isArray(images)) return;
  out.written += images.length;
  for (let i = 0; i < images.length && !tooMany(out); i += 1) readEntry(file, source, images, i, out);
}

/**
 * Reads one tag file's text. `file` is the name used in problems and locations (the path as the
 * user gave it). Never throws for bad input.
 */
export function readTagFileText(text: string, file: string): TagFileOccurrences {
  const out: TagFileOccurrences = { occurrences: [], problems: [], written: 0 };
  if (text.includes('\0')) {
    out.problems.push({ file, message: 'not a text file (it contains NUL bytes); give a YAML tag file' });
    return out;
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    out.problems.push({ file, ...(parsed.line === undefined ? {} : { line: parsed.line }), message: parsed.message });
    return out;
  }
  const { source } = parsed;
  if (source.documents.every((document) => document === null || document === undefined)) {
    out.problems.push({ file, message: 'tag file is empty; it needs an images: list with one entry per image' });
    return out;
  }
  for (let index = 0; index < source.documents.length && !tooMany(out); index += 1) {
    const document = source.documents[index];
    // An empty document (a stray `---`, or one that is all comments) holds nothing to check.
    if (document !== null && document !== undefined) readDocument(file, source, index, out);
  }
  out.problems = limitProblems(byLine(out.problems));
  return out;
}

/** One file's entries, deduplicated within the file, and its problems. Pure, for tests and tools. */
export function parseTagFileText(text: string, file: string): ParsedTagFile {
  const read = readTagFileText(text, file);
  const merged = mergeEntries(read.occurrences);
  return { entries: merged.entries, problems: limitProblems(byLine([...read.problems, ...merged.problems])) };
}
