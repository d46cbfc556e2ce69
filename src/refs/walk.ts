// The files under the PATHs given, in a stable order (sorted names, depth first), one at a time:
// the tree is never listed whole, so memory does not grow with its size. Says what it skips and
// why; the size, binary and tag-file tests happen when a file is opened, in scan-tree.ts.
import type { Dirent } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import picomatch from 'picomatch';

/** Folders that hold no references anyone maintains by hand. */
const SKIPPED_DIRECTORIES = new Map([
  ['.git', 'git metadata'],
  ['.hg', 'mercurial metadata'],
  ['.svn', 'subversion metadata'],
  ['node_modules', 'node_modules (installed packages)'],
]);

/** A file to read (its size, type and identity are checked when it is opened), or a skipped path. */
export type WalkEvent = { kind: 'file'; path: string; absolute: string } | { kind: 'skip'; path: string; reason: string };

export type PathMatcher = (relative: string) => boolean;

export function excludeMatcher(globs: readonly string[]): PathMatcher {
  if (globs.length === 0) return () => false;
  const matchers = globs.map((glob) => picomatch(glob.replace(/\/+$/, ''), { dot: true, basename: !glob.replace(/\/+$/, '').includes('/') }));
  return (relative) => matchers.some((match) => match(relative));
}

function join(parent: string, name: string): string {
  return parent.endsWith('/') ? `${parent}${name}` : `${parent}/${name}`;
}

async function* directory(path: string, absolute: string, relative: string, excluded: PathMatcher): AsyncGenerator<WalkEvent> {
  let entries: Dirent[];
  try {
    // the entry types come with the listing: no lstat per entry on the walk's path
    entries = (await readdir(absolute, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    yield { kind: 'skip', path, reason: `cannot read the folder (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    return;
  }
  for (const entry of entries) {
    const { name } = entry;
    const childPath = join(path, name);
    const childAbsolute = join(absolute, name);
    const childRelative = relative === '' ? name : `${relative}/${name}`;
    if (excluded(childRelative)) continue;
    let type: 'directory' | 'file' | 'link' | 'other' = entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'link' : 'other';
    if (type === 'other' && !(entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice())) {
      // a file system that does not say (DT_UNKNOWN): ask
      try {
        const info = await lstat(childAbsolute);
        type = info.isDirectory() ? 'directory' : info.isFile() ? 'file' : info.isSymbolicLink() ? 'link' : 'other';
      } catch (error) {
        yield { kind: 'skip', path: childPath, reason: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
        continue;
      }
    }
    if (type === 'directory') {
      const skipped = SKIPPED_DIRECTORIES.get(name);
      if (skipped !== undefined) yield { kind: 'skip', path: childPath, reason: skipped };
      else yield* directory(childPath, childAbsolute, childRelative, excluded);
    } else if (type === 'file') {
      yield { kind: 'file', path: childPath, absolute: childAbsolute };
    } else if (type === 'link') {
      yield { kind: 'skip', path: childPath, reason: 'symbolic link (not followed; give its target as a PATH to scan it)' };
    } else {
      yield { kind: 'skip', path: childPath, reason: 'not a regular file' };
    }
  }
}

/**
 * Walks each root (a file or a folder). A root that does not exist is the caller's to report
 * before walking (a usage error); here it is one more skipped path.
 */
export async function* walk(roots: readonly { path: string; absolute: string }[], exclude: readonly string[]): AsyncGenerator<WalkEvent> {
  const excluded = excludeMatcher(exclude);
  for (const root of roots) {
    let info;
    try {
      info = await stat(root.absolute); // a root given as a symbolic link is followed
    } catch (error) {
      yield { kind: 'skip', path: root.path, reason: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
      continue;
    }
    if (info.isDirectory()) yield* directory(root.path, root.absolute, '', excluded);
    else if (!info.isFile()) yield { kind: 'skip', path: root.path, reason: 'not a regular file' };
    else if (!excluded(root.path.slice(root.path.lastIndexOf('/') + 1))) yield { kind: 'file', path: root.path, absolute: root.absolute };
  }
}
