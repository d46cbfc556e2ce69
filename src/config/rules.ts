// Semantic rules over tag-file entries: the tag grammar, what a src_ref may be, and the rule that
// one (image, tag) pair may be requested many times but always from the same source build.
// Pure: no I/O; the schema calls the field checks, the loader calls mergeEntries once per run.
import { canonicalName, isValidTag } from '../registry/reference.js';
import type { ConfigProblem, Location } from './problem.js';
import { formatLocation } from './problem.js';
import type { ImageEntry } from './schema.js';

const MAX_TAG_LENGTH = 128;

/** Why `value` is not a valid tag for `field`, or undefined when it is one. */
export function tagProblem(field: string, value: string): string | undefined {
  if (isValidTag(value)) return undefined;
  if (value === '') return `${field} is empty; give a tag`;
  if (value.length > MAX_TAG_LENGTH) {
    return `${field} "${value.slice(0, 40)}..." is ${value.length} characters long; the limit is ${MAX_TAG_LENGTH}`;
  }
  if (value.includes(':') || value.includes('@')) {
    return `${field} "${value}" is not a valid tag; give the tag alone, without the image name or a digest`;
  }
  if (value.startsWith('.') || value.startsWith('-')) {
    return `${field} "${value}" is not a valid tag; a tag must start with a letter, a digit or '_'`;
  }
  return `${field} "${value}" is not a valid tag; use letters, digits, '_', '.', '-' (max ${MAX_TAG_LENGTH})`;
}

/** Why `value` is not a usable src_ref (an http(s) link to the source commit), or undefined. */
export function srcRefProblem(value: string): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    return `src_ref "${value}" is not an http(s) URL; give the link to the source commit, or remove the line`;
  }
  return undefined;
}

const DIGEST_FORMS: Record<string, number> = { sha256: 64, sha512: 128 };

/** Whether `value` is a manifest digest a tag file may pin: `sha256:` + 64 or `sha512:` + 128 lowercase hex. */
export function isPinnableDigest(value: string): boolean {
  const match = /^([a-z0-9]+):([0-9a-f]+)$/.exec(value);
  return match !== null && DIGEST_FORMS[match[1] ?? ''] === match[2]?.length;
}

/** Why `value` is not a usable src_digest, or undefined when it is one. */
export function srcDigestProblem(value: string): string | undefined {
  if (isPinnableDigest(value)) return undefined;
  const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
  const [algorithm, hex] = value.split(':', 2);
  const wanted = DIGEST_FORMS[algorithm ?? ''];
  const why =
    value === ''
      ? 'src_digest is empty'
      : hex === undefined
        ? `src_digest "${shown}" is not a digest (no algorithm: prefix)`
        : wanted === undefined
          ? `src_digest "${shown}" uses algorithm "${(algorithm ?? '').slice(0, 20)}"; only sha256 and sha512 are used for manifests`
          : /[A-F]/.test(hex)
            ? `src_digest "${shown}" has uppercase hex; registries write digests in lowercase`
            : `src_digest "${shown}" must be ${algorithm}: followed by ${wanted} hex digits (it has ${hex.length} characters after the colon)`;
  return `${why}; give the manifest digest src_build_tag points at (\`retag pin FILE\` writes it), or remove the line`;
}

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
