// No pulls that cannot lead to a push (issue 10), on a real token-auth registry: with read-only
// or anonymous credentials, apply reads the token's access claim and sends zero manifest GETs and
// zero PUTs, saying so once per repository; existing tags are still reported by HEAD. A dry-run
// asks for the same pull,push token and warns the same way, its new tags `pending` with the
// warning; without even pull it sends nothing. A token service that refuses a pull,push request
// outright makes the dry-run go on with pull alone, saying push was not checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, dockerConfig, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';

interface JsonRun {
  images: { name: string; tag: string; status: string; error?: string; note?: string }[];
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

  const configFor = (user: string | undefined) => dockerConfig(user === undefined ? {} : { [proxy.host]: { auth: basicAuth(user, registry.users[user]!) } });
  const pushLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('retag: ') && line.includes('push'));

  it('dry-run, read-only credentials: new tags pending with the warning, one message per repository, zero GETs and PUTs, one token request', async () => {
    proxy.clear();
    const fromRealm = registry.tokenServer!.requests.length;
    const result = await runInProcess(['apply', '--dry-run', '--output', 'json', 'tags.yaml'], { cwd: dir, env: { DOCKER_CONFIG: await configFor('reader') } });
    expect(result.code, result.stderr).toBe(0);
    expect(manifestCalls('GET')).toBe(0);
    expect(manifestCalls('PUT')).toBe(0);
    const tokens = registry.tokenServer!.requests.slice(fromRealm);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.scopes.sort()).toEqual(REPOS.map((r) => `repository:${r}:pull,push`));
    const messages = pushLines(result.stderr);
    expect(messages).toHaveLength(REPOS.length);
    for (const repo of REPOS) expect(messages.filter((m) => m.includes(`${proxy.host}/${repo} `))).toHaveLength(1);
    expect(messages[0]).toMatch(/account reader .* may not push to .* \(its token grants only pull\); apply with these credentials would fail its new tags: use credentials that may push/);
    const run = JSON.parse(result.stdout) as JsonRun;
    expect(run.images.find((i) => i.tag === 'rel-0')).toMatchObject({ status: 'exists' });
    const pending = run.images.filter((i) => i.tag !== 'rel-0');
    expect(pending).toHaveLength(6);
    for (const image of pending) {
      expect(image.status).toBe('pending');
      expect(`retag: ${image.note}`).toBe(messages.find((m) => m.includes(`${image.name} `)));
    }
    // the text report says each warning once, numbered, under its images
    const text = await runInProcess(['apply', '--dry-run', 'tags.yaml'], { cwd: dir, env: { DOCKER_CONFIG: await configFor('reader') } });
    expect(text.stdout.split('may not push to').length - 1).toBe(REPOS.length);
    const markdown = await runInProcess(['apply', '--dry-run', '--output', 'markdown', 'tags.yaml'], { cwd: dir, env: { DOCKER_CONFIG: await configFor('reader') } });
    for (const repo of REPOS) expect(markdown.stdout).toContain(`may not push to ${proxy.host}/${repo} `);
  }, 60_000);

  it('dry-run, anonymous (not even pull): its images failed with the message, no manifest request at all', async () => {
    proxy.clear();
    const result = await runInProcess(['apply', '--dry-run', '--output', 'json', 'tags.yaml'], { cwd: dir, env: { DOCKER_CONFIG: await configFor(undefined) } });
    expect(result.code).toBe(1);
    expect(proxy.requests.filter((r) => r.path.includes('/manifests/'))).toEqual([]);
    const messages = pushLines(result.stderr);
    expect(messages).toHaveLength(REPOS.length);
    expect(messages[0]).toMatch(/anonymous access .* may not push to .* \(its token grants no access\); the dry-run cannot look at its tags, so nothing was asked/);
    const run = JSON.parse(result.stdout) as JsonRun;
    expect(run.images.every((i) => i.status === 'failed' && messages.includes(`retag: ${i.error}`))).toBe(true);
  }, 60_000);

  it('dry-run on a token service that refuses a pull,push request outright: pull alone, pending, push said unchecked once', async () => {
    const tokenServer = registry.tokenServer!;
    tokenServer.refuseUngranted = true;
    try {
      proxy.clear();
      const fromRealm = tokenServer.requests.length;
      const result = await runInProcess(['apply', '--dry-run', '--output', 'json', 'tags.yaml'], { cwd: dir, env: { DOCKER_CONFIG: await configFor('reader') } });
      expect(result.code, result.stderr).toBe(0);
      const tokens = tokenServer.requests.slice(fromRealm);
      // the batch with push (refused), one pull-only probe (the credentials are fine), the batch with pull
      expect(tokens.map((t) => [t.status, t.scopes.length, ...new Set(t.scopes.map((s) => s.split(':').at(-1)))])).toEqual([
        [401, REPOS.length, 'pull,push'],
        [200, 1, 'pull'],
        [200, REPOS.length, 'pull'],
      ]);
      expect(manifestCalls('GET')).toBe(0);
      expect(manifestCalls('PUT')).toBe(0);
      const messages = pushLines(result.stderr);
      expect(messages).toEqual([
        `retag: ${proxy.host}'s token service refused a token with push (401), so this dry-run went on with pull alone and could not check whether the credentials may push; apply will tell`,
      ]);
      const run = JSON.parse(result.stdout) as JsonRun;
      expect(run.images.find((i) => i.tag === 'rel-0')).toMatchObject({ status: 'exists' });
      for (const image of run.images.filter((i) => i.tag !== 'rel-0')) expect(image).toMatchObject({ status: 'pending', note: messages[0]!.slice('retag: '.length) });

      // credentials that may push: granted as asked, nothing to say
      const admin = await runInProcess(['apply', '--dry-run', 'tags.yaml'], { cwd: dir, env: { DOCKER_CONFIG: await configFor('admin') } });
      expect(admin.code, admin.stderr).toBe(0);
      expect(pushLines(admin.stderr)).toEqual([]);
    } finally {
      tokenServer.refuseUngranted = false;
    }
  }, 60_000);

  it('credentials that may push: no message, every tag created', async () => {
    const configDir = await dockerConfig({ [proxy.host]: { auth: basicAuth('admin', registry.users.admin!) } });
    const result = await runInProcess(['apply', 'tags.yaml'], { cwd: dir, env: { DOCKER_CONFIG: configDir } });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stderr).not.toContain('may not push');
  }, 60_000);
});
