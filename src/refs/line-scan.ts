// Inline references in any text: `name:tag`, `name@sha256:...`, a bare `name`, with an optional
// templated registry prefix (`{{ docker_registry.url }}/`, `${REGISTRY}/`). This module only
// finds the written pieces; normalise.ts decides what image they name. Pure.
import { PLACEHOLDER_SOURCE } from './tags.js';

/** One image-reference-shaped piece of a line. Indices are into the line given. */
export interface InlineToken {
  start: number;
  end: number;
  /** `{{ docker_registry.url }}/`: a template or variable standing for the registry */
  prefix?: string;
  /** the name as written, without prefix, tag or digest */
  name: string;
  nameStart: number;
  nameEnd: number;
  /** the tag as written; null when there is none */
  tag: string | null;
  /** where the tag text starts (after `:`); for a missing tag, where `:tag` would go */
  tagStart: number;
  /**
   * `"docker.io/starlingx/x:" + tag`: a colon ends the name and the tag is added by code;
   * the tag cannot be read here.
   */
  tagAppended: boolean;
  digest?: string;
  /** inside a `{{ ... }}` expression (`default('docker.io/starlingx/rvmc')`) */
  inTemplate: boolean;
}

const COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const LABEL = String.raw`[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?`;
const HOST = String.raw`(?:${LABEL}(?:\.${LABEL})*(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?)`;
const TAG = String.raw`(?:[\w.-]|${PLACEHOLDER_SOURCE}){1,128}`;
const DIGEST = String.raw`[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`;

/**
 * The left boundary keeps a name from starting inside a longer word, path or URL (`a/starlingx/x`,
 * `git@host:starlingx/x`, `$starlingx`); the right one from ending where a path goes on
 * (`starlingx/x/values.yaml` is a file, `starlingx/stx-{{ name }}` a template).
 */
const TOKEN = new RegExp(
  String.raw`(?<![\w.\-/@$%:{}\\])` +
    String.raw`(?<scheme>[A-Za-z][A-Za-z0-9+.-]*://)?` +
    String.raw`(?<prefix>(?:${PLACEHOLDER_SOURCE})/)?` +
    String.raw`(?<name>(?:${HOST}|${COMPONENT})(?:/${COMPONENT})*)` +
    String.raw`(?::(?<tag>${TAG}))?` +
    String.raw`(?<colon>:(?=["'+%)\]]|$))?` +
    String.raw`(?:@(?<digest>${DIGEST}))?` +
    String.raw`(?![\w/@{$%:]|[.-][\w{$@%])`,
  'gd',
);

/** `docker://` is skopeo's transport for a registry image; `https://` is a web address. */
const IMAGE_SCHEMES = new Set(['docker://']);

const TEMPLATE_EXPRESSION = /\{\{.*?\}\}/g;

function templateSpans(line: string): [number, number][] {
  if (!line.includes('{{')) return [];
  return [...line.matchAll(TEMPLATE_EXPRESSION)].map((m) => [m.index, m.index + m[0].length]);
}

/**
 * Every reference-shaped token of the line that could name an image in a namespace. Names of one
 * component (`ubuntu`) are returned only with a tag or digest and only when `oneComponent` is
 * set: without that, every word followed by a colon would be a candidate.
 */
export function findInlineTokens(line: string, oneComponent = false): InlineToken[] {
  const tokens: InlineToken[] = [];
  const templates = templateSpans(line);
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(line); match !== null; match = TOKEN.exec(line)) {
    const groups = match.groups ?? {};
    const indices = match.indices?.groups ?? {};
    const scheme = groups.scheme;
    if (scheme !== undefined && !IMAGE_SCHEMES.has(scheme.toLowerCase())) continue;
    const name = groups.name ?? '';
    const nameSpan = indices.name ?? [match.index, match.index];
    const tag = groups.tag ?? null;
    const digest = groups.digest;
    const prefix = groups.prefix;
    if (!name.includes('/') && prefix === undefined && !(oneComponent && (tag !== null || digest !== undefined))) continue;
    const start = indices.prefix?.[0] ?? nameSpan[0];
    const inTemplate = templates.some(([from, to]) => start > from && start < to);
    tokens.push({
      start,
      end: match.index + match[0].length,
      ...(prefix === undefined ? {} : { prefix }),
      name,
      nameStart: nameSpan[0],
      nameEnd: nameSpan[1],
      tag,
      tagStart: indices.tag?.[0] ?? nameSpan[1],
      tagAppended: groups.colon !== undefined,
      ...(digest === undefined ? {} : { digest }),
      inTemplate,
    });
  }
  return tokens;
}
