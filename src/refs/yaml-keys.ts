// Split references in YAML: a mapping with a repository key and a tag key as siblings, in any
// order and not necessarily adjacent (Helm `image.repository` + `image.tag`, Armada `image` +
// `imageTag`, Kustomize `name`/`newName` + `newTag`), with an optional `registry` sibling.
//
// A light reader by lines and indentation, not a YAML parser: the files it must read are often
// not valid YAML (Jinja `.j2` templates with `{% if %}` lines, Helm templates, the `+`/context
// lines of a patch), and a parser would refuse them whole. It tracks which keys share a mapping
// and nothing else. Pure.
import type { LineEvent, LineKind } from './source-lines.js';

/** Keys that name the image, most specific first (Kustomize's newName replaces name). */
export const REPOSITORY_KEYS = ['newName', 'repository', 'image', 'name'] as const;
/** Keys that hold its tag, most specific first. */
export const TAG_KEYS = ['newTag', 'tag', 'imageTag', 'version'] as const;
const OTHER_KEYS = ['registry', 'digest', 'src_build_tag'] as const;
const INTERESTING = new Set<string>([...REPOSITORY_KEYS, ...TAG_KEYS, ...OTHER_KEYS]);

/** A scalar value of an interesting key. Positions are indices into the file's line. */
export interface KeyValue {
  key: string;
  /** the value without quotes; null when the key has no scalar value (`tag:`, `tag: {{x}}` is a scalar) */
  value: string | null;
  line: number;
  /** where the value text starts (inside the quotes); for a missing value, where one would go */
  start: number;
  end: number;
  /** a missing value needs this before it when inserted (`tag:` -> `tag: v1`) */
  insertPrefix: string;
  kind: LineKind;
}

/** The interesting keys of one mapping, once the mapping has ended. */
export type MappingKeys = Map<string, KeyValue>;

interface Frame {
  indent: number;
  keys: MappingKeys;
}

const KEY_LINE = /^( *)((?:- +)*)(?:"([^"]*)"|'([^']*)'|([A-Za-z_][\w.-]*))[ \t]*:(?=[ \t]|$)/;

/** The value after `key:`: quoted, plain (up to a ` #` comment), or none. */
function readValue(line: string, from: number): Pick<KeyValue, 'value' | 'start' | 'end' | 'insertPrefix'> {
  let i = from;
  while (line[i] === ' ' || line[i] === '\t') i++;
  // anchors and tags before the value: `&img docker.io/x`, `!!str 1.0`
  while ((line[i] === '&' || line[i] === '!') && /\S+[ \t]/y.test(line.slice(i))) {
    i = line.indexOf(' ', i);
    while (line[i] === ' ') i++;
  }
  const c = line[i];
  const none = { value: null, start: from + (line[from] === ' ' ? 1 : 0), end: from + (line[from] === ' ' ? 1 : 0), insertPrefix: line[from] === ' ' ? '' : ' ' };
  if (c === undefined || c === '#' || c === '|' || c === '>' || c === '[' || (c === '{' && line[i + 1] !== '{')) return none;
  if (c === '"' || c === "'") {
    let j = i + 1;
    for (; j < line.length; j++) {
      if (c === '"' && line[j] === '\\') j++;
      else if (line[j] === c) {
        if (c === "'" && line[j + 1] === "'") j++;
        else break;
      }
    }
    if (j >= line.length) return none; // a quoted scalar that goes on to the next line
    return { value: line.slice(i + 1, j), start: i + 1, end: j, insertPrefix: '' };
  }
  let end = line.length;
  const comment = line.slice(i).search(/[ \t]#/);
  if (comment >= 0) end = i + comment;
  let value = line.slice(i, end).trimEnd();
  if (value.endsWith(',')) value = value.slice(0, -1).trimEnd(); // JSON
  if (value === 'null' || value === '~' || value === 'Null' || value === 'NULL') return { ...none, start: i, end: i + value.length };
  return { value, start: i, end: i + value.length, insertPrefix: '' };
}

function isStructural(text: string): boolean {
  const trimmed = text.trimStart();
  if (trimmed === '' || trimmed.startsWith('#')) return false;
  // template lines (`{% if %}`, `{{- include ... | nindent 8 }}`) sit at any indentation
  return !(trimmed.startsWith('{%') || trimmed.startsWith('{#') || trimmed.startsWith('{{'));
}

/**
 * Every mapping that holds at least one repository key with a value, with its interesting keys,
 * in the order the mappings end.
 */
export function readMappings(events: Iterable<LineEvent>): MappingKeys[] {
  const out: MappingKeys[] = [];
  const stack: Frame[] = [];
  const close = (deeperThan: number) => {
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? -1) > deeperThan) {
      const frame = stack.pop();
      if (frame !== undefined && REPOSITORY_KEYS.some((k) => frame.keys.get(k)?.value)) out.push(frame.keys);
    }
  };
  for (const event of events) {
    if (event.kind === 'break') {
      close(-1);
      continue;
    }
    const text = event.text;
    if (!isStructural(text)) continue;
    if (/^(---|\.\.\.)(\s|$)/.test(text)) {
      close(-1);
      continue;
    }
    const match = KEY_LINE.exec(text);
    if (match === null) {
      close(text.length - text.trimStart().length);
      continue;
    }
    const column = (match[1] ?? '').length + (match[2] ?? '').length;
    close(match[2] ? column - 1 : column);
    let frame = stack[stack.length - 1];
    if (frame === undefined || frame.indent !== column) {
      frame = { indent: column, keys: new Map() };
      stack.push(frame);
    }
    const key = match[3] ?? match[4] ?? match[5] ?? '';
    if (!INTERESTING.has(key) || frame.keys.has(key)) continue;
    const read = readValue(text, match[0].length);
    frame.keys.set(key, {
      key,
      ...read,
      start: read.start + event.offset,
      end: read.end + event.offset,
      line: event.index,
      kind: event.kind,
    });
  }
  close(-1);
  return out;
}
