// The refs module: find, check and fix references to managed images in a tree (issue 9).
// Reads files and, with --fix, rewrites them; contacts no registry. The CLI prints the report.
export type { Catalog, ManagedImage } from './catalog.js';
export { buildCatalog } from './catalog.js';
export type { ScanTreeOptions } from './scan-tree.js';
export { MAX_SCANNED_FILE_BYTES, scanTree } from './scan-tree.js';
export { scanText, type ScannedRef } from './scan-file.js';
export type { FixOutcome, RefFinding, RefForm, RefsReport, RefStatus, RefSummary, SkippedPath } from './types.js';
export { REF_STATUSES } from './types.js';
