// A reference's status against the tag files (issue 9): pinned, drift, floating, unresolved,
// unmanaged; `ignored` is decided by the scanner from the `retag: ignore` marker. Pure.
import type { ManagedImage } from './catalog.js';
import type { Resolution } from './normalise.js';
import { hasPlaceholder, isFloatingTag, isWholePlaceholder, matchingTags } from './tags.js';
import type { RefStatus } from './types.js';

export interface WrittenTag {
  /** null: no tag at all (docker pulls `latest`) */
  tag: string | null;
  /** the name ends in `:` and code adds the tag (`"docker.io/starlingx/x:" + tag`) */
  tagAppended?: boolean;
  digest?: string;
}

export interface Classification {
  status: Exclude<RefStatus, 'ignored'>;
  expected: string[];
  note?: string;
}

function list(tags: readonly string[]): string {
  return tags.join(', ');
}

function says(image: ManagedImage): string {
  return `the tag file${image.tags.length === 1 ? ' says' : 's say'} ${list(image.tags)}`;
}

/** `master-centos-stable-2019...` is what the managed tag was copied from, not a release tag. */
function driftNote(tag: string, image: ManagedImage): string | undefined {
  const madeFrom = image.buildTags.get(tag);
  if (madeFrom !== undefined) {
    return `the build tag (src_build_tag) of ${list(madeFrom)}`;
  }
  return undefined;
}

function classifyManaged(written: WrittenTag, image: ManagedImage): Classification {
  const expected = [...image.tags];
  const { tag, digest } = written;
  if (written.tagAppended) return { status: 'unresolved', expected, note: `the tag is added by code after the name; ${says(image)}` };
  if (tag === null || tag === '') {
    if (digest !== undefined) return { status: 'pinned', expected, note: 'pinned by digest; the digest is not checked (retag refs contacts no registry)' };
    return { status: 'floating', expected, note: tag === '' ? 'an empty tag' : 'no tag: docker pulls latest' };
  }
  if (isWholePlaceholder(tag)) return { status: 'unresolved', expected, note: `the tag is a variable; ${says(image)}` };
  if (isFloatingTag(tag)) return { status: 'floating', expected };
  const matched = matchingTags(tag, image.tags);
  if (matched.length > 0) {
    const notes = [
      ...(hasPlaceholder(tag) ? [`the placeholder matches ${list(matched)}`] : []),
      ...(digest !== undefined ? ['also pinned by digest (not checked)'] : []),
    ];
    return { status: 'pinned', expected, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
  }
  const note = driftNote(tag, image);
  return { status: 'drift', expected, ...(note === undefined ? {} : { note }) };
}

function classifyUnmanaged(written: WrittenTag): Classification {
  const { tag } = written;
  let floating = '';
  if (written.tagAppended || (tag !== null && isWholePlaceholder(tag))) floating = '; the tag is a variable';
  else if (tag === null || tag === '') floating = written.digest === undefined ? '; floating: no tag' : '';
  else if (isFloatingTag(tag)) floating = '; floating tag';
  return { status: 'unmanaged', expected: [], note: `not in the tag files${floating}` };
}

export function classify(written: WrittenTag, resolution: Resolution): Classification {
  return resolution.kind === 'managed' ? classifyManaged(written, resolution.image) : classifyUnmanaged(written);
}
