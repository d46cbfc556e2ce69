// Where the comments are on each line, so that a commented-out reference is marked `inComment`
// (it is still text a person copies) and a `retag: ignore` marker can be found. The syntax
// depends on the file: `#` is a comment in YAML and shell but a heading in Markdown, `//` one in
// Go or Groovy but part of every URL. Template comments (`{{/* */}}`, `{# #}`) and HTML comments
// are recognised everywhere; they and `/* */` may span lines.

export type CommentDialect = 'hash' | 'slash' | 'markdown' | 'generic';

export type Span = readonly [start: number, end: number];

const SLASH_EXTENSIONS = new Set(['js', 'mjs', 'cjs', 'ts', 'go', 'java', 'groovy', 'gradle', 'c', 'h', 'cc', 'cpp', 'cs', 'rs', 'kt', 'scala', 'swift', 'jsonc', 'json5', 'proto']);
const HASH_EXTENSIONS = new Set(['yaml', 'yml', 'j2', 'jinja', 'jinja2', 'tpl', 'sh', 'bash', 'ksh', 'zsh', 'py', 'pl', 'rb', 'conf', 'cfg', 'ini', 'toml', 'env', 'properties', 'mk', 'cmake', 'spec', 'r', 'tf', 'hcl']);
const MARKDOWN_EXTENSIONS = new Set(['md', 'markdown', 'rst', 'html', 'htm', 'xml', 'txt', 'adoc']);
const HASH_NAMES = new Set(['dockerfile', 'containerfile', 'makefile', 'jenkinsfile', 'vagrantfile', 'gemfile', 'rakefile']);

/** The comment syntax for a file, from its name (`values.yaml`, `Dockerfile.centos`, `x.yaml.j2`). */
export function dialectFor(path: string): CommentDialect {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (base === 'jenkinsfile' || base.endsWith('.jenkinsfile')) return 'slash';
  if (HASH_NAMES.has(base.split('.')[0] ?? '') || base.endsWith('.dockerfile')) return 'hash';
  const parts = base.split('.');
  // `x.yaml.j2`: the template's own extension says little, the one before it says what it renders
  for (let i = parts.length - 1; i >= 1; i--) {
    const extension = parts[i] ?? '';
    if (HASH_EXTENSIONS.has(extension)) return 'hash';
    if (SLASH_EXTENSIONS.has(extension)) return 'slash';
    if (MARKDOWN_EXTENSIONS.has(extension)) return 'markdown';
  }
  return 'generic';
}

interface BlockSyntax {
  open: string;
  close: string;
}

const TEMPLATE_BLOCKS: BlockSyntax[] = [
  { open: '{{/*', close: '*/}}' },
  { open: '{{- /*', close: '*/' },
  { open: '{#', close: '#}' },
  { open: '<!--', close: '-->' },
];
const C_BLOCK: BlockSyntax = { open: '/*', close: '*/' };

/**
 * Comment spans line by line. Keeps the state of a block comment left open at the end of a line,
 * so lines must be given in order.
 */
export class CommentTracker {
  private open: BlockSyntax | undefined;
  private readonly blocks: BlockSyntax[];
  private readonly hash: boolean;
  private readonly slash: boolean;

  constructor(dialect: CommentDialect) {
    this.blocks = dialect === 'slash' ? [...TEMPLATE_BLOCKS, C_BLOCK] : TEMPLATE_BLOCKS;
    this.hash = dialect === 'hash' || dialect === 'generic';
    this.slash = dialect === 'slash' || dialect === 'generic';
  }

  /** A file boundary inside a patch: a comment never continues into the next hunk's file. */
  reset(): void {
    this.open = undefined;
  }

  spans(line: string): Span[] {
    const spans: Span[] = [];
    let i = 0;
    if (this.open !== undefined) {
      const end = line.indexOf(this.open.close);
      if (end < 0) return [[0, line.length]];
      i = end + this.open.close.length;
      spans.push([0, i]);
      this.open = undefined;
    }
    let quote: string | undefined;
    for (; i < line.length; i++) {
      const c = line[i] ?? '';
      if (quote !== undefined) {
        if (c === quote) quote = undefined;
        else if (c === '\\') i++;
        continue;
      }
      if (c === '"' || (c === "'" && !/\w/.test(line[i - 1] ?? ''))) {
        quote = c; // an apostrophe inside a word (it's) opens nothing
        continue;
      }
      const block = this.blocks.find((b) => line.startsWith(b.open, i) && !(b.open === '{#' && line[i - 1] === '$'));
      if (block !== undefined) {
        const end = line.indexOf(block.close, i + block.open.length);
        if (end < 0) {
          spans.push([i, line.length]);
          this.open = block;
          return spans;
        }
        spans.push([i, end + block.close.length]);
        i = end + block.close.length - 1;
        continue;
      }
      const atWordStart = i === 0 || /\s/.test(line[i - 1] ?? '');
      if (atWordStart && ((this.hash && c === '#') || (this.slash && line.startsWith('//', i)))) {
        spans.push([i, line.length]);
        return spans;
      }
    }
    return spans;
  }
}

export function inSpans(spans: readonly Span[], index: number): boolean {
  return spans.some(([start, end]) => index >= start && index < end);
}

const IGNORE_MARKER = /retag:\s*ignore\b/;

/** Whether a comment on this line carries the `retag: ignore` allow-list marker. */
export function hasIgnoreMarker(line: string, spans: readonly Span[]): boolean {
  return spans.some(([start, end]) => IGNORE_MARKER.test(line.slice(start, end)));
}

/** A line that is nothing but comment (and blanks): its marker applies to the next line. */
export function isCommentOnly(line: string, spans: readonly Span[]): boolean {
  if (spans.length === 0) return false;
  let covered = 0;
  for (const [start, end] of spans) {
    if (line.slice(covered, start).trim() !== '') return false;
    covered = end;
  }
  return line.slice(covered).trim() === '';
}
