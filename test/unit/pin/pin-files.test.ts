// pinFiles with a scripted source lookup: what is written, what is refused, all or nothing.
import { chmod, lstat, readFile, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImageEntry } from '../../../src/config/schema.js';
import { pinFiles, type PinMode, type SourceAnswer } from '../../../src/pin/pin-files.js';
import { tempFiles } from '../../helpers/run-cli.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

const FILE = [
  '# reviewed tags',
  'images:',
  '  - name: docker.io/starlingx/a',
  '    src_build_tag: build-a',
  '    tag: stx.1',
  '',
  '  - name: docker.io/starlingx/b   # second',
  '    src_build_tag: build-b',
  `    src_digest: ${D1}`,
  '    tag: stx.1',
  '',
].join('\r\n');

function lookup(answers: Record<string, SourceAnswer>) {
  const asked: string[] = [];
  return {
    asked,
    resolveSource: (entry: ImageEntry): Promise<SourceAnswer> => {
      asked.push(`${entry.repository}:${entry.source}`);
      return Promise.resolve(answers[entry.source] ?? { found: false });
    },
  };
}

async function pin(text: string, mode: PinMode, answers: Record<string, SourceAnswer>) {
  const dir = await tempFiles({ 'tags.yaml': text });
  const source = lookup(answers);
  const result = await pinFiles(['tags.yaml'], { mode, cwd: dir, concurrency: 4, resolver: () => Promise.resolve(source.resolveSource) });
  return { dir, result, asked: source.asked, after: await readFile(join(dir, 'tags.yaml'), 'utf8') };
}

describe('pinFiles', () => {
  it('adds the missing digest after src_build_tag and changes nothing else', async () => {
    const { result, after } = await pin(FILE, 'add', { 'build-a': { found: true, digest: D2 }, 'build-b': { found: true, digest: D1 } });
    expect(after).toBe(FILE.replace('src_build_tag: build-a\r\n', `src_build_tag: build-a\r\n    src_digest: ${D2}\r\n`));
    expect(result.files[0]?.written).toBe(true);
    expect(result.files[0]?.entries.map((e) => [e.line, e.status])).toEqual([
      [3, 'added'],
      [7, 'unchanged'],
    ]);
  });

  it('reports a stale digest without rewriting it; --update rewrites it', async () => {
    const answers = { 'build-a': { found: true, digest: D2 }, 'build-b': { found: true, digest: D2 } } as const;
    const added = await pin(FILE, 'add', answers);
    expect(added.result.files[0]?.entries[1]).toMatchObject({ status: 'stale', previous: D1, digest: D2 });
    expect(added.after).toContain(`src_digest: ${D1}`);
    const updated = await pin(FILE, 'update', answers);
    expect(updated.result.files[0]?.entries[1]).toMatchObject({ status: 'updated', previous: D1, digest: D2 });
    expect(updated.after).not.toContain(D1);
  });

  it('--check writes nothing', async () => {
    const { result, after } = await pin(FILE, 'check', { 'build-a': { found: true, digest: D2 }, 'build-b': { found: true, digest: D2 } });
    expect(after).toBe(FILE);
    expect(result.files[0]?.entries.map((e) => e.status)).toEqual(['unpinned', 'stale']);
  });

  it.each<[string, SourceAnswer]>([
    ['missing', { found: false }],
    ['failed', { found: 'error', error: 'GET answered 500' }],
  ])('a %s source leaves the whole file untouched', async (_name, answer) => {
    const { result, after } = await pin(FILE, 'update', { 'build-a': { found: true, digest: D2 }, 'build-b': answer });
    expect(after).toBe(FILE);
    expect(result.files[0]?.written).toBe(false);
    expect(result.files[0]?.entries[0]?.status).toBe('added');
  });

  it('resolves each source once and stops at an invalid file', async () => {
    const twice = `images:\n  - name: a\n    src_build_tag: s\n    tag: t1\n  - name: a\n    src_build_tag: s\n    tag: t2\n`;
    const ok = await pin(twice, 'add', { s: { found: true, digest: D1 } });
    expect(ok.asked).toEqual(['library/a:s']);
    expect(ok.after.match(/src_digest/g)).toHaveLength(2);
    const bad = await pin('images:\n  - name: a\n    tag: t\n', 'add', {});
    expect(bad.result.invalid[0]?.message).toContain('src_build_tag is missing');
    expect(bad.asked).toEqual([]);
  });

  it('keeps a BOM, the file mode, and edits through a symbolic link', async () => {
    const dir = await tempFiles({ 'real.yaml': `\ufeff${FILE}` });
    await chmod(join(dir, 'real.yaml'), 0o640);
    await symlink('real.yaml', join(dir, 'link.yaml'));
    const source = lookup({ 'build-a': { found: true, digest: D1 }, 'build-b': { found: true, digest: D1 } });
    await pinFiles(['link.yaml'], { mode: 'add', cwd: dir, concurrency: 1, resolver: () => Promise.resolve(source.resolveSource) });
    const bytes = await readFile(join(dir, 'real.yaml'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain(`build-a\r\n    src_digest: ${D1}\r\n`);
    expect((await stat(join(dir, 'real.yaml'))).mode & 0o777).toBe(0o640);
    expect((await lstat(join(dir, 'link.yaml'))).isSymbolicLink()).toBe(true);
  });
});
