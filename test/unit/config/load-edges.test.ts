// Edges of the tag-file loader that load.test.ts does not reach, found by mutation testing
// (docs/mutation-testing.md): standard input (`-`), the size limit at its exact value and as the
// message words it, a file whose size stat does not tell, and errors that are not Node's.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTagFiles, readErrorMessage, STDIN_NAME } from '../../../src/config/load.js';

const ENTRY = (name: string, tag: string): string => `  - name: ${name}\n    src_build_tag: s\n    tag: ${tag}\n`;
const TEXT = `images:\n${ENTRY('a', 't')}`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retag-load-edges-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function stdinOf(text: string | Uint8Array): () => Promise<Uint8Array> {
  return () => Promise.resolve(typeof text === 'string' ? Buffer.from(text) : text);
}

describe('loadTagFiles: standard input', () => {
  it('reads `-` from stdin, names it <stdin>, and reads the other files from disk', async () => {
    await writeFile(join(dir, 'disk.yaml'), `images:\n${ENTRY('b', 't')}`);
    const loaded = await loadTagFiles(['disk.yaml', '-', '-'], { cwd: dir, stdin: stdinOf(TEXT) });
    expect(loaded.problems).toEqual([]);
    expect(loaded.files).toEqual([
      { file: 'disk.yaml', entries: 1 },
      { file: STDIN_NAME, entries: 1 },
    ]);
    expect(loaded.entries.map((e) => [e.name, e.location])).toEqual([
      ['b', { file: 'disk.yaml', line: 2 }],
      ['a', { file: STDIN_NAME, line: 2 }],
    ]);
  });

  it('without a stdin reader, `-` is a file of that name', async () => {
    const loaded = await loadTagFiles(['-'], { cwd: dir });
    expect(loaded.problems).toEqual([{ file: '-', message: 'file not found; check the path' }]);
  });

  it('stdin at the size limit is read; one byte over is refused', async () => {
    const exact = await loadTagFiles(['-'], { cwd: dir, maxBytes: TEXT.length, stdin: stdinOf(TEXT) });
    expect(exact.problems).toEqual([]);
    const over = await loadTagFiles(['-'], { cwd: dir, maxBytes: TEXT.length - 1, stdin: stdinOf(TEXT) });
    expect(over.problems).toEqual([
      { file: STDIN_NAME, message: `tag file is ${TEXT.length} bytes; the limit is ${TEXT.length - 1} bytes, split it into several files` },
    ]);
  });

  it('a failed read of stdin is a problem of <stdin>, not an exception', async () => {
    const failing = () => Promise.reject(Object.assign(new Error('x'), { code: 'EAGAIN' }));
    const loaded = await loadTagFiles(['-'], { cwd: dir, stdin: failing });
    expect(loaded.problems).toEqual([{ file: STDIN_NAME, message: 'cannot read the file (EAGAIN)' }]);
  });

  it('stdin that is not UTF-8 text is refused like a file', async () => {
    const loaded = await loadTagFiles(['-'], { cwd: dir, stdin: stdinOf(new Uint8Array([0x69, 0x00])) });
    expect(loaded.problems.map((p) => p.message)).toEqual(['not a text file (it contains NUL bytes); give a YAML tag file']);
  });
});

describe('loadTagFiles: the size limit', () => {
  const MiB = 1024 * 1024;
  it.each([
    [0, '0 bytes'],
    [1000, '1000 bytes'],
    [1024, '1 KiB'],
    [1500, '1500 bytes'],
    [2048, '2 KiB'],
    [1.5 * MiB, '1536 KiB'],
    [2 * MiB, '2 MiB'],
  ])('a limit of %i bytes reads as %s', async (maxBytes, shown) => {
    const loaded = await loadTagFiles(['-'], { cwd: dir, maxBytes, stdin: stdinOf(new Uint8Array(maxBytes + 1).fill(0x20)) });
    expect(loaded.problems.map((p) => p.message)).toEqual([`tag file is ${maxBytes + 1} bytes; the limit is ${shown}, split it into several files`]);
  });

  it('a file of exactly the limit is read', async () => {
    await writeFile(join(dir, 'exact.yaml'), TEXT);
    const loaded = await loadTagFiles(['exact.yaml'], { cwd: dir, maxBytes: TEXT.length });
    expect(loaded.problems).toEqual([]);
    expect(loaded.entries).toHaveLength(1);
  });

  it('a file whose size stat does not tell (a /proc file) is measured as read', async () => {
    const loaded = await loadTagFiles(['/proc/self/status'], { cwd: dir, maxBytes: 16 });
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0]?.message).toMatch(/^tag file is \d+ bytes; the limit is 16 bytes, split it into several files$/);
  });
});

describe('readErrorMessage of what is not a Node error', () => {
  it.each([
    [undefined, 'cannot read the file (undefined)'],
    ['boom', 'cannot read the file (boom)'],
    [new Error('no code'), 'cannot read the file (no code)'],
  ])('%j', (error, message) => {
    expect(readErrorMessage(error)).toBe(message);
  });
});
