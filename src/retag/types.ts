// What the retag step consumes and produces. The CLI renders ImageResult; nothing here prints.

/** One image to retag; config's TagEntry satisfies it. */
export interface RetagTarget {
  /** as written in the tag file, for reports */
  name: string;
  registry: string;
  repository: string;
  /** src_build_tag */
  source: string;
  tag: string;
  /** src_digest, when the tag file pins the source (sha256:... or sha512:...) */
  srcDigest?: string;
}

/** not-started: the run was interrupted before this image began (nothing sent for it) */
export const STATUSES = ['created', 'updated', 'pending', 'exists', 'conflict', 'missing-source', 'failed', 'not-started'] as const;
export type ImageStatus = (typeof STATUSES)[number];

export interface ImageResult {
  target: RetagTarget;
  status: ImageStatus;
  /** the source manifest's digest, when known */
  digest?: string;
  /** what the tag already pointed at: a conflict, or a tag moved (or to be moved) by --repush */
  existingDigest?: string;
  mediaType?: string;
  error?: string;
}

export interface Summary {
  created: number;
  /** tags moved to the source's digest on purpose (--repush) */
  updated: number;
  pending: number;
  exists: number;
  conflict: number;
  missingSource: number;
  failed: number;
  /** images an interrupt kept from starting: rerun to finish */
  notStarted: number;
}

export interface RunResult {
  dryRun: boolean;
  results: ImageResult[];
  summary: Summary;
  interrupted: boolean;
}
