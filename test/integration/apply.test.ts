// retag apply against a real docker-registry, once with htpasswd (Basic) and once with token
// auth (the Docker Hub flow): every status, dry-run writes nothing, a rerun is a no-op, and the
// copied manifests are byte-for-byte the sources (all four kinds, in odd JSON formatting).
// Requests are counted where they land (a recording proxy in front of the registry, the token
// server), never from retag's own log lines: undici may resend a request that was logged once.
// Request counts of ordinary runs (reruns, token batching) are in request-count.test.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isManifestPath, startLatencyProxy, type LatencyProxy } from '../helpers/latency-proxy.js';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, dockerConfig, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages, type SeededImage } from '../helpers/seed.js';

interface JsonImage {
  name: string;
  tag: string;
  source: string;
  status: string;
  digest: string | null;
  existingDigest?: string;
  mediaType?: string;
  error?: string;
}
interface JsonRun {
  dryRun: boolean;
  images: JsonImage[];
  summary: Record<string, number>;
}

const SRC = 'master-centos-stable-20191203T153530Z.0';
const TAG = 'stx.4.0-v1.0';

describe.each(['basic', 'token'] as const)('retag apply with %s auth', (auth) => {
  let registry: TestRegistry;
  /** the same registry through a recording proxy (no delay), for the tests that count requests */
  let proxy: LatencyProxy;
  let seeded: Map<string, SeededImage>;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const name = (repo: string) => `${registry.host}/${repo}`;
  const byName = (run: JsonRun, repo: string) => run.images.find((i) => i.name === name(repo));

  beforeAll(async () => {
    registry = await startRegistry({ auth });
    proxy = await startLatencyProxy({ target: registry.url, delayMs: 0 });
    const images = await seedImages(registry.client, [
      { repo: 'stx/docker-v2', tag: SRC, kind: 'docker-v2' },
      { repo: 'stx/docker-list', tag: SRC, kind: 'docker-list' },
      { repo: 'stx/oci-manifest', tag: SRC, kind: 'oci-manifest' },
      { repo: 'stx/oci-index', tag: SRC, kind: 'oci-index' },
      // the tag already points at the source: exists
      { repo: 'stx/already', tag: SRC, kind: 'oci-manifest', variant: 'same' },
      { repo: 'stx/already', tag: TAG, kind: 'oci-manifest', variant: 'same' },
      // the tag points at another build: conflict, never overwritten
      { repo: 'stx/taken', tag: SRC, kind: 'docker-v2', variant: 'new-build' },
      { repo: 'stx/taken', tag: TAG, kind: 'docker-v2', variant: 'old-build' },
      // the repository exists, the source tag does not: missing-source
      { repo: 'stx/nosource', tag: 'something-else', kind: 'docker-v2' },
    ]);
    seeded = new Map(images.map((i) => [`${i.repo}:${i.tag}`, i]));
    const configDir = await dockerConfig({ [registry.host]: { auth: basicAuth('admin', registry.users.admin!) } });
    env = { DOCKER_CONFIG: configDir };
    const entries = ['docker-v2', 'docker-list', 'oci-manifest', 'oci-index', 'already', 'taken', 'nosource'].map((repo) => ({
      name: `${registry.host}/stx/${repo}`,
      src_build_tag: SRC,
      tag: TAG,
    }));
    dir = await tempFiles({
      'tags.yaml': tagFile(entries),
      'good.yaml': tagFile(entries.filter((e) => !/taken|nosource/.test(e.name))),
      'good-proxied.yaml': tagFile(entries.filter((e) => !/taken|nosource/.test(e.name)).map((e) => ({ ...e, name: e.name.replace(registry.host, proxy.host) }))),
    });
  });

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('dry-run reports every status and writes nothing', async () => {
    const result = await runInProcess(['apply', '--dry-run', '--output', 'json', 'tags.yaml'], { cwd: dir, env });
    expect(result.stderr).toBe('');
    const run = JSON.parse(result.stdout) as JsonRun;
    expect(run.dryRun).toBe(true);
    for (const repo of ['docker-v2', 'docker-list', 'oci-manifest', 'oci-index']) {
      expect(byName(run, `stx/${repo}`)).toMatchObject({ status: 'pending', source: SRC, tag: TAG, digest: seeded.get(`stx/${repo}:${SRC}`)!.digest });
    }
    expect(byName(run, 'stx/already')?.status).toBe('exists');
    expect(byName(run, 'stx/taken')).toMatchObject({
      status: 'conflict',
      digest: seeded.get(`stx/taken:${SRC}`)!.digest,
      existingDigest: seeded.get(`stx/taken:${TAG}`)!.digest,
    });
    expect(byName(run, 'stx/nosource')?.status).toBe('missing-source');
    expect(run.summary).toEqual({ created: 0, updated: 0, pending: 4, exists: 1, conflict: 1, missingSource: 1, failed: 0, notStarted: 0 });
    expect(result.code).toBe(1); // the conflict and the missing source fail the run
    for (const repo of ['docker-v2', 'docker-list', 'oci-manifest', 'oci-index']) {
      expect(await registry.client.tagDigest(`stx/${repo}`, TAG)).toBeUndefined();
    }
  });

  it('apply copies the exact bytes of all four manifest kinds, never overwrites a conflict', async () => {
    const result = await runInProcess(['apply', '--output', 'json', 'tags.yaml'], { cwd: dir, env });
    const run = JSON.parse(result.stdout) as JsonRun;
    expect(result.code).toBe(1);
    for (const repo of ['docker-v2', 'docker-list', 'oci-manifest', 'oci-index']) {
      const source = seeded.get(`stx/${repo}:${SRC}`)!;
      expect(byName(run, `stx/${repo}`)).toMatchObject({ status: 'created', digest: source.digest, mediaType: source.mediaType });
      const copied = await registry.client.getManifest(`stx/${repo}`, TAG);
      expect(copied.digest).toBe(source.digest);
      expect(copied.mediaType).toBe(source.mediaType);
      expect(copied.bytes?.equals(source.bytes)).toBe(true);
    }
    expect(byName(run, 'stx/taken')?.status).toBe('conflict');
    expect(await registry.client.tagDigest('stx/taken', TAG)).toBe(seeded.get(`stx/taken:${TAG}`)!.digest);
    expect(byName(run, 'stx/nosource')?.status).toBe('missing-source');
    expect(await registry.client.listTags('stx/nosource')).toEqual(['something-else']);
    expect(run.summary).toEqual({ created: 4, updated: 0, pending: 0, exists: 1, conflict: 1, missingSource: 1, failed: 0, notStarted: 0 });
  });

  it('text output: one line per image and a summary', async () => {
    const result = await runInProcess(['apply', '--dry-run', 'tags.yaml'], { cwd: dir, env });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.find((l) => l.includes('stx/docker-v2'))).toMatch(/^exists\s+127\.0\.0\.1:\d+\/stx\/docker-v2:stx\.4\.0-v1\.0\s+<- master-centos-stable-20191203T153530Z\.0\s+sha256:[0-9a-f]{12}$/);
    expect(result.stdout).toMatch(/conflict\s+\S+stx\/taken:stx\.4\.0-v1\.0[\s\S]*tag already points at sha256:/);
    expect(lines.at(-1)).toBe('dry-run, nothing written: 7 images: 0 pending, 5 exist, 1 conflict, 1 missing source, 0 failed');
  });

  it('refused credentials: failed with a message naming the registry, no secret, exit 1', async () => {
    const wrong = await dockerConfig({ [registry.host]: { auth: basicAuth('admin', 'wrong-password-123') } });
    const result = await runInProcess(['apply', '--output', 'json', 'good.yaml'], { cwd: dir, env: { DOCKER_CONFIG: wrong } });
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout) as JsonRun;
    expect(run.images.every((i) => i.status === 'failed')).toBe(true);
    expect(run.images[0]!.error).toMatch(new RegExp(`${registry.host.replace('.', '\\.')}.*refused`));
    expect(result.stdout + result.stderr + result.logs).not.toContain('wrong-password-123');
  });

  it('refused credentials are sent once, not again for every image (failed logins lock accounts)', async () => {
    const wrong = await dockerConfig({ [proxy.host]: { auth: basicAuth('admin', 'wrong-password-456') } });
    const tokensBefore = registry.tokenServer?.requests.length ?? 0;
    const fromProxy = proxy.requests.length;
    const result = await runInProcess(['apply', '--concurrency', '1', 'good-proxied.yaml'], { cwd: dir, env: { DOCKER_CONFIG: wrong } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/5 failed/);
    if (auth === 'basic') {
      // counted at the registry: the requests that carried the wrong password and were refused
      const refused = proxy.requests.slice(fromProxy).filter((r) => r.authScheme === 'Basic' && r.status === 401);
      expect(refused.map((r) => `${r.method} ${r.path}`)).toHaveLength(1); // the first image's HEAD; the others fail without a request
    } else {
      // counted at the token service: a batch and its single-scope probe
      const asked = registry.tokenServer!.requests.slice(tokensBefore);
      expect(asked.every((r) => r.status === 401)).toBe(true);
      expect(asked.length).toBeGreaterThanOrEqual(1);
      expect(asked.length).toBeLessThanOrEqual(2);
    }
  });

  it('no credentials at all: failed, the message says where it looked', async () => {
    const empty = await dockerConfig({});
    const result = await runInProcess(['apply', '--output', 'json', 'good.yaml'], { cwd: dir, env: { DOCKER_CONFIG: empty } });
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout) as JsonRun;
    expect(run.images[0]!.error).toMatch(/requires credentials and none were found \(looked in: [^)]*\$DOCKER_CONFIG\/config\.json, ~\/\.dockercfg\)/);
  });

  if (auth === 'token') {
    it('a pull-only account can preview but its writes fail as refused', async () => {
      const readerConfig = await dockerConfig({ [proxy.host]: { auth: basicAuth('reader', registry.users.reader!) } });
      const files = await tempFiles({
        'one.yaml': tagFile([{ name: `${proxy.host}/stx/oci-index`, src_build_tag: SRC, tag: 'stx.4.0-reader' }]),
      });
      const preview = await runInProcess(['apply', '--dry-run', '--output', 'json', 'one.yaml'], { cwd: files, env: { DOCKER_CONFIG: readerConfig } });
      expect((JSON.parse(preview.stdout) as JsonRun).images[0]!.status).toBe('pending');
      const fromProxy = proxy.requests.length;
      const tokensBefore = registry.tokenServer!.requests.length;
      const write = await runInProcess(['apply', '--output', 'json', 'one.yaml'], { cwd: files, env: { DOCKER_CONFIG: readerConfig } });
      expect(write.code).toBe(1);
      // counted at the registry: the 401 says insufficient_scope, so no second upload ...
      const puts = proxy.requests.slice(fromProxy).filter((r) => r.method === 'PUT' && isManifestPath(r.path));
      expect(puts.map((r) => [r.path, r.status])).toEqual([['/v2/stx/oci-index/manifests/stx.4.0-reader', 401]]);
      // ... and no second token request
      expect(registry.tokenServer!.requests.slice(tokensBefore)).toHaveLength(1);
      const image = (JSON.parse(write.stdout) as JsonRun).images[0]!;
      expect(image.status).toBe('failed');
      expect(image.error).toMatch(/refused/);
      expect(await registry.client.tagDigest('stx/oci-index', 'stx.4.0-reader')).toBeUndefined();
    });
  }
});
