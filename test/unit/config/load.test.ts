import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, loadTagFiles, MAX_TAG_FILE_BYTES } from '../../../src/config/index.js';
import { readErrorMessage } from '../../../src/config/load.js';

const STARLINGX = fileURLToPath(new URL('../../fixtures/starlingx/', import.meta.url));

/** Entries per real StarlingX file (their `  - name:` lines; commented-out ones excluded). */
const STARLINGX_COUNTS: Record<string, number> = {
  '2020-02-image-tags-3.0.yaml': 7,
  '2020-02-image-tags-4.0.yaml': 9,
  'master-image-tags-bullseye.yaml': 50,
  'master-image-tags-trixie.yaml': 20,
  'stx.4.0-image-tags-3.0.yaml': 7,
  'stx.4.0-image-tags-4.0.yaml': 12,
  'stx.5.0-image-tags.yaml': 20,
  'stx.6.0-image-tags.yaml': 21,
  'stx.7.0-image-tags.yaml': 24,
  'stx.8.0-image-tags.yaml': 31,
  'stx.9.0-image-tags.yaml': 38,
  'stx.10.0-image-tags.yaml': 39,
  'stx.11.0-image-tags.yaml': 46,
  'stx.12.0-image-tags.yaml': 50,
};

const ENTRY = (name: string, source: string, tag: string): string =>
  `  - name: ${name}\n    src_build_tag: ${source}\n    tag: ${tag}\n`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retag-config-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: string | Uint8Array): Promise<string> {
  await writeFile(join(dir, name), content);
  return name;
}

describe('loadTagFiles on the real StarlingX files', () => {
  it('validates every one with no problems and the right entry counts', async () => {
    const names = (await readdir(STARLINGX)).filter((name) => name.endsWith('.yaml')).sort();
    expect(names).toEqual(Object.keys(STARLINGX_COUNTS).sort());
    for (const name of names) {
      const loaded = await loadTagFiles([name], { cwd: STARLINGX });
      expect(loaded.problems.map(formatProblem), name).toEqual([]);
      expect(loaded.files, name).toEqual([{ file: name, entries: STARLINGX_COUNTS[name] }]);
      expect(loaded.entries.length, name).toBe(STARLINGX_COUNTS[name]);
      for (const entry of loaded.entries) {
        expect(entry.registry).toBe('docker.io');
        expect(entry.repository).toMatch(/^starlingx\//);
        expect(entry.srcRef).toMatch(/^https:\/\//);
      }
    }
  });

  it('accepts all of them together: repeats across branches share a source', async () => {
    const names = Object.keys(STARLINGX_COUNTS);
    const loaded = await loadTagFiles(names, { cwd: STARLINGX });
    expect(loaded.problems).toEqual([]);
    // The fixtures' README: 201 distinct (name, tag) pairs across all branches.
    expect(loaded.entries).toHaveLength(201);
    const total = Object.values(STARLINGX_COUNTS).reduce((a, b) => a + b, 0);
    expect(loaded.entries.reduce((n, e) => n + 1 + e.alsoAt.length, 0)).toBe(total);
    // stx.4.0-image-tags-3.0.yaml repeats 2020-02-image-tags-3.0.yaml entry for entry.
    const first = loaded.entries[0];
    expect(first?.location).toEqual({ file: '2020-02-image-tags-3.0.yaml', line: 4 });
    expect(first?.alsoAt).toContainEqual({ file: 'stx.4.0-image-tags-3.0.yaml', line: 4 });
  });
});

describe('loadTagFiles', () => {
  it('reports a conflict across files naming both places', async () => {
    const a = await write('a.yaml', `images:\n${ENTRY('ubuntu', 'build-1', 'v1')}`);
    const b = await write('b.yaml', `# other branch\nimages:\n${ENTRY('docker.io/library/ubuntu', 'build-2', 'v1')}`);
    const loaded = await loadTagFiles([a, b], { cwd: dir });
    expect(loaded.entries.map((e) => e.name)).toEqual(['ubuntu']);
    expect(loaded.problems).toEqual([
      {
        file: 'b.yaml',
        line: 4,
        path: 'images[0].src_build_tag',
        image: 'docker.io/library/ubuntu',
        message:
          'docker.io/library/ubuntu:v1 is requested from two sources: "build-1" at a.yaml:2 and "build-2" at b.yaml:3; ' +
          'a tag can point at only one build, so make the entries agree or remove one',
      },
    ]);
  });

  it('deduplicates across files, keeping file order and every place', async () => {
    const a = await write('d1.yaml', `images:\n${ENTRY('a', 's', 't')}${ENTRY('b', 's', 't')}`);
    const b = await write('d2.yaml', `images:\n${ENTRY('c', 's', 't')}${ENTRY('docker.io/library/a', 's', 't')}`);
    const loaded = await loadTagFiles([a, b], { cwd: dir });
    expect(loaded.problems).toEqual([]);
    expect(loaded.entries.map((e) => e.name)).toEqual(['a', 'b', 'c']);
    expect(loaded.entries[0]?.alsoAt).toEqual([{ file: 'd2.yaml', line: 5 }]);
    expect(loaded.files).toEqual([
      { file: 'd1.yaml', entries: 2 },
      { file: 'd2.yaml', entries: 2 },
    ]);
  });

  it('resolves relative paths against cwd but reports them as given', async () => {
    await mkdir(join(dir, 'sub'), { recursive: true });
    await write('sub/rel.yaml', `images:\n${ENTRY('a', 's', 'bad tag')}`);
    const loaded = await loadTagFiles(['sub/../sub/rel.yaml', join(dir, 'sub/rel.yaml')], { cwd: dir });
    // The same file given twice is read once.
    expect(loaded.files).toEqual([{ file: 'sub/../sub/rel.yaml', entries: 1 }]);
    expect(loaded.problems.map(formatProblem)).toEqual([
      `sub/../sub/rel.yaml:4: images[0].tag (a): tag "bad tag" is not a valid tag; use letters, digits, '_', '.', '-' (max 128)`,
    ]);
  });

  it('collects the problems of every file, grouped by file in the order given', async () => {
    const bad = await write('bad.yaml', `images:\n${ENTRY('a', 's', 's')}`);
    const good = await write('good.yaml', `images:\n${ENTRY('b', 's', 't')}`);
    const loaded = await loadTagFiles(['missing.yaml', bad, good, dir], { cwd: dir });
    expect(loaded.problems.map((p) => [p.file, p.line])).toEqual([
      ['missing.yaml', undefined],
      ['bad.yaml', 4],
      [dir, undefined],
    ]);
    expect(loaded.entries.map((e) => e.name)).toEqual(['b']);
    expect(loaded.files.map((f) => f.entries)).toEqual([0, 1, 1, 0]); // entries as written, valid or not
  });

  it('returns nothing for no paths', async () => {
    expect(await loadTagFiles([], { cwd: dir })).toEqual({ entries: [], problems: [], files: [] });
  });
});

describe('loadTagFiles file-level problems', () => {
  const cases: [string, () => Promise<string>, string][] = [
    ['a missing file', async () => 'nope.yaml', 'file not found; check the path'],
    ['a missing directory', async () => 'nope/stx.yaml', 'file not found; check the path'],
    ['a path through a file', async () => `${await write('plain.yaml', 'images: []\n')}/x.yaml`, 'file not found (a part of the path is not a directory)'],
    [
      'a directory',
      async () => {
        await mkdir(join(dir, 'tags.d'), { recursive: true });
        return 'tags.d';
      },
      'is a directory; give a tag file',
    ],
    [
      'a named pipe (read would block)',
      async () => {
        execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
        return 'pipe.yaml';
      },
      'is not a regular file; give a tag file',
    ],
    ['a binary file', async () => write('bin.yaml', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0d])), 'not a text file (it contains NUL bytes)'],
    ['a UTF-16 file', async () => write('utf16.yaml', Buffer.from('\uFEFFimages: []\n', 'utf16le')), 'not a text file (it contains NUL bytes)'],
    ['invalid UTF-8', async () => write('latin1.yaml', Buffer.from('images: # caf\xe9\n', 'latin1')), 'not a text file (it is not valid UTF-8)'],
    ['an empty file', async () => write('empty.yaml', ''), 'tag file is empty'],
    [
      'a file over the size limit',
      async () => write('big.yaml', `images: []\n${'#'.repeat(MAX_TAG_FILE_BYTES)}\n`),
      `tag file is ${MAX_TAG_FILE_BYTES + 12} bytes; the limit is 1 MiB, split it into several files`,
    ],
  ];

  it.each(cases)('%s', async (_name, make, message) => {
    const file = await make();
    const started = performance.now();
    const loaded = await loadTagFiles([file], { cwd: dir });
    expect(performance.now() - started).toBeLessThan(10_000); // typically milliseconds; generous for a busy machine and mutation testing's instrumented code
    expect(loaded.entries).toEqual([]);
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0]?.file).toBe(file);
    expect(loaded.problems[0]?.message).toContain(message);
    expect(formatProblem(loaded.problems[0] ?? { file: '', message: '' })).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}: `));
  });

  it('takes the size limit from options', async () => {
    const file = await write('small.yaml', `images:\n${ENTRY('a', 's', 't')}`);
    const loaded = await loadTagFiles([file], { cwd: dir, maxBytes: 16 });
    expect(loaded.problems.map((p) => p.message)).toEqual([
      'tag file is 52 bytes; the limit is 16 bytes, split it into several files',
    ]);
  });

  it('reads a UTF-8 file with a byte order mark', async () => {
    const file = await write('bom.yaml', `\uFEFFimages:\n${ENTRY('a', 's', 't')}`);
    const loaded = await loadTagFiles([file], { cwd: dir });
    expect(loaded.problems).toEqual([]);
    expect(loaded.entries[0]?.location).toEqual({ file, line: 2 });
  });
});

describe('readErrorMessage', () => {
  // Tests run as root in CI, where chmod cannot make a file unreadable: check the wording directly.
  it.each([
    ['ENOENT', 'file not found; check the path'],
    ['EISDIR', 'is a directory; give a tag file (e.g. dir/*.yaml)'],
    ['EACCES', 'cannot read the file: permission denied'],
    ['EPERM', 'cannot read the file: permission denied'],
    ['ELOOP', 'cannot read the file: too many symbolic links (a link loop?)'],
    ['EIO', 'cannot read the file (EIO)'],
  ])('%s', (code, message) => {
    expect(readErrorMessage(Object.assign(new Error('x'), { code }))).toBe(message);
  });
});
