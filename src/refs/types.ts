// What `retag refs` reports. The JSON report (--output json) is these types as they are; the
// shape is fixed by issue 9, so fields are only ever added, never renamed.

/** Issue 9's classes, in the order the summary shows them. */
export const REF_STATUSES = ['pinned', 'drift', 'floating', 'unresolved', 'unmanaged', 'ignored'] as const;
export type RefStatus = (typeof REF_STATUSES)[number];

/**
 * How the reference is written:
 * - `inline`: the full name, `docker.io/starlingx/x:tag` (or no tag)
 * - `short`: docker's short form, `starlingx/x:tag` (docker.io implied)
 * - `mirror`: a mirror prefix that keeps the source path, `registry.local:9001/docker.io/starlingx/x`
 * - `digest`: pinned by digest, `name@sha256:...`
 * - `templated`: a template or variable in the registry or the tag, or inside a `{{ }}` expression
 * - `split-keys`: YAML sibling keys, `repository:` + `tag:` (Helm), `image:` + `imageTag:` (Armada)
 */
export type RefForm = 'inline' | 'short' | 'mirror' | 'digest' | 'templated' | 'split-keys';

/** One reference found, as the JSON report shows it (`line`/`column` 1-based). */
export interface RefFinding {
  /** the path as reached from the PATH given on the command line */
  file: string;
  /** the line of the name (for split keys, the repository key) */
  line: number;
  column: number;
  /** the tag file's name for the image, normalised (`docker.io/starlingx/x`) */
  image: string;
  /** the tag as written, null when there is none */
  tag: string | null;
  /** the name (and tag) as written */
  text: string;
  form: RefForm;
  status: RefStatus;
  /** the image's tags in the tag files (empty for unmanaged images) */
  expected: string[];
  inComment?: true;
  note?: string;
  /** split keys: the line of the tag key */
  tagLine?: number;
  /** with --fix: what was done to this reference */
  fix?: FixOutcome;
}

export type FixOutcome =
  | { action: 'changed'; from: string | null; to: string }
  | { action: 'ambiguous'; candidates: string[] }
  | { action: 'left'; reason: string };

export interface SkippedPath {
  file: string;
  reason: string;
}

export type RefSummary = Record<RefStatus, number>;

export interface RefsReport {
  refs: RefFinding[];
  summary: RefSummary;
  skipped: SkippedPath[];
  /** files read and scanned (skipped ones not counted) */
  scannedFiles: number;
  /** with --fix: how many references were rewritten, in how many files */
  fixed?: { refs: number; files: number };
}
