// One file's text -> its references, classified. Puts the pieces together: the file's lines
// (patches: the new text only), comments, split keys, inline tokens, names resolved against the
// tag files. Pure: walk.ts and scan-tree.ts do the reading.
import type { Catalog } from './catalog.js';
import { classify } from './classify.js';
import { CommentTracker, dialectFor, hasIgnoreMarker, inSpans, isCommentOnly, type Span } from './comments.js';
import { findInlineTokens, type InlineToken } from './line-scan.js';
import { resolveName, type Resolution } from './normalise.js';
import { isDiffFile, sourceLines, type LineEvent, type SourceLine } from './source-lines.js';
import { hasPlaceholder } from './tags.js';
import type { RefFinding, RefForm } from './types.js';
import { readMappings, REPOSITORY_KEYS, TAG_KEYS, type KeyValue, type MappingKeys } from './yaml-keys.js';

/** Where a reference's tag text is, or where it would go: [start, end) of a line of the file. */
export interface EditSite {
  line: number;
  start: number;
  end: number;
  /** the text there now: the tag, `null`, or '' where a tag is inserted */
  current: string;
  /** what goes before a tag that is inserted: `:` after a bare name, ` ` after `tag:` */
  insertPrefix: string;
}

/** A finding before it is given its file name, with what --fix needs. */
export interface ScannedRef extends Omit<RefFinding, 'file' | 'fix'> {
  site?: EditSite;
  /** why --fix must leave this one alone even when it drifts */
  fixBlocked?: string;
}

/**
 * What says a bare `starlingx/x` on the line is an image and not a git project or a folder: an
 * image key or variable (`image:`, `CLIENT_IMAGE_NAME=`, `--image=`), a Dockerfile FROM, or a
 * container command (`docker run`, `podman pull`, `skopeo inspect`).
 */
const IMAGE_CONTEXT = [
  /(?:^|[^a-z])images?(?:_?name|_?ref)?["']?\s*[:=]/i,
  /^\s*FROM\s/i,
  /(?:^|[\s;&|(`"'])(?:docker|podman|nerdctl|crictl|ctr|skopeo)\s/,
];

interface LineInfo {
  line: SourceLine;
  /** comment spans of the line's text, worked out when first asked for */
  readonly spans: Span[];
}

interface Claim {
  start: number;
  end: number;
  /** the key whose value this is, when it stands alone (no tag key beside it) */
  bareKey?: string;
}

class LazyLineInfo implements LineInfo {
  private computed: Span[] | undefined;
  constructor(
    readonly line: SourceLine,
    private readonly tracker: CommentTracker,
  ) {}
  get spans(): Span[] {
    this.computed ??= this.tracker.spans(this.line.text);
    return this.computed;
  }
}

/** Comments that may run over several lines: with none, each line's comments are its own. */
const BLOCK_OPENERS = ['/*', '{#', '<!--'];

function lineInfos(events: readonly LineEvent[], path: string, text: string): Map<number, LineInfo> {
  const infos = new Map<number, LineInfo>();
  const diff = events.some((event) => event.kind !== 'text');
  if (!diff && !BLOCK_OPENERS.some((opener) => text.includes(opener))) {
    // the common case, done lazily: most lines hold no reference and need no comment test
    const tracker = new CommentTracker(dialectFor(path));
    for (const event of events) if (event.kind !== 'break') infos.set(event.index, new LazyLineInfo(event, tracker));
    return infos;
  }
  let patched: string | undefined;
  let tracker = new CommentTracker(dialectFor(path));
  for (const event of events) {
    if (event.kind === 'break') {
      if (event.patchedFile !== undefined && event.patchedFile !== patched) {
        patched = event.patchedFile;
        tracker = new CommentTracker(dialectFor(patched));
      }
      tracker.reset();
      continue;
    }
    infos.set(event.index, { line: event, spans: tracker.spans(event.text) });
  }
  return infos;
}

/** `retag: ignore` in a comment on the line, or on a comment-only line just before it. */
function ignoredAt(infos: Map<number, LineInfo>, lineIndex: number): boolean {
  const here = infos.get(lineIndex);
  if (here !== undefined && hasIgnoreMarker(here.line.text, here.spans)) return true;
  const before = infos.get(lineIndex - 1);
  return before !== undefined && isCommentOnly(before.line.text, before.spans) && hasIgnoreMarker(before.line.text, before.spans);
}

/** The name a repository key's value holds, when the value is one bare name and nothing else. */
function bareName(value: string): InlineToken | undefined {
  const tokens = findInlineTokens(value, true);
  const token = tokens[0];
  if (tokens.length !== 1 || token === undefined || token.start !== 0 || token.end !== value.length) return undefined;
  return token.tag === null && token.digest === undefined && !token.tagAppended ? token : undefined;
}

function resolveToken(token: InlineToken, catalog: Catalog): Resolution | undefined {
  return resolveName(token.name, token.prefix !== undefined, catalog);
}

function isTemplated(value: string): boolean {
  return value.includes('{{') || value.includes('$') || /@\w+@/.test(value);
}

/** `registry: docker.io` + `repository: starlingx/x`; a templated registry leaves the path. */
function resolveSplitName(repo: KeyValue, registry: KeyValue | undefined, catalog: Catalog): Resolution | undefined {
  const token = bareName(repo.value ?? '');
  if (token === undefined) return undefined;
  const registryValue = registry?.value?.replace(/\/+$/, '');
  if (registryValue === undefined || registryValue === '' || token.prefix !== undefined) return resolveToken(token, catalog);
  if (isTemplated(registryValue)) return resolveName(token.name, true, catalog);
  return resolveName(`${registryValue}/${token.name}`, false, catalog);
}

/** The file's text at a key's value ([start, end) are file positions, the line text has no diff prefix). */
function textAt(infos: Map<number, LineInfo>, kv: KeyValue): string {
  const info = infos.get(kv.line);
  return info === undefined ? '' : info.line.text.slice(kv.start - info.line.offset, kv.end - info.line.offset);
}

function firstKey(keys: MappingKeys, names: readonly string[]): KeyValue | undefined {
  for (const name of names) {
    const value = keys.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}

const CONTEXT_LINE = 'a context line of a patch: fix the file the patch applies to, or the patch by hand';

function fromMapping(keys: MappingKeys, catalog: Catalog, infos: Map<number, LineInfo>, refs: ScannedRef[], claims: Map<number, Claim[]>): void {
  const claim = (kv: KeyValue, bareKey?: string) => {
    const list = claims.get(kv.line) ?? [];
    list.push({ start: kv.start, end: kv.end, ...(bareKey === undefined ? {} : { bareKey }) });
    claims.set(kv.line, list);
  };
  const tag = firstKey(keys, TAG_KEYS);
  const digest = keys.get('digest');
  const digestValue = digest?.value ? digest.value : undefined;
  const registry = keys.get('registry');
  for (const key of REPOSITORY_KEYS) {
    const repo = keys.get(key);
    if (!repo?.value) continue;
    if (tag === undefined && digestValue === undefined) {
      claim(repo, key);
      continue;
    }
    const resolution = resolveSplitName(repo, registry, catalog);
    if (resolution === undefined) continue;
    // One mapping names one image: the other repository keys (Kustomize's `name` beside
    // `newName`) are not references of their own. A tag-file entry (src_build_tag) is a
    // definition, not a reference: it is claimed and not reported.
    for (const other of REPOSITORY_KEYS) {
      const kv = keys.get(other);
      if (kv?.value) claim(kv);
    }
    if (keys.has('src_build_tag')) return;
    const written = { tag: tag?.value ?? null, ...(digestValue === undefined ? {} : { digest: digestValue }) };
    const classified = classify(written, resolution);
    const ignored = ignoredAt(infos, repo.line) || (tag !== undefined && ignoredAt(infos, tag.line));
    const site: EditSite | undefined =
      tag === undefined
        ? undefined
        : { line: tag.line, start: tag.start, end: tag.end, current: textAt(infos, tag), insertPrefix: tag.value === null ? tag.insertPrefix : '' };
    const fixBlocked = tag?.kind === 'context' ? CONTEXT_LINE : digestValue !== undefined ? 'also pinned by the digest key: update the digest by hand' : undefined;
    refs.push({
      line: repo.line + 1,
      column: repo.start + 1,
      image: resolution.kind === 'managed' ? resolution.image.name : resolution.name,
      tag: written.tag,
      text: repo.value,
      form: 'split-keys',
      status: ignored ? 'ignored' : classified.status,
      expected: classified.expected,
      ...(ignored ? { note: `retag: ignore (${classified.status}${classified.note ? `: ${classified.note}` : ''})` } : classified.note ? { note: classified.note } : {}),
      ...(tag !== undefined && tag.line !== repo.line ? { tagLine: tag.line + 1 } : {}),
      ...(site === undefined ? {} : { site }),
      ...(fixBlocked === undefined ? {} : { fixBlocked }),
    });
    return;
  }
}

function formOf(token: InlineToken, resolution: Resolution): RefForm {
  if (token.prefix !== undefined || token.inTemplate || (token.tag !== null && hasPlaceholder(token.tag)) || resolution.via === 'templated-registry') return 'templated';
  if (token.digest !== undefined) return 'digest';
  if (resolution.via === 'mirror') return 'mirror';
  return resolution.via === 'short' ? 'short' : 'inline';
}

function fromToken(token: InlineToken, info: LineInfo, claimsHere: readonly Claim[], catalog: Catalog, infos: Map<number, LineInfo>): ScannedRef | undefined {
  const { line } = info;
  const start = token.start + line.offset;
  const end = token.end + line.offset;
  const claimed = claimsHere.filter((c) => start < c.end && c.start < end);
  if (claimed.some((c) => c.bareKey === undefined)) return undefined;
  const bareKey = claimed[0]?.bareKey;
  const resolution = resolveToken(token, catalog);
  if (resolution === undefined) return undefined;
  const untagged = token.tag === null && token.digest === undefined && !token.tagAppended;
  // `starlingx/config` with no tag is as likely a git project or a folder as an image
  const imageKey = bareKey !== undefined && bareKey !== 'name'; // `name:` names projects and charts too
  if (resolution.via === 'short' && untagged && !imageKey && !IMAGE_CONTEXT.some((context) => context.test(line.text))) return undefined;
  const classified = classify({ tag: token.tag, tagAppended: token.tagAppended, ...(token.digest === undefined ? {} : { digest: token.digest }) }, resolution);
  const inComment = inSpans(info.spans, token.start);
  const ignored = ignoredAt(infos, line.index);
  let site: EditSite | undefined;
  if (token.tag !== null) {
    site = { line: line.index, start: token.tagStart + line.offset, end: token.tagStart + token.tag.length + line.offset, current: token.tag, insertPrefix: '' };
  } else if (!token.tagAppended) {
    site = { line: line.index, start: token.nameEnd + line.offset, end: token.nameEnd + line.offset, current: '', insertPrefix: ':' };
  }
  let fixBlocked: string | undefined;
  if (line.kind === 'context') fixBlocked = CONTEXT_LINE;
  else if (token.digest !== undefined) fixBlocked = 'also pinned by digest: update the digest by hand';
  else if (bareKey !== undefined && bareKey !== 'image' && untagged) {
    fixBlocked = `a ${bareKey}: key without a tag key beside it: add the tag key (e.g. tag:) by hand`;
  }
  return {
    line: line.index + 1,
    column: start + 1,
    image: resolution.kind === 'managed' ? resolution.image.name : resolution.name,
    tag: token.tag,
    text: line.text.slice(token.start, token.end),
    form: formOf(token, resolution),
    status: ignored ? 'ignored' : classified.status,
    expected: classified.expected,
    ...(inComment ? { inComment: true as const } : {}),
    ...(ignored ? { note: `retag: ignore (${classified.status}${classified.note ? `: ${classified.note}` : ''})` } : classified.note ? { note: classified.note } : {}),
    ...(site === undefined ? {} : { site }),
    ...(fixBlocked === undefined ? {} : { fixBlocked }),
  };
}

/** Whether the text can hold a reference at all: the cheap test that lets most files go. */
export function mayHoldReferences(text: string | Buffer, catalog: Catalog): boolean {
  return catalog.hasLibraryImages || catalog.needles.some((needle) => text.includes(needle));
}

export function scanText(text: string, path: string, catalog: Catalog): ScannedRef[] {
  if (!mayHoldReferences(text, catalog)) return [];
  const events = [...sourceLines(text.split('\n'), isDiffFile(path))];
  const infos = lineInfos(events, path, text);
  const refs: ScannedRef[] = [];
  const claims = new Map<number, Claim[]>();
  for (const keys of readMappings(events)) fromMapping(keys, catalog, infos, refs, claims);
  for (const info of infos.values()) {
    const { text: lineText } = info.line;
    if (!catalog.hasLibraryImages && !catalog.needles.some((needle) => lineText.includes(needle))) continue;
    for (const token of findInlineTokens(lineText, catalog.hasLibraryImages)) {
      const ref = fromToken(token, info, claims.get(info.line.index) ?? [], catalog, infos);
      if (ref !== undefined) refs.push(ref);
    }
  }
  return refs.sort((a, b) => a.line - b.line || a.column - b.column);
}
