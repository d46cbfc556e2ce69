// YAML text -> plain values, plus where each mapping and list began, so that every problem can
// name a line. js-yaml has no node positions, but its `listener` option reports an 'open' and a
// 'close' event for every node it composes (lib/loader.js `composeNode`): the open event carries
// the offset where the node starts (before leading whitespace), the close event the finished
// value. Objects are tracked by identity in WeakMaps; scalars are located by their key's line.
//
// The same listener enforces what a tag file never needs and an attacker could use:
// - aliases (`*name`): js-yaml shares the anchored value, so a "billion laughs" file parses fast
//   but explodes in anything that walks the tree afterwards (validation, JSON, logging);
// - deep nesting: a tag file is document -> images -> entry -> field.
// Both stop the parse at the first occurrence, so hostile input costs one pass over the text.
import yaml from 'js-yaml';

/** js-yaml counts the document root as depth 1; a tag file needs 4 (5 with a tag or anchor). */
export const MAX_YAML_DEPTH = 20;

/** The parsed documents of one file and the lines (1-based) where their parts begin. */
export interface YamlSource {
  documents: unknown[];
  /** The line where document `index` begins. */
  documentLine(index: number): number;
  /** The line where a mapping or list begins (its first key or `-`), when known. */
  nodeLine(node: object): number | undefined;
  /** The line of item `index` of a list, when known. */
  itemLine(list: readonly unknown[], index: number): number | undefined;
  /** The line of `key:` inside a mapping, when it can be found. */
  keyLine(mapping: object, key: string): number | undefined;
}

export type YamlParse =
  | { ok: true; source: YamlSource }
  | { ok: false; line: number | undefined; message: string };

/** The fields of js-yaml's loader state that the listener reads (`@types/js-yaml` lacks depth). */
interface ParserState {
  depth: number;
  position: number;
  kind: string | null;
  result: unknown;
}

/** Where a node's text begins and ends: offsets into the input, and the lines holding them. */
interface Span {
  from: number;
  to: number;
  start: number;
  end: number;
}

interface Frame {
  position: number;
  /** Start lines of the nodes composed directly inside this one, in order. */
  children: number[];
}

/** Thrown from the listener to stop js-yaml at once; never escapes this module. */
class StopParsing extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Line starts of a text, counting line breaks as js-yaml does (LF, CRLF and a lone CR). */
class LineIndex {
  private readonly starts: number[] = [0];
  private readonly lines: string[];

  constructor(text: string) {
    for (let i = 0; i < text.length; i += 1) {
      const ch = text.charCodeAt(i);
      if (ch === 0x0a || (ch === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) this.starts.push(i + 1);
    }
    this.lines = text.split(/\r\n|\r|\n/);
  }

  /** The 1-based line holding `offset`. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  text(line: number): string {
    return this.lines[line - 1] ?? '';
  }

  get count(): number {
    return this.lines.length;
  }
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

/** The offset of the first character of a node that js-yaml opened at `offset`. */
function contentStart(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const ch = text[i];
    if (isSpace(ch)) {
      i += 1;
    } else if (ch === '#') {
      // A node never starts with '#': here it opens a comment that runs to the end of the line.
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i += 1;
    } else {
      break;
    }
  }
  return Math.min(i, Math.max(text.length - 1, 0));
}

/** The offset of the last non-space character before `offset`. */
function contentEnd(text: string, offset: number): number {
  let i = Math.min(offset, text.length) - 1;
  while (i > 0 && isSpace(text[i])) i -= 1;
  return Math.max(i, 0);
}

// `key:` as it starts a mapping entry: at the line start, after a `- `, `{` or `,`, plain or
// quoted. Plain keys are taken without spaces so that a long line is scanned in linear time.
const KEY = /(?:^|[\s{,])(?:"([^"]*)"|'([^']*)'|([^\s"'{}[\],:#][^\s{}[\],:#]*))\s*:(?=\s|$)/g;

/**
 * The first line of each `key:` within a node's text. The text is searched (js-yaml reports no
 * key positions), so a nested mapping's key could shadow a later key of the same name; for tag
 * files, whose entries are flat, the first match is the entry's own key. Only the node's own text
 * is read, so locating keys in many entries on one long line stays linear.
 */
function keyLines(input: string, index: LineIndex, span: Span): Map<string, number> {
  const keys = new Map<string, number>();
  const text = input.slice(span.from, span.to + 1);
  let offset = 0;
  for (const line of text.split(/(?<=\r\n|\r(?!\n)|\n)/)) {
    // Drop a `# comment` so that commented-out keys are not taken for real ones.
    const code = line.replace(/(^|\s)#.*$/s, '$1');
    for (const match of code.matchAll(KEY)) {
      const key = match[1] ?? match[2] ?? match[3];
      if (key !== undefined && !keys.has(key)) keys.set(key, index.lineAt(span.from + offset + match.index));
    }
    offset += line.length;
  }
  return keys;
}

/** `!!js/function` for `tag:yaml.org,2002:js/function`, as the user wrote it. */
function shortTag(tag: string): string {
  const prefix = 'tag:yaml.org,2002:';
  return tag.startsWith(prefix) ? `!!${tag.slice(prefix.length)}` : `!<${tag}>`;
}

/** js-yaml's reasons, reworded to say what to fix. */
function explainYamlError(reason: string, lineText: string, column: number): string {
  if (reason === 'duplicated mapping key') {
    const key = /^\s*(?:"([^"]*)"|'([^']*)'|([^:#]*?))\s*:/.exec(lineText.slice(column));
    const name = key?.[1] ?? key?.[2] ?? key?.[3];
    if (name === 'images') {
      return 'images: appears twice in one document; put all entries in one images: list, or start a new document with ---';
    }
    const shown = name === undefined || name === '' ? 'a key' : `key "${name}"`;
    return `duplicate ${shown}: a key may appear only once in a mapping; remove one of them`;
  }
  const tag = /^unknown tag !<(.*)>$/.exec(reason);
  if (tag) {
    return `YAML tag ${shortTag(tag[1] ?? '')} is not allowed in tag files; values are plain text, remove the tag`;
  }
  return `invalid YAML: ${reason}; check the indentation and quoting here`;
}

/**
 * Parses every document of a tag file with the failsafe schema: every scalar is a string exactly
 * as written (`1.10` stays "1.10", `true` stays "true"), an empty value is null, and tags such as
 * `!!js/function` are unknown and rejected. Never throws for bad input.
 */
export function parseYaml(text: string): YamlParse {
  // js-yaml drops a leading BOM itself; dropping it here keeps our offsets equal to its offsets.
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const index = new LineIndex(input);
  const spans = new WeakMap<object, Span>();
  const items = new WeakMap<readonly unknown[], number[]>();
  const documentLines: number[] = [];
  const frames: Frame[] = [];

  const listener = (event: 'open' | 'close', raw: unknown): void => {
    const state = raw as ParserState;
    if (event === 'open') {
      if (state.depth > MAX_YAML_DEPTH) {
        throw new StopParsing(
          index.lineAt(contentStart(input, state.position)),
          `YAML nesting is deeper than ${MAX_YAML_DEPTH} levels; a tag file needs only images: -> entry -> field, check the indentation`,
        );
      }
      frames[state.depth] = { position: state.position, children: [] };
      return;
    }
    const frame = frames[state.depth];
    if (frame === undefined) return;
    const start = contentStart(input, frame.position);
    const result = state.result;
    // An alias is the one node that ends with a value but no kind of its own (readAlias).
    if (state.kind === null && result !== null && input[start] === '*') {
      const name = /^\*[^\s,[\]{}]*/.exec(input.slice(start, start + 200))?.[0] ?? '*';
      throw new StopParsing(
        index.lineAt(start),
        `YAML alias ${name} is not allowed in tag files; write the value out in full (aliases can expand a small file into a huge one)`,
      );
    }
    const line = index.lineAt(start);
    frames[state.depth - 1]?.children.push(line);
    if (state.depth === 1) documentLines.push(line);
    if (typeof result === 'object' && result !== null && !spans.has(result)) {
      // A node can close twice (a flow collection read as a would-be block mapping key, then as
      // itself); the inner close comes first and is the precise one.
      const to = contentEnd(input, state.position);
      spans.set(result, { from: start, to, start: line, end: index.lineAt(to) });
      if (Array.isArray(result) && frame.children.length === result.length) items.set(result, frame.children);
    }
  };

  let documents: unknown[];
  try {
    documents = yaml.loadAll(input, null, { schema: yaml.FAILSAFE_SCHEMA, listener });
  } catch (error) {
    if (error instanceof StopParsing) return { ok: false, line: error.line, message: error.message };
    if (error instanceof yaml.YAMLException) {
      const mark = (error as { mark?: { line?: number; column?: number } }).mark;
      const line = mark?.line === undefined ? undefined : Math.min(mark.line + 1, index.count);
      const lineText = line === undefined ? '' : index.text(line);
      return { ok: false, line, message: explainYamlError(error.reason, lineText, mark?.column ?? 0) };
    }
    throw error;
  }

  /** Block-sequence items by their `-` markers, for lists with empty items (`-` alone). */
  const dashLines = (list: readonly unknown[]): number[] | undefined => {
    const span = spans.get(list);
    if (span === undefined) return undefined;
    const first = index.text(span.start);
    const column = first.search(/\S/);
    if (first[column] !== '-') return undefined;
    const lines: number[] = [];
    for (let line = span.start; line <= span.end; line += 1) {
      const t = index.text(line);
      const after = t[column + 1];
      if (t[column] === '-' && t.slice(0, column).trim() === '' && (after === undefined || isSpace(after))) {
        lines.push(line);
      }
    }
    return lines.length === list.length ? lines : undefined;
  };

  // Both indexes are built once per node and cached: a file with thousands of problems must not
  // rescan a long list or document once per problem.
  const dashCache = new WeakMap<readonly unknown[], number[] | undefined>();
  const keyCache = new WeakMap<object, Map<string, number>>();

  const source: YamlSource = {
    documents,
    documentLine: (i) => documentLines[i] ?? 1,
    nodeLine: (node) => spans.get(node)?.start,
    itemLine: (list, i) => {
      const known = items.get(list)?.[i];
      if (known !== undefined) return known;
      if (!dashCache.has(list)) dashCache.set(list, dashLines(list));
      return dashCache.get(list)?.[i] ?? spans.get(list)?.start;
    },
    keyLine: (mapping, key) => {
      let keys = keyCache.get(mapping);
      if (keys === undefined) {
        const span = spans.get(mapping);
        keys = span === undefined ? new Map() : keyLines(input, index, span);
        keyCache.set(mapping, keys);
      }
      return keys.get(key);
    },
  };
  return { ok: true, source };
}
