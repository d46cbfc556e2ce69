// The config module: tag files in, deduplicated entries and located problems out.
// It knows nothing of HTTP; the CLI prints the problems with formatProblem.
export type { ConfigProblem, Location } from './problem.js';
export { countProblems, formatProblem } from './problem.js';
export type { TagEntry } from './rules.js';
export type { ImageEntry, TagEntryInput, TagDocument } from './schema.js';
export { TagEntrySchema, TagDocumentSchema } from './schema.js';
export type { LoadedTagFiles, LoadOptions } from './load.js';
export { loadTagFiles, MAX_TAG_FILE_BYTES, STDIN_NAME } from './load.js';
export type { ParsedTagFile } from './parse.js';
export { parseTagFileText } from './parse.js';
