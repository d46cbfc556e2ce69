// `retag pin` against a real docker-registry (issue 10): the real StarlingX tag files, copied from
// test/fixtures/starlingx (themselves from ../shared/fixtures/starlingx, i.e. starlingx/root
// build-tools/build-docker-images/tag-management/) with docker.io/ pointed at a local registry
// seeded with every (name, src_build_tag) they name. Only the added lines may change.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { runInProcess, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/starlingx/', import.meta.url));

describe('retag pin on the real StarlingX tag files', () => {
  let registry: TestRegistry;
  let dir: string;
  let files: string[];
  /** file -> its text with docker.io/ pointed at the local registry, before pin */
  const originals = new Map<string, string>();
  /** `repo:src_build_tag` -> digest */
  const digests = new Map<string, string>();

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
    files = (await readdir(FIXTURES)).filter((f) => f.endsWith('.yaml')).sort();
    const copies: Record<string, string> = {};
    const sources = new Set<string>();
    for (const file of files) {
      const text = (await readFile(join(FIXTURES, file), 'utf8')).replaceAll('docker.io/', `${registry.host}/`);
      copies[file] = text;
      originals.set(file, text);
      const names = [...text.matchAll(/name: *(\S+)\s+src_build_tag: *(\S+)/g)];
      for (const [, name, source] of names) sources.add(`${name!.slice(registry.host.length + 1)}:${source}`);
    }
    dir = await tempFiles(copies);
    const seeded = await seedImages(
      registry.client,
      [...sources].map((key) => {
        const [repo, tag] = key.split(':') as [string, string];
        return { repo, tag, kind: 'docker-v2' as const, variant: key };
      }),
    );
    for (const image of seeded) digests.set(`${image.repo}:${image.tag}`, image.digest);
    expect(digests.size).toBeGreaterThan(100);
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
  });

  /** The original text with one `src_digest:` line after each `src_build_tag:` line, same indentation. */
  function expected(text: string): string {
    let name = '';
    return text.replace(/^( *)(?:- )?(name|src_build_tag): *(\S+)(\r?\n)/gm, (line: string, indent: string, key: string, value: string, eol: string) => {
      if (key === 'name') {
        name = value.slice(registry.host.length + 1);
        return line;
      }
      const digest = digests.get(`${name}:${value}`);
      return `${line}${indent}src_digest: ${digest ?? 'UNSEEDED'}${eol}`;
    });
  }

  it('pin --check exits 1 before pin, pin writes only the added lines, a second pin and --check change nothing', async () => {
    const before = await runInProcess(['pin', '--check', ...files], { cwd: dir });
    expect(before.code, before.stderr + before.stdout).toBe(1);
    expect(before.stdout).toContain('unpinned');
    for (const file of files) expect(await readFile(join(dir, file), 'utf8')).toBe(originals.get(file));

    const pinned = await runInProcess(['pin', ...files], { cwd: dir });
    expect(pinned.code, pinned.stderr + pinned.stdout).toBe(0);
    for (const file of files) {
      const after = await readFile(join(dir, file));
      const want = Buffer.from(expected(originals.get(file)!));
      expect(after.equals(want), `${file} differs from the original plus src_digest lines`).toBe(true);
      expect(after.toString('utf8')).not.toContain('UNSEEDED');
    }

    const snapshot = await Promise.all(files.map((file) => readFile(join(dir, file))));
    const again = await runInProcess(['pin', ...files], { cwd: dir });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).toContain('0 added');
    const after = await Promise.all(files.map((file) => readFile(join(dir, file))));
    after.forEach((bytes, i) => expect(bytes.equals(snapshot[i]!)).toBe(true));

    const check = await runInProcess(['pin', '--check', ...files], { cwd: dir });
    expect(check.code, check.stderr + check.stdout).toBe(0);

    const validate = await runInProcess(['validate', '--require-digest', ...files], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(0);
  }, 120_000);
});

describe('retag pin: stale digests, missing sources, CRLF', () => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
  }, 60_000);

  afterAll(async () => {
    await registry?.stop();
  });

  it('a re-pushed source is stale: reported, rewritten only with --update, and --check exits 1 on it', async () => {
    const [old] = await seedImages(registry.client, [{ repo: 'stx/moving', tag: 'build-1', kind: 'oci-manifest', variant: 'one' }]);
    const text = `---\r\nimages:\r\n  - name: ${registry.host}/stx/moving\r\n    src_build_tag: build-1\r\n    tag: stx.1\r\n`;
    const dir = await tempFiles({ 'tags.yaml': text });
    expect((await runInProcess(['pin', 'tags.yaml'], { cwd: dir })).code).toBe(0);
    const pinned = await readFile(join(dir, 'tags.yaml'), 'utf8');
    expect(pinned).toBe(text.replace('build-1\r\n', `build-1\r\n    src_digest: ${old!.digest}\r\n`));

    const [moved] = await seedImages(registry.client, [{ repo: 'stx/moving', tag: 'build-1', kind: 'oci-manifest', variant: 'two' }]);
    const check = await runInProcess(['pin', '--check', 'tags.yaml'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`is stale: build-1 now points at ${moved!.digest}`);
    const plain = await runInProcess(['pin', 'tags.yaml'], { cwd: dir });
    expect(plain.code).toBe(1);
    expect(await readFile(join(dir, 'tags.yaml'), 'utf8')).toBe(pinned);
    const update = await runInProcess(['pin', '--update', 'tags.yaml'], { cwd: dir });
    expect(update.code, update.stderr).toBe(0);
    expect(update.stdout).toMatch(/updated +tags.yaml:3 /);
    expect(await readFile(join(dir, 'tags.yaml'), 'utf8')).toBe(pinned.replace(old!.digest, moved!.digest));
  }, 60_000);

  it('a missing source leaves the file untouched and names the entry', async () => {
    await seedImages(registry.client, [{ repo: 'stx/here', tag: 'build-1', kind: 'docker-v2' }]);
    const text = [
      'images:',
      `  - name: ${registry.host}/stx/here`,
      '    src_build_tag: build-1',
      '    tag: stx.1',
      `  - name: ${registry.host}/stx/gone`,
      '    src_build_tag: build-404',
      '    tag: stx.1',
      '',
    ].join('\n');
    const dir = await tempFiles({ 'tags.yaml': text });
    const result = await runInProcess(['pin', 'tags.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/missing-source +tags.yaml:5 .*stx\/gone:stx.1 +build-404 does not exist/);
    expect(result.stdout).toContain('tags.yaml: 2 entries, NOT written');
    expect(await readFile(join(dir, 'tags.yaml'), 'utf8')).toBe(text);
  }, 60_000);

  it('--require-digest names the unpinned entries (validate and apply exit 2, no request)', async () => {
    const dir = await tempFiles({ 'tags.yaml': `images:\n  - name: ${registry.host}/stx/x\n    src_build_tag: b\n    tag: t\n` });
    for (const command of ['validate', 'apply']) {
      const result = await runInProcess([command, '--require-digest', 'tags.yaml'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('tags.yaml:2: images[0]');
      expect(result.stderr).toContain('src_digest is missing (--require-digest)');
    }
  });
});
