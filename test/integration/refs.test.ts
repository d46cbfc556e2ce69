// `retag refs` through the real binary: exit codes 0/1/2, the three output formats, comments and
// --all, and --fix rewriting files on disk. No registry: refs contacts none.
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runBinary, tagFile, tempFiles } from '../helpers/run-cli.js';

const TAGS = tagFile([
  { name: 'docker.io/starlingx/dex', src_build_tag: 'master-centos-stable-20200204T162546Z.0', tag: 'stx.4.0-v2.14.0-1' },
  { name: 'docker.io/starlingx/k8s-cni-sriov', src_build_tag: 'master-centos-stable-20191203T153530Z.0', tag: 'stx.4.0-v2.2' },
]);
const BULLSEYE = tagFile([{ name: 'docker.io/starlingx/stx-oidc-client', src_build_tag: 'master-debian-stable-20250101T000000Z.0', tag: 'stx.13.0-v1.0.12-bullseye' }]);
const TRIXIE = tagFile([{ name: 'docker.io/starlingx/stx-oidc-client', src_build_tag: 'master-debian-stable-20250102T000000Z.0', tag: 'stx.13.0-v1.0.12-trixie' }]);

const PINNED = 'image:\n  repository: docker.io/starlingx/dex\n  tag: stx.4.0-v2.14.0-1\n';
const DRIFT = 'image:\n  repository: docker.io/starlingx/dex\n  tag: stx.4.0-v2.13.0\n';

describe('retag refs (binary)', () => {
  it('exit 0 when every reference is pinned; pinned rows only with --all', async () => {
    const dir = await tempFiles({ 'tags.yaml': TAGS, 'values.yaml': PINNED });
    const quiet = await runBinary(['refs', '--tags', 'tags.yaml', '.'], { cwd: dir });
    expect([quiet.code, quiet.stderr]).toEqual([0, '']);
    expect(quiet.stdout).toBe('1 reference in 1 file (1 scanned, 1 skipped): 1 pinned, 0 drift, 0 floating, 0 unresolved, 0 unmanaged, 0 ignored\n');
    const all = await runBinary(['refs', '--tags', 'tags.yaml', '--all', '.'], { cwd: dir });
    expect(all.stdout).toMatch(/^pinned {2}\.\/values\.yaml:2 {2}docker\.io\/starlingx\/dex {2}stx\.4\.0-v2\.14\.0-1\n/);
  });

  it('exit 1 on drift and on floating tags, one line per finding, grouped by file', async () => {
    const dir = await tempFiles({ 'tags.yaml': TAGS, 'values.yaml': DRIFT, 'vars.yml': 'sriov_img: docker.io/starlingx/k8s-cni-sriov:master-centos-stable-latest\n' });
    const result = await runBinary(['refs', '--tags', 'tags.yaml', 'values.yaml', 'vars.yml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'drift     values.yaml:2  docker.io/starlingx/dex  stx.4.0-v2.13.0 -> stx.4.0-v2.14.0-1',
      '',
      'floating  vars.yml:1  docker.io/starlingx/k8s-cni-sriov  master-centos-stable-latest -> stx.4.0-v2.2',
      '',
      '2 references in 2 files (2 scanned, 0 skipped): 0 pinned, 1 drift, 1 floating, 0 unresolved, 0 unmanaged, 0 ignored',
      '',
    ]);
  });

  it('exit 2 for an invalid tag file (nothing scanned), a missing --tags and a PATH that does not exist', async () => {
    const dir = await tempFiles({ 'bad.yaml': 'images:\n  - name: docker.io/starlingx/dex\n    tag: v1\n', 'tags.yaml': TAGS, 'values.yaml': DRIFT });
    const bad = await runBinary(['refs', '--tags', 'bad.yaml', '.'], { cwd: dir });
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toMatch(/bad\.yaml:2.*src_build_tag is missing[\s\S]*nothing was scanned/);
    const noTags = await runBinary(['refs', '.'], { cwd: dir });
    expect(noTags.code).toBe(2);
    expect(noTags.stderr).toMatch(/--tags/);
    const noPath = await runBinary(['refs', '--tags', 'tags.yaml', 'charts'], { cwd: dir });
    expect(noPath.code).toBe(2);
    expect(noPath.stderr).toMatch(/charts: file not found/);
  });

  it('--output json has the shape of issue 9', async () => {
    const dir = await tempFiles({ 'tags.yaml': TAGS, 'values.yaml': DRIFT, 'notes.md': '<!-- docker.io/starlingx/dex:old -->\n' });
    const result = await runBinary(['refs', '--tags', 'tags.yaml', '--output', 'json', '.'], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['version', 'schemaVersion', 'command', 'refs', 'summary', 'skipped']); // issue 13: every JSON report says which retag and shape
    expect(report.refs).toEqual([
      { file: './notes.md', line: 1, column: 6, image: 'docker.io/starlingx/dex', tag: 'old', text: 'docker.io/starlingx/dex:old', form: 'inline', status: 'drift', expected: ['stx.4.0-v2.14.0-1'], inComment: true },
      { file: './values.yaml', line: 2, column: 15, image: 'docker.io/starlingx/dex', tag: 'stx.4.0-v2.13.0', text: 'docker.io/starlingx/dex', form: 'split-keys', status: 'drift', expected: ['stx.4.0-v2.14.0-1'], tagLine: 3 },
    ]);
    expect(report.summary).toEqual({ pinned: 0, drift: 2, floating: 0, unresolved: 0, unmanaged: 0, ignored: 0 });
    expect(report.skipped).toEqual([{ file: './tags.yaml', reason: 'tag file (given with --tags)' }]);
  });

  it('--output markdown is a table for a review comment', async () => {
    const dir = await tempFiles({ 'tags.yaml': TAGS, 'values.yaml': DRIFT });
    const result = await runBinary(['refs', '--tags', 'tags.yaml', '--output', 'markdown', 'values.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('| status | file | image | tag | tag files | note |');
    expect(result.stdout).toContain('| **drift** | `values.yaml:2` | `docker.io/starlingx/dex` | `stx.4.0-v2.13.0` | `stx.4.0-v2.14.0-1` |');
  });

  it('a drift only in a comment is reported but exits 0; --all makes it count', async () => {
    const dir = await tempFiles({ 'tags.yaml': TAGS, 'values.yaml': `# image: docker.io/starlingx/dex:old\n${PINNED}` });
    const result = await runBinary(['refs', '--tags', 'tags.yaml', 'values.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^drift {2}values\.yaml:1 .*\(in a comment\)$/m);
    expect((await runBinary(['refs', '--tags', 'tags.yaml', '--all', 'values.yaml'], { cwd: dir })).code).toBe(1);
  });

  it('--fix rewrites the files, says what changed, exits 0; a second run finds nothing to do', async () => {
    const dir = await tempFiles({ 'tags.yaml': TAGS, 'values.yaml': DRIFT });
    const fixed = await runBinary(['refs', '--tags', 'tags.yaml', '--fix', '.'], { cwd: dir });
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/fixed: stx\.4\.0-v2\.13\.0 -> stx\.4\.0-v2\.14\.0-1/);
    expect(fixed.stdout).toMatch(/--fix changed 1 in 1 file$/m);
    expect(await readFile(join(dir, 'values.yaml'), 'utf8')).toBe(PINNED);
    const again = await runBinary(['refs', '--tags', 'tags.yaml', '--fix', '.'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/1 pinned, 0 drift.*--fix changed 0 in 0 files$/m);
  });

  it('--fix leaves an ambiguous reference (one tag per OS) alone, lists the candidates, exits 1', async () => {
    const text = 'image: docker.io/starlingx/stx-oidc-client:stx.13.0-v1.0.11\nimage: docker.io/starlingx/stx-oidc-client:stx.13.0-v1.0.11-@OS_CODENAME@\n';
    const dir = await tempFiles({ 'bullseye.yaml': BULLSEYE, 'trixie.yaml': TRIXIE, 'values.yaml': text });
    const result = await runBinary(['refs', '--tags', 'bullseye.yaml', '--tags', 'trixie.yaml', '--fix', 'values.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/left alone, ambiguous: stx\.13\.0-v1\.0\.12-bullseye, stx\.13\.0-v1\.0\.12-trixie/);
    expect(await readFile(join(dir, 'values.yaml'), 'utf8')).toBe(text.replace('v1.0.11-@', 'v1.0.12-@'));
  });

  it('--help teaches: usage, statuses, exit codes and examples', async () => {
    const result = await runBinary(['refs', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: retag refs \[options\] <path\.\.\.>/);
    expect(result.stdout).toMatch(/Examples:[\s\S]*--fix[\s\S]*Exit codes: 0/);
  });
});

describe("README's refs examples run as written", () => {
  it('the report on examples/refs is the one README shows', async () => {
    const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const block = /\$ retag refs --tags examples\/stx\.4\.0-image-tags\.yaml examples\/refs\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const result = await runBinary(['refs', '--tags', 'examples/stx.4.0-image-tags.yaml', 'examples/refs']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(block?.[1]);
  });

  it('--fix on a copy of examples/refs fixes all that fails the check (exit 0)', async () => {
    const copy = join(await mkdtemp(join(tmpdir(), 'retag-refs-demo-')), 'refs-demo');
    await cp(join(PROJECT_ROOT, 'examples', 'refs'), copy, { recursive: true });
    const result = await runBinary(['refs', '--tags', 'examples/stx.4.0-image-tags.yaml', '--fix', copy]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--fix changed 2 in 2 files$/m);
  });
});
