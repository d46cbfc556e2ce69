// Semantic rules over tag-file entries: one (image, tag) pair may be requested many times but
// always from the same source build. Pure: no I/O; the loader calls mergeEntries once per run.
// The single-field checks live in field-checks.ts (re-exported here for their callers).
import { canonicalName } from '../image-name/index.js';
import type { ConfigProblem, Location } from './problem.js';
import { formatLocation } from './problem.js';
import type { ImageEntry } from './schema.js';

export { isPinnableDigest, srcDigestProblem, srcRefProblem, tagProblem } from './field-checks.js';

/** One image to retag, deduplicated: the first place it was asked for, and every identical repeat. */
export interface TagEntry extends ImageEntry {
  /** First occurrence. */
  location: Location;
  /** Later occurrences with the same source, in the order they were read. */
  alsoAt: Location[];
}

/** One valid entry as read from a file, before deduplication. */
export interface Occurrence {
  entry: ImageEntry;
  location: Location;
  /** `images[3]`, for problems about this occurrence. */
  path: string;
  /** The line of its `src_build_tag:`, where a conflict is reported. */
  sourceLine: number;
  /** The line of its `src_digest:`, when it has one. */
  digestLine?: number;
}

/** `docker.io/library/ubuntu:22.04`: the same for every way of writing one image and tag. */
export function entryKey(entry: ImageEntry): string {
  return `${canonicalName(entry)}:${entry.tag}`;
}

/**
 * Deduplicates occurrences in order. The same (canonical name, tag) with the same source is kept
 * once, later places going to `alsoAt`; with a different source it is a conflict, reported at the
 * later occurrence and naming both places. The first occurrence stays the entry either way.
 */
export function mergeEntries(occurrences: readonly Occurrence[]): { entries: TagEntry[]; problems: ConfigProblem[] } {
  const byKey = new Map<string, TagEntry>();
  const entries: TagEntry[] = [];
  const problems: ConfigProblem[] = [];
  for (const occurrence of occurrences) {
    const key = entryKey(occurrence.entry);
    const first = byKey.get(key);
    if (first === undefined) {
      const entry: TagEntry = { ...occurrence.entry, location: occurrence.location, alsoAt: [] };
      byKey.set(key, entry);
      entries.push(entry);
    } else if (first.source === occurrence.entry.source) {
      const pinned = occurrence.entry.srcDigest;
      if (pinned !== undefined && first.srcDigest !== undefined && pinned !== first.srcDigest) {
        problems.push({
          file: occurrence.location.file,
          line: occurrence.digestLine ?? occurrence.sourceLine,
          path: `${occurrence.path}.src_digest`,
          image: occurrence.entry.name,
          message:
            `${key} pins two source digests: ${first.srcDigest} at ${formatLocation(first.location)} ` +
            `and ${pinned} at ${formatLocation(occurrence.location)}; ` +
            'both entries copy one build, so give them the same src_digest (`retag pin --update FILE` rewrites both)',
        });
        continue;
      }
      // A repeat may pin what the first left open: the run checks the pinned digest.
      if (pinned !== undefined && first.srcDigest === undefined) first.srcDigest = pinned;
      first.alsoAt.push(occurrence.location);
    } else {
      problems.push({
        file: occurrence.location.file,
        line: occurrence.sourceLine,
        path: `${occurrence.path}.src_build_tag`,
        image: occurrence.entry.name,
        message:
          `${key} is requested from two sources: "${first.source}" at ${formatLocation(first.location)} ` +
          `and "${occurrence.entry.source}" at ${formatLocation(occurrence.location)}; ` +
          'a tag can point at only one build, so make the entries agree or remove one',
      });
    }
  }
  return { entries, problems };
}
