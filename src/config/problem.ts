// The located problems that config loading reports, and how they read on a terminal.

/** A place in a tag file: the path as the user gave it, and a 1-based line. */
export interface Location {
  file: string;
  line: number;
}

/**
 * One thing wrong with the tag files. `line` is missing only for problems with the whole file
 * (not found, not text, empty); `path` (`images[3].tag`, 0-based index) and `image` (the `name`
 * as written) are there when the problem sits inside an entry. `message` says what to fix.
 */
export interface ConfigProblem {
  file: string;
  line?: number;
  path?: string;
  image?: string;
  message: string;
  /** set on the note "stopped after N problems in this file", which is not a problem of its own */
  truncated?: true;
}

/** How many problems were found, without the stop notes; `+` when checking stopped early: "100+". */
export function countProblems(problems: readonly ConfigProblem[]): string {
  const found = problems.filter((p) => !p.truncated).length;
  return `${found}${problems.some((p) => p.truncated) ? '+' : ''}`;
}

/** `stx.yaml:12: images[3].tag (docker.io/starlingx/x): tag "a b" is not a valid tag; ...` */
export function formatProblem(p: ConfigProblem): string {
  const place = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  const image = p.image !== undefined && p.image.length > 100 ? `${p.image.slice(0, 100)}...` : p.image;
  const subject = [p.path, image === undefined || image === '' ? undefined : `(${image})`]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  return subject === '' ? `${place}: ${p.message}` : `${place}: ${subject}: ${p.message}`;
}

export function formatLocation(location: Location): string {
  return `${location.file}:${location.line}`;
}

/** `images[3].tag` from `['images', 3, 'tag']`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}
