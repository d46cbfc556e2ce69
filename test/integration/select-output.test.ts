// Selecting images (--only), the retag-images.sh drop-in flags (--dryrun, --repush), the CI flag
// --fail-on-pending, and the markdown / JSON / text reports, against a real open registry.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { PassThrough } from 'node:stream';
import { run as runCli } from '../../src/cli/main.js';
import { runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages, type SeededImage } from '../helpers/seed.js';

const SRC = 'master-centos-stable-20191203T153530Z.0';
const TAG = 'stx.4.0-v1.0';

interface JsonImage {
  name: string;
  status: string;
  digest: string | null;
  existingDigest?: string;
}
interface JsonRun {
  dryRun: boolean;
  images: JsonImage[];
  summary: Record<string, number>;
}

describe('selecting, drop-in flags and reports', () => {
  let registry: TestRegistry;
  let seeded: Map<string, SeededImage>;
  let dir: string;
  const name = (repo: string) => `${registry.host}/${repo}`;
  const parse = (stdout: string) => JSON.parse(stdout) as JsonRun;
  const statuses = (run: JsonRun) => Object.fromEntries(run.images.map((i) => [i.name.slice(registry.host.length + 1), i.status]));

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
    const images = await seedImages(registry.client, [
      { repo: 'stx/k8s-cni-sriov', tag: SRC, kind: 'docker-v2' },
      { repo: 'stx/intel-gpu-plugin', tag: SRC, kind: 'oci-index' },
      { repo: 'stx/stx-snmp', tag: SRC, kind: 'docker-v2', variant: 'new-build' },
      { repo: 'stx/stx-snmp', tag: TAG, kind: 'docker-v2', variant: 'old-build' },
      { repo: 'stx/stx-fm', tag: SRC, kind: 'oci-manifest', variant: 'new-build' },
      { repo: 'stx/stx-fm', tag: TAG, kind: 'oci-manifest', variant: 'old-build' },
    ]);
    seeded = new Map(images.map((i) => [`${i.repo}:${i.tag}`, i]));
    const entries = ['k8s-cni-sriov', 'intel-gpu-plugin', 'stx-snmp', 'stx-fm'].map((repo) => ({ name: name(`stx/${repo}`), src_build_tag: SRC, tag: TAG }));
    dir = await tempFiles({ 'tags.yaml': tagFile(entries) });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  const apply = (args: string[]) => runInProcess(['apply', ...args, 'tags.yaml'], { cwd: dir, env: {} });

  it('--only by last path component and by wildcard (a union, / matched by *)', async () => {
    const byComponent = await apply(['--dry-run', '--output', 'json', '--only', 'k8s-cni-sriov']);
    expect(Object.keys(statuses(parse(byComponent.stdout)))).toEqual(['stx/k8s-cni-sriov']);
    expect(byComponent.code).toBe(0);
    const byWildcard = await apply(['--dry-run', '--output', 'json', '--only', `${registry.host}/*-plugin`, '--only', '*/stx-s*']);
    expect(statuses(parse(byWildcard.stdout))).toEqual({ 'stx/intel-gpu-plugin': 'pending', 'stx/stx-snmp': 'conflict' });
  });

  it('an --only or --repush pattern matching nothing: exit 2, the pattern named, nothing sent', async () => {
    const only = await apply(['--dry-run', '--only', 'k8s-cni', '--only', 'stx-snmp', '--log-level', 'debug']);
    expect(only.code).toBe(2);
    expect(only.stderr).toMatch(/--only k8s-cni matched no image in tags\.yaml/);
    expect(only.stdout).toBe('');
    expect(only.logs).not.toContain('registry request');
    const repush = await apply(['--dry-run', '--repush', 'stx-snmp,nope']);
    expect(repush.code).toBe(2);
    expect(repush.stderr).toMatch(/--repush nope matched no image/);
    // a --repush outside --only would silently move nothing
    const outside = await apply(['--dry-run', '--only', 'k8s-cni-sriov', '--repush', 'stx-snmp']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/--repush stx-snmp matched no image in tags\.yaml \(--repush names images among those --only selects\)/);
  });

  it('--dryrun is --dry-run: nothing written', async () => {
    const result = await apply(['--dryrun', '--output', 'json', '--only', 'k8s-cni-sriov']);
    expect(parse(result.stdout)).toMatchObject({ dryRun: true, images: [{ status: 'pending' }] });
    expect(await registry.client.tagDigest('stx/k8s-cni-sriov', TAG)).toBeUndefined();
  });

  it('--fail-on-pending: exit 1 while a tag is pending, with a message; plain dry-run still exits 0', async () => {
    const plain = await apply(['--dry-run', '--only', 'k8s-cni-sriov']);
    expect(plain.code).toBe(0);
    const strict = await apply(['--dry-run', '--fail-on-pending', '--only', 'k8s-cni-sriov']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe('retag: 1 tag is still pending (--fail-on-pending)\n');
  });

  it('markdown plan: a table with every image and the summary line', async () => {
    const result = await apply(['--dry-run', '--output', 'markdown']);
    expect(result.code).toBe(1); // two conflicts
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('### retag plan (dry-run, nothing written)');
    expect(lines).toContain('| status | image | tag | from src_build_tag | digest | note |');
    const digest = seeded.get(`stx/k8s-cni-sriov:${SRC}`)!.digest.slice(0, 19);
    expect(lines).toContain(`| **pending** | \`${name('stx/k8s-cni-sriov')}\` | \`${TAG}\` | \`${SRC}\` | \`${digest}\` |  |`);
    expect(lines.find((l) => l.includes('stx/stx-snmp'))).toMatch(/^\| \*\*conflict\*\* \|.*\| tag already points at sha256:[0-9a-f]{64}; retag never overwrites it \(--repush to move it\) \|$/);
    expect(lines.at(-1)).toBe('**dry-run, nothing written: 4 images: 2 pending, 0 exist, 2 conflict, 0 missing source, 0 failed**');
  });

  it('--repush in a dry-run: the move is pending, showing both digests; nothing written', async () => {
    const result = await apply(['--dry-run', '--output', 'json', '--repush', 'stx-snmp']);
    const snmp = parse(result.stdout).images.find((i) => i.name === name('stx/stx-snmp'))!;
    expect(snmp).toMatchObject({ status: 'pending', digest: seeded.get(`stx/stx-snmp:${SRC}`)!.digest, existingDigest: seeded.get(`stx/stx-snmp:${TAG}`)!.digest });
    expect(statuses(parse(result.stdout))['stx/stx-fm']).toBe('conflict'); // not named: still never overwritten
    expect(await registry.client.tagDigest('stx/stx-snmp', TAG)).toBe(seeded.get(`stx/stx-snmp:${TAG}`)!.digest);
  });

  it('--repush moves only the named tags (status updated, exit 0); a rerun finds them in place', async () => {
    const result = await apply(['--output', 'json', '--repush', 'stx-snmp,k8s-cni-sriov', '--only', 'stx-snmp', '--only', 'k8s-cni-sriov', '--only', 'stx-fm']);
    const run = parse(result.stdout);
    expect(statuses(run)).toEqual({ 'stx/k8s-cni-sriov': 'created', 'stx/stx-snmp': 'updated', 'stx/stx-fm': 'conflict' });
    expect(run.images.find((i) => i.name === name('stx/stx-snmp'))).toMatchObject({ existingDigest: seeded.get(`stx/stx-snmp:${TAG}`)!.digest });
    expect(run.summary).toEqual({ created: 1, updated: 1, pending: 0, exists: 0, conflict: 1, missingSource: 0, failed: 0, notStarted: 0 });
    expect(await registry.client.tagDigest('stx/stx-snmp', TAG)).toBe(seeded.get(`stx/stx-snmp:${SRC}`)!.digest);
    expect(await registry.client.tagDigest('stx/stx-fm', TAG)).toBe(seeded.get(`stx/stx-fm:${TAG}`)!.digest);
    const moved = await registry.client.getManifest('stx/stx-snmp', TAG);
    expect(moved.bytes?.equals(seeded.get(`stx/stx-snmp:${SRC}`)!.bytes)).toBe(true);

    const only = await apply(['--repush', 'stx-snmp', '--only', 'stx-snmp']);
    expect(only.code).toBe(0);
    expect(only.stdout).toMatch(/^exists\s+\S+stx\/stx-snmp:stx\.4\.0-v1\.0\s+<- /);
    expect(only.stdout).toMatch(/1 image: 0 created, 1 exists, 0 conflict, 0 missing source, 0 failed\n$/);
  });

  it('text output: an aligned table (status, image:tag, source, digest) and the summary', async () => {
    const files = await tempFiles({
      'two.yaml': tagFile([
        { name: name('stx/k8s-cni-sriov'), src_build_tag: SRC, tag: TAG },
        { name: name('stx/intel-gpu-plugin'), src_build_tag: 'short', tag: 'v2' },
      ]),
    });
    const result = await runInProcess(['apply', '--dry-run', 'two.yaml'], { cwd: files, env: {} });
    const [first, second] = result.stdout.split('\n');
    expect(first!.indexOf('<-')).toBe(second!.indexOf('<-'));
    expect(second).toMatch(/^missing-source\s+\S+intel-gpu-plugin:v2\s+<- short\s+-$/);
    // the digest column starts at the same place: `sha256:<12 hex>` on one line, `-` on the other
    expect(first!.length).toBe(first!.indexOf('sha256:') + 19);
    expect(second!.length).toBe(first!.indexOf('sha256:') + 1);
    expect(result.stdout).not.toContain('\x1b['); // not a TTY: no colour
  });

  it('validate --output markdown: the files, counts and summary', async () => {
    const result = await runInProcess(['validate', '--output', 'markdown', 'tags.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('### retag validate\n\n| file | images |\n| --- | --- |\n| `tags.yaml` | 4 |\n\n**1 file valid, 4 distinct image tags**\n');
  });

  it('validate --output markdown on a bad file: the problems in the table too, exit 2', async () => {
    const files = await tempFiles({ 'bad.yaml': '---\nimages:\n  - name: docker.io/starlingx/a\n    src_build_tg: build-1\n    tag: v1\n' });
    const result = await runInProcess(['validate', '--output', 'markdown', 'bad.yaml'], { cwd: files });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^### retag validate\n/);
    expect(result.stdout).toMatch(/\n\| problem \|\n\| --- \|\n\| bad\.yaml:4.*src_build_tag.* \|\n/);
    expect(result.stdout).toMatch(/\*\*\d+ problems?: fix them and run again\*\*\n$/);
    expect(result.stderr).toMatch(/^retag: bad\.yaml:4/);
  });

  it('--log-format pretty: human log lines instead of JSON', async () => {
    const result = await apply(['--dry-run', '--only', 'k8s-cni-sriov', '--log-level', 'debug', '--log-format', 'pretty']);
    expect(result.logs).toMatch(/^\d\d:\d\d:\d\d DEBUG registry request method=HEAD url=http:\/\/127\.0\.0\.1:\d+\/v2\/stx\/k8s-cni-sriov\/manifests\/stx\.4\.0-v1\.0 status=\d+ ms=\d+$/m);
    expect(result.logs).not.toMatch(/^\{/m);
  });

  it('on a terminal: colour on stdout unless NO_COLOR, a progress line on stderr for a long run, cleared at the end', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ name: name(`stx/none-${i}`), src_build_tag: SRC, tag: TAG }));
    const files = await tempFiles({ 'many.yaml': tagFile(many) });
    const terminal = async (env: NodeJS.ProcessEnv, args: string[] = [], captureLogs = true) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(['node', 'retag', 'apply', '--dry-run', ...args, 'many.yaml'], {
        io: { stdout: { write: (t) => void (stdout += t), isTTY: true }, stderr: { write: (t) => void (stderr += t), isTTY: true } },
        cwd: files,
        env,
        logDestination: captureLogs ? new PassThrough() : undefined,
      });
      return { code, stdout, stderr };
    };
    const coloured = await terminal({});
    expect(coloured.stdout).toContain('\x1b[31mmissing-source\x1b[0m');
    expect(coloured.stderr).toContain('\r\x1b[2Kretag: 1/21 images');
    expect(coloured.stderr).toContain('\r\x1b[2Kretag: 21/21 images');
    expect(coloured.stderr.endsWith('\r\x1b[2K')).toBe(true);
    // logs on the terminal: human lines, each clearing the progress line first
    const logged = await terminal({}, ['--log-level', 'info'], false);
    const CLEAR = '\r\x1b[2K';
    expect(logged.stderr.split(CLEAR).some((piece) => /^\d\d:\d\d:\d\d INFO {2}image done image=\S+none-\d+:stx\.4\.0-v1\.0 status=missing-source\n$/.test(piece))).toBe(true);
    const plain = await terminal({ NO_COLOR: '1' });
    expect(plain.stdout).not.toContain('\x1b[');
    expect(plain.stdout).toMatch(/21 images: 0 pending, 0 exist, 0 conflict, 21 missing source, 0 failed/);
  });
});
