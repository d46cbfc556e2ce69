// The files under the PATHs given, in a stable order (sorted names, depth first), one at a time:
// the tree is never listed whole, so memory does not grow with its size. Says what it skips and
// why; reading and the binary test happen later, in scan-tree.ts.
import type { Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import picomatch from 'picomatch';

/** Folders that hold no references anyone maintains by hand. */
const SKIPPED_DIRECTORIES = new Map([
  ['.git', 'git metadata'],
  ['.hg', 'mercurial metadata'],
  ['.svn', 'subversion metadata'],
  ['node_modules', 'node_modules (installed packages)'],
]);

export type WalkEvent =
  | { kind: 'file'; path: string; absolute: string; size: number; id: string }
  | { kind: 'skip'; path: string; reason: string };

export interface WalkOptions {
  /** --exclude globs, matched against the path below the PATH given (a pattern without / against the name) */
  exclude: readonly string[];
  /** `dev:ino` of files never to scan (the tag files) */
  neverScan: ReadonlySet<string>;
  maxBytes: number;
}

export type PathMatcher = (relative: string) => boolean;

export function excludeMatcher(globs: readonly string[]): PathMatcher {
  if (globs.length === 0) return () => false;
  const matchers = globs.map((glob) => picomatch(glob.replace(/\/+$/, ''), { dot: true, basename: !glob.replace(/\/+$/, '').includes('/') }));
  return (relative) => matchers.some((match) => match(relative));
}

function join(parent: string, name: string): string {
  return parent.endsWith('/') ? `${parent}${name}` : `${parent}/${name}`;
}

function fileId(info: { dev: number; ino: number }): string {
  return `${info.dev}:${info.ino}`;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

async function* file(path: string, absolute: string, options: WalkOptions, info?: Stats): AsyncGenerator<WalkEvent> {
  const stats = info ?? (await lstat(absolute));
  if (stats.isSymbolicLink()) {
    yield { kind: 'skip', path, reason: 'symbolic link (not followed; give its target as a PATH to scan it)' };
    return;
  }
  if (!stats.isFile()) {
    yield { kind: 'skip', path, reason: 'not a regular file' };
    return;
  }
  const id = fileId(stats);
  if (options.neverScan.has(id)) {
    yield { kind: 'skip', path, reason: 'tag file (given with --tags)' };
    return;
  }
  if (stats.size > options.maxBytes) {
    yield { kind: 'skip', path, reason: `larger than ${formatSize(options.maxBytes)} (${formatSize(stats.size)})` };
    return;
  }
  yield { kind: 'file', path, absolute, size: stats.size, id };
}

async function* directory(path: string, absolute: string, relative: string, excluded: PathMatcher, options: WalkOptions): AsyncGenerator<WalkEvent> {
  let names: string[];
  try {
    names = (await readdir(absolute)).sort();
  } catch (error) {
    yield { kind: 'skip', path, reason: `cannot read the folder (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    return;
  }
  for (const name of names) {
    const childPath = join(path, name);
    const childAbsolute = join(absolute, name);
    const childRelative = relative === '' ? name : `${relative}/${name}`;
    if (excluded(childRelative)) continue;
    let info;
    try {
      info = await lstat(childAbsolute);
    } catch (error) {
      yield { kind: 'skip', path: childPath, reason: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
      continue;
    }
    if (info.isDirectory()) {
      const skipped = SKIPPED_DIRECTORIES.get(name);
      if (skipped !== undefined) yield { kind: 'skip', path: childPath, reason: skipped };
      else yield* directory(childPath, childAbsolute, childRelative, excluded, options);
    } else {
      yield* file(childPath, childAbsolute, options, info);
    }
  }
}

/**
 * Walks each root (a file or a folder). A root that does not exist is the caller's to report
 * before walking (a usage error); here it is one more skipped path.
 */
export async function* walk(roots: readonly { path: string; absolute: string }[], options: WalkOptions): AsyncGenerator<WalkEvent> {
  const excluded = excludeMatcher(options.exclude);
  for (const root of roots) {
    let info;
    try {
      info = await stat(root.absolute); // a root given as a symbolic link is followed
    } catch (error) {
      yield { kind: 'skip', path: root.path, reason: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
      continue;
    }
    if (info.isDirectory()) yield* directory(root.path, root.absolute, '', excluded, options);
    else if (!excluded(root.path.slice(root.path.lastIndexOf('/') + 1))) yield* file(root.path, root.absolute, options, info);
  }
}
