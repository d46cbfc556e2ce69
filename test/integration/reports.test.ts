// What a newcomer reads (issue 13): human logs by default, a heartbeat in a CI console, --only
// without the registry host, grouped notes, --changes, one report shape per command (text, JSON,
// markdown) with version and schemaVersion, problems on stderr in every format, `-` for stdin,
// `retag version` and `retag schema`. Against a real open registry, through the real binary where
// stderr not being a terminal matters.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tagFileJsonSchemaText } from '../../src/config/json-schema.js';
import { startLatencyProxy, type LatencyProxy } from '../helpers/latency-proxy.js';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { runBinary, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';

const SRC = 'build-1';
const TAG = 'rel-1';
const FORMATS = ['text', 'json', 'markdown'] as const;

describe('reports and logs a person reads', () => {
  let registry: TestRegistry;
  let dir: string;
  const name = (repo: string) => `${registry.host}/${repo}`;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
    await seedImages(registry.client, [
      { repo: 'team/svc-01', tag: SRC, kind: 'docker-v2' },
      { repo: 'team/svc-02', tag: SRC, kind: 'oci-manifest' },
      { repo: 'other/db', tag: SRC, kind: 'docker-v2' },
      { repo: 'other/db', tag: TAG, kind: 'docker-v2' }, // the same bytes: exists
    ]);
    const entries = ['team/svc-01', 'team/svc-02', 'other/db'].map((repo) => ({ name: name(repo), src_build_tag: SRC, tag: TAG }));
    dir = await tempFiles({ 'tags.yaml': tagFile(entries) });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('logs are human lines by default without a terminal, no colour; json with --log-format json or RETAG_LOG_FORMAT=json', async () => {
    const args = ['apply', '--dry-run', '--log-level', 'info', 'tags.yaml'];
    const human = await runBinary(args, { cwd: dir, env: { RETAG_LOG_FORMAT: '' } });
    expect(human.code).toBe(0);
    expect(human.stderr).toMatch(/^\d\d:\d\d:\d\d INFO {2}retag run starting images=3 dryRun=true concurrency=8 startupMs=\d+$/m);
    expect(human.stderr).toMatch(/^\d\d:\d\d:\d\d INFO {2}image done image=\S+team\/svc-01:rel-1 status=pending$/m);
    expect(human.stderr).not.toMatch(/^\{/m);
    expect(human.stderr).not.toContain('\x1b[');
    for (const env of [{ RETAG_LOG_FORMAT: '' }, { RETAG_LOG_FORMAT: 'json' }]) {
      const extra = env.RETAG_LOG_FORMAT === 'json' ? [] : ['--log-format', 'json'];
      const json = await runBinary([...args.slice(0, 1), ...extra, ...args.slice(1)], { cwd: dir, env });
      const lines = json.stderr.trim().split('\n');
      expect(lines.every((line) => (JSON.parse(line) as { level: number }).level >= 30)).toBe(true);
    }
    const bad = await runBinary(args, { cwd: dir, env: { RETAG_LOG_FORMAT: 'yaml' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^retag: RETAG_LOG_FORMAT is "yaml"; set it to human or json/m);
  });

  it('without a terminal, a long run prints a heartbeat with the counts so far (not at --log-level error)', async () => {
    const proxy: LatencyProxy = await startLatencyProxy({ target: registry.url, delayMs: 150 });
    try {
      const slow = await tempFiles({ 'slow.yaml': tagFile([{ name: `${proxy.host}/team/svc-01`, src_build_tag: SRC, tag: TAG }, { name: `${proxy.host}/other/db`, src_build_tag: SRC, tag: TAG }]) });
      const env = { RETAG_HEARTBEAT_MS: '100', RETAG_LOG_FORMAT: '' };
      const run = await runBinary(['apply', '--dry-run', '--concurrency', '1', 'slow.yaml'], { cwd: slow, env });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/^\d\d:\d\d:\d\d INFO {2}progress done=\d total=2( \S+=\d+)*$/m);
      const quiet = await runBinary(['apply', '--dry-run', '--concurrency', '1', '--log-level', 'error', 'slow.yaml'], { cwd: slow, env });
      expect(quiet.stderr).toBe('');
    } finally {
      await proxy.stop();
    }
  });

  it('--only matches a name without its registry host and the last component with *', async () => {
    const result = await runInProcess(['apply', '--dry-run', '-o', 'json', '--only', 'team/*', '--only', 'db', 'tags.yaml'], { cwd: dir, env: {} });
    expect((JSON.parse(result.stdout) as { images: { name: string }[] }).images.map((i) => i.name)).toEqual([name('team/svc-01'), name('team/svc-02'), name('other/db')]);
    const lastComponent = await runInProcess(['apply', '-n', '-o', 'json', '--only', 'svc-0*', 'tags.yaml'], { cwd: dir, env: {} });
    expect((JSON.parse(lastComponent.stdout) as { images: unknown[] }).images).toHaveLength(2);
    const none = await runInProcess(['apply', '-n', '--only', 'team', 'tags.yaml'], { cwd: dir, env: {} });
    expect(none.code).toBe(2);
  });

  it.each(FORMATS)('%s: an unreachable registry is one note for all its images', async (format) => {
    const down = await tempFiles({ 'down.yaml': tagFile(['a', 'b', 'c'].map((repo) => ({ name: `127.0.0.1:9/x/${repo}`, src_build_tag: SRC, tag: TAG }))) });
    const result = await runInProcess(['apply', '--dry-run', '--output', format, 'down.yaml'], { cwd: down, env: { RETAG_RETRY_BASE_MS: '1' } });
    expect(result.code).toBe(1);
    if (format === 'json') {
      const images = (JSON.parse(result.stdout) as { images: { status: string; error: string }[] }).images;
      expect(new Set(images.map((i) => i.error)).size).toBe(1); // each image keeps its error in JSON
      return;
    }
    const notes = result.stdout.match(/\[1\] 3 images: .+/g) ?? [];
    expect(notes).toHaveLength(1);
    expect(result.stdout).toMatch(/127\.0\.0\.1:9/);
    expect(result.stdout.match(/\[1\]/g)!.length).toBe(4); // three rows point at the one note
  });

  it.each(['text', 'markdown'] as const)('%s with --changes: exists rows hidden and counted', async (format) => {
    const all = await runInProcess(['apply', '--dry-run', '-o', format, 'tags.yaml'], { cwd: dir, env: {} });
    expect(all.stdout).toMatch(/other\/db/);
    const changes = await runInProcess(['apply', '--dry-run', '-o', format, '--changes', 'tags.yaml'], { cwd: dir, env: {} });
    expect(changes.stdout).not.toMatch(/other\/db/);
    expect(changes.stdout).toMatch(/1 image already tagged \(exists\), not listed \(--changes\)/);
    expect(changes.stdout).toMatch(/team\/svc-01/);
    expect(changes.stdout).toMatch(/3 images: 2 pending, 1 exists/); // the summary still counts all
  });

  it('JSON reports carry retag\'s version and a schemaVersion, for apply and validate', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    const apply = JSON.parse((await runInProcess(['apply', '-n', '-o', 'json', 'tags.yaml'], { cwd: dir, env: {} })).stdout) as Record<string, unknown>;
    expect(apply).toMatchObject({ version, schemaVersion: 1, command: 'apply', dryRun: true, problems: [] });
    expect(apply.summary).toMatchObject({ pending: 2, exists: 1, notStarted: 0 });
    const validate = JSON.parse((await runInProcess(['validate', '-o', 'json', 'tags.yaml'], { cwd: dir })).stdout) as Record<string, unknown>;
    expect(validate).toMatchObject({ version, schemaVersion: 1, command: 'validate', valid: true, files: [{ file: 'tags.yaml', entries: 3 }] });
  });

  it.each(FORMATS)('validate %s on an invalid file: problems on stderr, entries counted as written', async (format) => {
    const bad = await tempFiles({ 'bad.yaml': 'images:\n  - name: docker.io/x/a\n    src_build_tg: b\n    tag: t\n' });
    const result = await runInProcess(['validate', '-o', format, 'bad.yaml'], { cwd: bad });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^retag: bad\.yaml:3: .*src_build_tg/m);
    if (format === 'json') expect(JSON.parse(result.stdout)).toMatchObject({ valid: false, files: [{ file: 'bad.yaml', entries: 1 }] });
    if (format === 'markdown') expect(result.stdout).toMatch(/\| `bad\.yaml` \| 1 \|/);
    if (format === 'text') expect(result.stdout).toBe('');
  });

  it.each(['json', 'markdown'] as const)('apply %s on an invalid file: apply\'s shape with the problems', async (format) => {
    const bad = await tempFiles({ 'bad.yaml': 'images:\n  - name: docker.io/x/a\n    src_build_tag: b\n    tag: "b c"\n' });
    const result = await runInProcess(['apply', '-o', format, 'bad.yaml'], { cwd: bad });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^retag: bad\.yaml:4/m);
    if (format === 'json') {
      expect(JSON.parse(result.stdout)).toMatchObject({ command: 'apply', dryRun: false, images: [], summary: { created: 0 }, problems: [{ file: 'bad.yaml', line: 4 }] });
    } else {
      expect(result.stdout).toMatch(/^### retag result\n\n\| problem \|/);
      expect(result.stdout).not.toMatch(/retag validate/);
    }
  });

  it('- reads a tag file from standard input (git show origin/main:tags.yaml | retag validate -)', async () => {
    const text = tagFile([{ name: 'docker.io/x/a', src_build_tag: 'b', tag: 't' }]);
    const ok = await runBinary(['validate', '-'], { stdin: text });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok {2}<stdin> {2}1 image$/m);
    const bad = await runBinary(['validate', '-'], { stdin: 'images:\n  - name: x\n' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^retag: <stdin>:2/m);
    const both = await runBinary(['apply', '--username', 'u', '--password-stdin', '-'], { stdin: 'pw' });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/both read standard input/);
  });

  it('retag version, --version and -V print the version; retag schema prints the JSON Schema built from zod', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    for (const args of [['version'], ['--version'], ['-V']]) {
      const result = await runBinary(args);
      expect([result.code, result.stdout]).toEqual([0, `${version}\n`]);
    }
    const schema = await runBinary(['schema']);
    expect(schema.code).toBe(0);
    expect(schema.stdout).toBe(tagFileJsonSchemaText()); // the shipped file is the generated one
    const parsed = JSON.parse(schema.stdout) as { properties: { images: { items: { required: string[]; properties: Record<string, { pattern?: string }> } } } };
    expect(parsed.properties.images.items.required).toEqual(['name', 'src_build_tag', 'tag']);
    expect(new RegExp(parsed.properties.images.items.properties.tag!.pattern!).test('stx.4.0-v2.2')).toBe(true);
  });

  it('one error prefix: commander\'s errors and retag\'s both start with retag:', async () => {
    const unknown = await runBinary(['apply', '--bogus', 'x.yaml']);
    expect(unknown.stderr).toMatch(/^retag: unknown option '--bogus'/);
    const missing = await runBinary(['validate', 'no-such.yaml']);
    expect(missing.stderr).toMatch(/^retag: no-such\.yaml: file not found/);
    const help = await runBinary(['apply', '--help']);
    expect(help.stdout).not.toContain('(default: [])');
    expect(help.stdout).toMatch(/-n, --dry-run/);
    expect(help.stdout).toMatch(/-o, --output <format>/);
  });
});
