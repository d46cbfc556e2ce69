// No pulls that cannot lead to a push (issue 10), on a real token-auth registry: with read-only
// or anonymous credentials, apply reads the token's access claim and sends zero manifest GETs and
// zero PUTs, saying so once per repository; existing tags are still reported by HEAD.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, dockerConfig, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';

interface JsonRun {
  images: { name: string; tag: string; status: string; error?: string }[];
  summary: Record<string, number>;
}

const REPOS = ['grant/a', 'grant/b', 'grant/c'];

describe('apply with credentials that may not push (token auth)', () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let dir: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token' });
    proxy = await startFaultProxy(registry.url);
    await seedImages(registry.client, [
      ...REPOS.map((repo) => ({ repo, tag: 'build-1', kind: 'docker-v2' as const, variant: repo })),
      // one tag already there: a read-only rerun still reports it
      { repo: 'grant/a', tag: 'rel-0', kind: 'docker-v2' as const, variant: 'grant/a' },
    ]);
    const entries = REPOS.flatMap((repo) => ['rel-1', 'rel-2'].map((tag) => ({ name: `${proxy.host}/${repo}`, src_build_tag: 'build-1', tag })));
    entries.push({ name: `${proxy.host}/grant/a`, src_build_tag: 'build-1', tag: 'rel-0' });
    dir = await tempFiles({ 'tags.yaml': tagFile(entries) });
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });

  const manifestCalls = (method: string) => proxy.requests.filter((r) => r.method === method && r.path.includes('/manifests/')).length;

  it.each([
    ['read-only credentials', 'reader', 'account reader', 'only pull'],
    ['anonymous', undefined, 'anonymous access', 'no access'],
  ])('%s: zero manifest GETs, zero PUTs, one message per repository', async (_name, user, account, grants) => {
    const configDir = await dockerConfig(user === undefined ? {} : { [proxy.host]: { auth: basicAuth(user, registry.users[user]!) } });
    proxy.clear();
    const result = await runInProcess(['apply', '--output', 'json', 'tags.yaml'], { cwd: dir, env: { DOCKER_CONFIG: configDir } });
    expect(result.code).toBe(1);
    expect(manifestCalls('GET')).toBe(0);
    expect(manifestCalls('PUT')).toBe(0);
    const messages = result.stderr.split('\n').filter((line) => line.startsWith('retag: ') && line.includes('may not push'));
    expect(messages).toHaveLength(REPOS.length);
    for (const repo of REPOS) expect(messages.filter((m) => m.includes(`${proxy.host}/${repo} `))).toHaveLength(1);
    expect(messages[0]).toContain(account);
    expect(messages[0]).toContain(`its token grants ${grants}`);
    const run = JSON.parse(result.stdout) as JsonRun;
    const existing = run.images.find((i) => i.tag === 'rel-0');
    if (user === undefined) {
      expect(run.images.every((i) => i.status === 'failed')).toBe(true);
      expect(manifestCalls('HEAD')).toBe(0);
    } else {
      expect(existing?.status).toBe('exists');
      expect(run.images.filter((i) => i.status === 'failed')).toHaveLength(6);
    }
    for (const repo of REPOS) expect(await registry.client.tagDigest(repo, 'rel-1')).toBeUndefined();
  }, 60_000);

  it('credentials that may push: no message, every tag created', async () => {
    const configDir = await dockerConfig({ [proxy.host]: { auth: basicAuth('admin', registry.users.admin!) } });
    const result = await runInProcess(['apply', 'tags.yaml'], { cwd: dir, env: { DOCKER_CONFIG: configDir } });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stderr).not.toContain('may not push');
  }, 60_000);
});
