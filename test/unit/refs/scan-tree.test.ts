// The tree side of `retag refs`: what is skipped and said so, --exclude, and --fix writing files
// atomically with their mode kept.
import { chmod, mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanTree } from '../../../src/refs/index.js';
import { STX } from './helpers.js';

async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'retag-refs-tree-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

const REF = 'image: docker.io/starlingx/dex:old\n';

describe('scanTree', () => {
  it('skips .git, node_modules, binary and large files, symbolic links and the tag files, and says so', async () => {
    const dir = await tree({
      'a/values.yaml': REF,
      '.git/config': REF,
      'node_modules/x/values.yaml': REF,
      'image.bin': Buffer.concat([Buffer.from(REF), Buffer.from([0, 1, 2])]),
      'big.yaml': REF + 'x'.repeat(2048),
      'tags.yaml': REF,
    });
    await symlink(join(dir, 'a/values.yaml'), join(dir, 'link.yaml'));
    const tags = await stat(join(dir, 'tags.yaml'));
    const report = await scanTree({ roots: [{ path: 'tree', absolute: dir }], catalog: STX, maxBytes: 1024, neverScan: new Set([`${tags.dev}:${tags.ino}`]) });
    expect(report.refs.map((r) => `${r.file}:${r.line}`)).toEqual(['tree/a/values.yaml:1']);
    expect(report.skipped.map((s) => [s.file, s.reason.split(' (')[0]])).toEqual([
      ['tree/.git', 'git metadata'],
      ['tree/big.yaml', 'larger than 1 KiB'],
      ['tree/image.bin', 'binary'],
      ['tree/link.yaml', 'symbolic link'],
      ['tree/node_modules', 'node_modules'],
      ['tree/tags.yaml', 'tag file'],
    ]);
    expect(report.scannedFiles).toBe(1);
  });

  it.each([
    [['charts'], ['x.sh']],
    [['*.yaml'], ['x.sh']],
    [['charts/**'], ['x.sh']],
    [['charts/a/values.yaml'], ['charts/b/values.yaml', 'x.sh']],
    [['values.yaml', 'x.sh'], []],
  ])('--exclude %j', async (exclude, kept) => {
    const dir = await tree({ 'charts/a/values.yaml': REF, 'charts/b/values.yaml': REF, 'x.sh': REF });
    const report = await scanTree({ roots: [{ path: dir, absolute: dir }], catalog: STX, exclude });
    expect(report.refs.map((r) => r.file.slice(dir.length + 1))).toEqual(kept);
  });

  it('the order is stable: files sorted, references by line', async () => {
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`d${i % 3}/f${String(i).padStart(2, '0')}.yaml`, `a: 1\n${REF}${REF}`]));
    const dir = await tree(files);
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX, concurrency: 7 });
    const sorted = Object.keys(files).sort().flatMap((f) => [`./${f}:2`, `./${f}:3`]);
    expect(report.refs.map((r) => `${r.file}:${r.line}`)).toEqual(sorted);
  });

  it('--fix writes each file atomically (no temporary file left), keeps its mode, and reports the changes', async () => {
    const dir = await tree({ 'values.yaml': `# keep\r\n${REF.replace('\n', '\r\n')}x: docker.io/starlingx/stx-oidc-client:v1`, 'other.sh': 'echo hi\n' });
    await chmod(join(dir, 'values.yaml'), 0o640);
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX, fix: true });
    expect(await readFile(join(dir, 'values.yaml'), 'utf8')).toBe('# keep\r\nimage: docker.io/starlingx/dex:stx.4.0-v2.14.0-1\r\nx: docker.io/starlingx/stx-oidc-client:v1');
    expect((await stat(join(dir, 'values.yaml'))).mode & 0o777).toBe(0o640);
    expect((await readdir(dir)).sort()).toEqual(['other.sh', 'values.yaml']);
    expect(report.fixed).toEqual({ refs: 1, files: 1 });
    expect(report.refs.map((r) => r.fix)).toEqual([
      { action: 'changed', from: 'old', to: 'stx.4.0-v2.14.0-1' },
      { action: 'ambiguous', candidates: ['stx.13.0-v1.0.12-bullseye', 'stx.13.0-v1.0.12-trixie'] },
    ]);
  });

  it('--fix never rewrites a file that is not valid UTF-8 (its bytes would change)', async () => {
    const bytes = Buffer.concat([Buffer.from(REF), Buffer.from([0xff, 0x0a])]);
    const dir = await tree({ 'values.yaml': bytes });
    const report = await scanTree({ roots: [{ path: '.', absolute: dir }], catalog: STX, fix: true });
    expect(await readFile(join(dir, 'values.yaml'))).toEqual(bytes);
    expect(report.refs[0]?.fix).toMatchObject({ action: 'left', reason: expect.stringMatching(/UTF-8/) });
  });
});
