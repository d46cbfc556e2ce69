// scanTree's file plumbing, seen through its report: files that change between the walk and the
// read (removed, replaced by a folder, grown), files that cannot be read, the size limit at its
// exact value, the read limit (--concurrency), the summary and `fixed` counts, and what --fix
// leaves alone. A file is changed "between walk and open" from inside the scan of an earlier
// file: the catalog is wrapped so that its first use for each file runs the next step.
import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanTree, type Catalog } from '../../../src/refs/index.js';
import { STX } from './helpers.js';

async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'retag-refs-edges-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/**
 * STX, running steps[k] when the k-th scanned file first asks the catalog. A file's scan asks
 * several times in one synchronous run; a microtask marks the end of that run.
 */
function duringScans(steps: (() => void)[]): Catalog {
  let busy = false;
  return new Proxy(STX, {
    get(target, key, receiver) {
      if (key === 'hasLibraryImages' && !busy) {
        busy = true;
        queueMicrotask(() => {
          busy = false;
        });
        steps.shift()?.();
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

const DRIFT = 'image: docker.io/starlingx/dex:old\n';
const PINNED = 'image: docker.io/starlingx/dex:stx.4.0-v2.14.0-1\n';
const AMBIGUOUS = 'x: docker.io/starlingx/stx-oidc-client:v1\n';
const MiB = 1024 * 1024;

describe('scanTree: files that change or cannot be read', () => {
  it('with --concurrency 1 the next file is opened only after the one before is scanned: files removed meanwhile are said so', async () => {
    const dir = await tree({ 'a.yaml': DRIFT, 'b.yaml': DRIFT, 'c.yaml': DRIFT, 'd.yaml': DRIFT });
    const catalog = duringScans([() => rmSync(join(dir, 'b.yaml')), () => rmSync(join(dir, 'd.yaml'))]);
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog, concurrency: 1 });
    expect(report.refs.map((r) => r.file)).toEqual(['./a.yaml', './c.yaml']);
    expect(report.skipped).toEqual([
      { file: './b.yaml', reason: 'cannot read (ENOENT)' },
      { file: './d.yaml', reason: 'cannot read (ENOENT)' },
    ]);
    expect(report.scannedFiles).toBe(2);
  });

  it('a file replaced by a folder after the walk is not a regular file', async () => {
    const dir = await tree({ 'a.yaml': DRIFT, 'b.yaml': DRIFT });
    const catalog = duringScans([
      () => {
        rmSync(join(dir, 'b.yaml'));
        mkdirSync(join(dir, 'b.yaml'));
      },
    ]);
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog, concurrency: 1 });
    expect(report.skipped).toEqual([{ file: './b.yaml', reason: 'not a regular file' }]);
    expect(report.scannedFiles).toBe(1);
  });

  it('a file that holds more than its size said (a /proc file says 0) changed while being read', async () => {
    const report = await scanTree({ roots: [{ path: 'status', absolute: '/proc/self/status' }], catalog: STX });
    expect(report.skipped).toEqual([{ file: 'status', reason: 'changed while being read; run again' }]);
    expect(report.scannedFiles).toBe(0);
  });

  it('a read that fails is said with its code', async () => {
    // /proc/self/mem opens and says it is a regular file, but reading at offset 0 is EIO
    const report = await scanTree({ roots: [{ path: 'mem', absolute: '/proc/self/mem' }], catalog: STX });
    expect(report.skipped).toEqual([{ file: 'mem', reason: 'cannot read (EIO)' }]);
  });

  it('an empty file is read and counted as scanned', async () => {
    const dir = await tree({ 'empty.yaml': '' });
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX });
    expect(report).toEqual({ refs: [], skipped: [], scannedFiles: 1, summary: { pinned: 0, drift: 0, floating: 0, unresolved: 0, unmanaged: 0, ignored: 0 } });
  });

  it('the size limit: a file of exactly maxBytes is scanned, one byte more is not; sizes read in KiB or MiB', async () => {
    const exact = DRIFT + 'x'.repeat(MiB - DRIFT.length);
    const dir = await tree({ 'a.yaml': exact, 'b.yaml': exact + 'x', 'c.yaml': DRIFT + 'x'.repeat(1536) });
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX, maxBytes: MiB });
    expect(report.refs.map((r) => r.file)).toEqual(['./a.yaml', './c.yaml']);
    expect(report.skipped).toEqual([{ file: './b.yaml', reason: 'larger than 1 MiB (1 MiB)' }]);
    const small = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX, maxBytes: 1024 });
    expect(small.skipped.map((s) => s.reason)).toEqual(['larger than 1 KiB (1 MiB)', 'larger than 1 KiB (1 MiB)', 'larger than 1 KiB (2 KiB)']);
  });

  it('a NUL byte anywhere makes a file binary, even after a reference', async () => {
    const dir = await tree({ 'a.yaml': `${DRIFT}\0`, 'b.yaml': DRIFT });
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX });
    expect(report.skipped).toEqual([{ file: './a.yaml', reason: 'binary' }]);
    expect(report.refs.map((r) => r.file)).toEqual(['./b.yaml']);
  });
});

describe('scanTree: the report', () => {
  it('counts each status in the summary; without --fix nothing is written and there is no fixed count nor fix outcome', async () => {
    const text = [
      'a: docker.io/starlingx/dex:stx.4.0-v2.14.0-1',
      'b: docker.io/starlingx/dex:old',
      'c: docker.io/starlingx/dex:old',
      'd: docker.io/starlingx/dex:latest',
      'e: docker.io/starlingx/dex:${T}',
      '# retag: ignore',
      'f: docker.io/starlingx/dex:old',
      '',
    ].join('\n');
    const dir = await tree({ 'values.yaml': text });
    const before = await stat(join(dir, 'values.yaml'));
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX });
    expect(report.summary).toEqual({ pinned: 1, drift: 2, floating: 1, unresolved: 1, unmanaged: 0, ignored: 1 });
    expect(report.refs.map((r) => r.status)).toEqual(['pinned', 'drift', 'drift', 'floating', 'unresolved', 'ignored']);
    expect(report.refs.filter((r) => 'fix' in r)).toEqual([]);
    expect('fixed' in report).toBe(false);
    expect(await readFile(join(dir, 'values.yaml'), 'utf8')).toBe(text);
    expect((await stat(join(dir, 'values.yaml'))).ino).toBe(before.ino);
  });

  it('--fix counts the references and the files changed; a file with nothing to change is not rewritten', async () => {
    const dir = await tree({ 'a.yaml': `${PINNED}${DRIFT}${AMBIGUOUS}${DRIFT}`, 'b.yaml': `${PINNED}${AMBIGUOUS}`, 'c.yaml': DRIFT });
    const untouched = await stat(join(dir, 'b.yaml'));
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX, fix: true });
    expect(report.fixed).toEqual({ refs: 3, files: 2 });
    expect(report.refs.map((r) => [r.file, r.line, r.fix?.action ?? 'none'])).toEqual([
      ['./a.yaml', 1, 'none'],
      ['./a.yaml', 2, 'changed'],
      ['./a.yaml', 3, 'ambiguous'],
      ['./a.yaml', 4, 'changed'],
      ['./b.yaml', 1, 'none'],
      ['./b.yaml', 2, 'ambiguous'],
      ['./c.yaml', 1, 'changed'],
    ]);
    // a reference with nothing to do carries no `fix` key at all (the JSON report omits it)
    expect(Object.keys(report.refs[0] ?? {})).not.toContain('fix');
    expect((await stat(join(dir, 'b.yaml'))).ino).toBe(untouched.ino);
    expect(await readFile(join(dir, 'b.yaml'), 'utf8')).toBe(`${PINNED}${AMBIGUOUS}`);
  });

  it('--fix with nothing to change anywhere reports zero of each', async () => {
    const dir = await tree({ 'a.yaml': PINNED, 'b.sh': 'echo hi\n' });
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX, fix: true });
    expect(report.fixed).toEqual({ refs: 0, files: 0 });
  });

  it('--fix on a file that is not UTF-8 leaves the changes, keeps the other outcomes, and writes nothing', async () => {
    const bytes = Buffer.concat([Buffer.from(`${PINNED}${DRIFT}${AMBIGUOUS}`), Buffer.from([0xff, 0x0a])]);
    const dir = await tree({ 'values.yaml': bytes });
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX, fix: true });
    expect(await readFile(join(dir, 'values.yaml'))).toEqual(bytes);
    expect(report.refs.map((r) => r.fix)).toEqual([
      undefined,
      { action: 'left', reason: 'the file is not valid UTF-8: retag will not rewrite it' },
      { action: 'ambiguous', candidates: ['stx.13.0-v1.0.12-bullseye', 'stx.13.0-v1.0.12-trixie'] },
    ]);
    expect(report.fixed).toEqual({ refs: 0, files: 0 });
  });

  it('--fix leaves references in comments; --fix --all rewrites them', async () => {
    const text = `# was: docker.io/starlingx/dex:old\n${DRIFT}`;
    const dir = await tree({ 'values.yaml': text });
    const plain = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX, fix: true });
    expect(plain.fixed).toEqual({ refs: 1, files: 1 });
    expect(await readFile(join(dir, 'values.yaml'), 'utf8')).toBe(`# was: docker.io/starlingx/dex:old\nimage: docker.io/starlingx/dex:stx.4.0-v2.14.0-1\n`);
    await writeFile(join(dir, 'values.yaml'), text);
    const all = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX, fix: true, fixComments: true });
    expect(all.fixed).toEqual({ refs: 2, files: 1 });
    expect(await readFile(join(dir, 'values.yaml'), 'utf8')).toBe(`# was: docker.io/starlingx/dex:stx.4.0-v2.14.0-1\nimage: docker.io/starlingx/dex:stx.4.0-v2.14.0-1\n`);
  });

  it('--fix that cannot write a file says why, counts nothing for it, and goes on with the next file', async () => {
    const dir = await tree({ 'a.yaml': DRIFT, 'b.yaml': DRIFT });
    // a.yaml becomes a folder after it was read: the rename over it fails
    const catalog = duringScans([
      () => {
        rmSync(join(dir, 'a.yaml'));
        mkdirSync(join(dir, 'a.yaml'));
      },
    ]);
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog, fix: true, concurrency: 1 });
    expect(report.refs.map((r) => [r.file, r.fix])).toEqual([
      ['./a.yaml', { action: 'left', reason: 'not fixed: cannot write the file (EISDIR)' }],
      ['./b.yaml', { action: 'changed', from: 'old', to: 'stx.4.0-v2.14.0-1' }],
    ]);
    expect(report.fixed).toEqual({ refs: 1, files: 1 });
    expect((await readdir(dir)).sort()).toEqual(['a.yaml', 'b.yaml']);
  });

  it('references and skipped paths come in walk order whatever order the reads finish in', async () => {
    // a.yaml is rewritten (several more file operations) while the others are only read
    const files: Record<string, string | Buffer> = { 'a.yaml': DRIFT };
    for (let i = 0; i < 12; i++) files[`f${String(i).padStart(2, '0')}.yaml`] = i % 3 === 0 ? Buffer.from([0]) : PINNED;
    const dir = await tree(files);
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX, fix: true, concurrency: 8 });
    const names = Object.keys(files).sort();
    expect(report.refs.map((r) => r.file)).toEqual(names.filter((n) => files[n] !== undefined && typeof files[n] === 'string').map((n) => `./${n}`));
    expect(report.skipped.map((s) => s.file)).toEqual(names.filter((n) => Buffer.isBuffer(files[n])).map((n) => `./${n}`));
    expect(report.fixed).toEqual({ refs: 1, files: 1 });
  });
});
