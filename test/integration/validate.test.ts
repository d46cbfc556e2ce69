// The tag-file side through the real binary: StarlingX's files validate, bad files exit 2 with
// located messages, and an invalid file stops apply before any registry is contacted.
// Plus schema 1 refusal against a registry that still serves it.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { PROJECT_ROOT, basicAuth, dockerConfig, runBinary, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';

const STARLINGX = join(PROJECT_ROOT, 'test', 'fixtures', 'starlingx');

describe('retag validate', () => {
  it("validates every real StarlingX tag file, together (no cross-branch conflict)", async () => {
    const files = readdirSync(STARLINGX).filter((f) => f.endsWith('.yaml')).map((f) => join(STARLINGX, f));
    expect(files.length).toBe(14);
    const result = await runBinary(['validate', '--output', 'json', ...files]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { valid: boolean; images: { name: string; file: string; line: number }[] };
    expect(report.valid).toBe(true);
    expect(report.images.length).toBe(201);
    expect(report.images.every((i) => i.name.startsWith('docker.io/starlingx/') && i.line > 0 && i.file.endsWith('.yaml'))).toBe(true);
  });

  it('reports every problem of every file with file and line, exit 2', async () => {
    const dir = await tempFiles({
      'bad.yaml': 'images:\n  - name: docker.io/starlingx/x\n    src_build_tg: a\n    tag: v1\n',
      'dup.yaml': 'images:\n  - name: x\n    src_build_tag: a\n    src_build_tag: b\n    tag: v1\n',
      'empty.yaml': '',
      'noimages.yaml': '---\n# nothing here\nimage: []\n',
    });
    const result = await runBinary(['validate', 'bad.yaml', 'dup.yaml', 'empty.yaml', 'noimages.yaml', 'missing.yaml', '.'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('bad.yaml:3: images[0].src_build_tg (docker.io/starlingx/x): unknown key "src_build_tg"; did you mean src_build_tag?');
    expect(result.stderr).toMatch(/dup\.yaml:4: .*duplicate|dup\.yaml:4: .*twice|dup\.yaml:4: .*duplicated/i);
    expect(result.stderr).toMatch(/empty\.yaml: .*empty/);
    expect(result.stderr).toMatch(/noimages\.yaml:3: .*image.*did you mean images\?/);
    expect(result.stderr).toMatch(/missing\.yaml: file not found/);
    expect(result.stderr).toMatch(/\.: is a directory/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it('keeps scalars as written: tag 1.10 stays 1.10', async () => {
    const dir = await tempFiles({ 'v.yaml': 'images:\n  - name: x\n    src_build_tag: 1.1\n    tag: 1.10\n' });
    const result = await runBinary(['validate', '--output', 'json', 'v.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { images: { tag: string; source: string }[] }).images[0]).toMatchObject({ tag: '1.10', source: '1.1' });
  });
});

describe('retag apply with invalid files or schema 1', () => {
  let registry: TestRegistry;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', schema1: true });
    await seedImages(registry.client, [
      { repo: 'stx/old', tag: 'build-1', kind: 'docker-schema1' },
      { repo: 'stx/new', tag: 'build-1', kind: 'docker-v2' },
    ]);
    env = { DOCKER_CONFIG: await dockerConfig({ [registry.host]: { auth: basicAuth('admin', registry.users.admin!) } }) };
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('a cross-file conflict stops the run before any registry request: exit 2, both places named', async () => {
    const name = `${registry.host}/stx/new`;
    const dir = await tempFiles({
      'stx.9.0.yaml': tagFile([{ name, src_build_tag: 'build-1', tag: 'stx.9.0-v1' }]),
      'stx.10.0.yaml': tagFile([{ name, src_build_tag: 'build-2', tag: 'stx.9.0-v1' }]),
    });
    const tokensBefore = registry.tokenServer!.requests.length;
    const result = await runInProcess(['apply', 'stx.9.0.yaml', 'stx.10.0.yaml'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/stx\.10\.0\.yaml:\d+: .*two sources: "build-1" at stx\.9\.0\.yaml:\d+ and "build-2" at stx\.10\.0\.yaml:\d+/);
    expect(result.stderr).toContain('nothing was sent to any registry');
    expect(result.stdout).toBe('');
    expect(registry.tokenServer!.requests.length).toBe(tokensBefore);
    expect(await registry.client.tagDigest('stx/new', 'stx.9.0-v1')).toBeUndefined();
  });

  it('refuses a schema 1 source with a clear message and writes nothing', async () => {
    const dir = await tempFiles({ 't.yaml': tagFile([{ name: `${registry.host}/stx/old`, src_build_tag: 'build-1', tag: 'stx.9.0-v1' }]) });
    const result = await runInProcess(['apply', '--output', 'json', 't.yaml'], { cwd: dir, env });
    expect(result.code).toBe(1);
    const image = (JSON.parse(result.stdout) as { images: { status: string; error?: string }[] }).images[0]!;
    expect(image.status).toBe('failed');
    expect(image.error).toMatch(/schema 1 manifest.*cannot be copied/);
    expect(await registry.client.tagDigest('stx/old', 'stx.9.0-v1')).toBeUndefined();
  });

  it('a dry-run previews the same refusal from the Content-Type of its HEAD, not "pending"', async () => {
    const dir = await tempFiles({ 't.yaml': tagFile([{ name: `${registry.host}/stx/old`, src_build_tag: 'build-1', tag: 'stx.9.0-v1' }]) });
    const result = await runInProcess(['apply', '--dry-run', '--output', 'json', 't.yaml'], { cwd: dir, env });
    expect(result.code).toBe(1);
    const image = (JSON.parse(result.stdout) as { images: { status: string; error?: string }[] }).images[0]!;
    expect(image.status).toBe('failed');
    expect(image.error).toMatch(/schema 1 manifest.*cannot be copied/);
  });
});
