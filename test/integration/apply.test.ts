// retag apply against a real docker-registry, once with htpasswd (Basic) and once with token
// auth (the Docker Hub flow): every status, dry-run writes nothing, a rerun is a no-op, and the
// copied manifests are byte-for-byte the sources (all four kinds, in odd JSON formatting).

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, dockerConfig, runBinary, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
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
  let seeded: Map<string, SeededImage>;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const name = (repo: string) => `${registry.host}/${repo}`;
  const byName = (run: JsonRun, repo: string) => run.images.find((i) => i.name === name(repo));

  beforeAll(async () => {
    registry = await startRegistry({ auth });
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
    });
  });

  afterAll(async () => {
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

  it('a rerun is a no-op: everything exists, HEAD requests only, exit 0', async () => {
    const result = await runInProcess(['apply', '--log-level', 'debug', 'good.yaml'], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/5 images: 0 created, 5 exist, 0 conflict, 0 missing source, 0 failed/);
    const requests = result.logs
      .split('\n')
      .filter((l) => l.includes('"registry request"'))
      .map((l) => JSON.parse(l) as { method: string; url: string });
    const manifestRequests = requests.filter((r) => r.url.includes('/manifests/'));
    expect(manifestRequests.length).toBe(10); // a HEAD of target and source per image
    expect(manifestRequests.every((r) => r.method === 'HEAD')).toBe(true); // no GET: no Docker Hub pull; no PUT
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
    const wrong = await dockerConfig({ [registry.host]: { auth: basicAuth('admin', 'wrong-password-456') } });
    const tokensBefore = registry.tokenServer?.requests.length ?? 0;
    const result = await runInProcess(['apply', '--concurrency', '1', '--log-level', 'debug', 'good.yaml'], { cwd: dir, env: { DOCKER_CONFIG: wrong } });
    expect(result.code).toBe(1);
    const refused = result.logs
      .split('\n')
      .filter((l) => l.includes('"registry request"'))
      .map((l) => JSON.parse(l) as { status: number; url: string })
      .filter((r) => r.status === 401 && !r.url.endsWith('/v2/'));
    if (auth === 'basic') expect(refused).toHaveLength(1); // the first image's HEAD; the others fail without a request
    else expect(registry.tokenServer!.requests.length - tokensBefore).toBeLessThanOrEqual(2); // a batch and its single-scope probe
  });

  it('no credentials at all: failed, the message says where it looked', async () => {
    const empty = await dockerConfig({});
    const result = await runInProcess(['apply', '--output', 'json', 'good.yaml'], { cwd: dir, env: { DOCKER_CONFIG: empty } });
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout) as JsonRun;
    expect(run.images[0]!.error).toMatch(/requires credentials and none were found \(looked in: [^)]*\$DOCKER_CONFIG\/config\.json, ~\/\.dockercfg\)/);
  });

  it('--username with --password-stdin through the real binary', async () => {
    const files = await tempFiles({
      'one.yaml': tagFile([{ name: name('stx/docker-v2'), src_build_tag: SRC, tag: 'stx.4.0-stdin' }]),
    });
    const result = await runBinary(['apply', '--username', 'admin', '--password-stdin', join(files, 'one.yaml')], {
      stdin: `${registry.users.admin}\n`,
      env: { DOCKER_CONFIG: await dockerConfig({}) },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^created\s/);
    expect(result.code).toBe(0);
    expect(await registry.client.tagDigest('stx/docker-v2', 'stx.4.0-stdin')).toBe(seeded.get(`stx/docker-v2:${SRC}`)!.digest);
  });

  if (auth === 'token') {
    it('a pull-only account can preview but its writes fail as refused', async () => {
      const readerConfig = await dockerConfig({ [registry.host]: { auth: basicAuth('reader', registry.users.reader!) } });
      const files = await tempFiles({
        'one.yaml': tagFile([{ name: name('stx/oci-index'), src_build_tag: SRC, tag: 'stx.4.0-reader' }]),
      });
      const preview = await runInProcess(['apply', '--dry-run', '--output', 'json', 'one.yaml'], { cwd: files, env: { DOCKER_CONFIG: readerConfig } });
      expect((JSON.parse(preview.stdout) as JsonRun).images[0]!.status).toBe('pending');
      const write = await runInProcess(['apply', '--output', 'json', '--log-level', 'debug', 'one.yaml'], { cwd: files, env: { DOCKER_CONFIG: readerConfig } });
      expect(write.code).toBe(1);
      // the registry's 401 says insufficient_scope: no second token request, no second upload
      const puts = write.logs.split('\n').filter((l) => l.includes('"registry request"') && l.includes('"method":"PUT"'));
      expect(puts).toHaveLength(1);
      const image = (JSON.parse(write.stdout) as JsonRun).images[0]!;
      expect(image.status).toBe('failed');
      expect(image.error).toMatch(/refused/);
      expect(await registry.client.tagDigest('stx/oci-index', 'stx.4.0-reader')).toBeUndefined();
    });

    it('fetches one token for all the run repositories (several scopes in one request), not one per request', async () => {
      const before = registry.tokenServer!.requests.length;
      await runInProcess(['apply', 'good.yaml'], { cwd: dir, env });
      const fetched = registry.tokenServer!.requests.slice(before);
      expect(fetched.length).toBe(1);
      expect(new Set(fetched.flatMap((r) => r.scopes)).size).toBe(5);
    });

    it('with batching off, one token per repository', async () => {
      const before = registry.tokenServer!.requests.length;
      await runInProcess(['apply', 'good.yaml'], { cwd: dir, env: { ...env, RETAG_TOKEN_SCOPES_PER_REQUEST: '1' } });
      const fetched = registry.tokenServer!.requests.slice(before);
      expect(fetched.length).toBe(5);
      expect(new Set(fetched.flatMap((r) => r.scopes)).size).toBe(5);
    });
  }
});
