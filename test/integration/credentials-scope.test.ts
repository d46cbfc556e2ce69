// --username/--password-stdin are for one registry (issue 12): with the real binary and a real
// registry (htpasswd and token modes) as the first registry of a two-registry tag file, a spy
// registry as the second receives no Authorization header; without --registry such a run stops
// with exit 2 before any request; a redirect to another origin does not carry the credentials.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, runBinary, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';
import { startSpyRegistry, type SpyRegistry } from '../helpers/spy-registry.js';

const SRC = 'build-20260101T000000Z.0';

interface JsonRun {
  images: { name: string; status: string; error?: string }[];
}

/** A fresh HOME and no auth files: only what the test gives counts. */
async function cleanEnv(): Promise<NodeJS.ProcessEnv> {
  const home = await tempFiles({});
  return { HOME: home, XDG_RUNTIME_DIR: await tempFiles({}) };
}

describe.each(['basic', 'token'] as const)('explicit credentials are scoped to one registry (%s auth)', (auth) => {
  let registry: TestRegistry;
  let spy: SpyRegistry;
  let n = 0;

  beforeAll(async () => {
    registry = await startRegistry({ auth });
    spy = await startSpyRegistry({ challenge: auth });
    await seedImages(registry.client, [{ repo: 'stx/app', tag: SRC, kind: 'docker-v2' }]);
  });

  afterAll(async () => {
    await registry?.stop();
    await spy?.stop();
  });

  async function twoRegistryFile(): Promise<string> {
    n += 1;
    return tempFiles({
      'tags.yaml': tagFile([
        { name: `${registry.host}/stx/app`, src_build_tag: SRC, tag: `scoped-${n}` },
        { name: `${spy.host}/stx/app`, src_build_tag: SRC, tag: `scoped-${n}` },
      ]),
    });
  }

  it('--registry names the first: it gets them, the spy gets no Authorization header and no secret', async () => {
    const cwd = await twoRegistryFile();
    spy.requests.length = 0;
    const password = registry.users.admin!;
    const result = await runBinary(
      ['apply', '--username', 'admin', '--password-stdin', '--registry', registry.host, '--output', 'json', '--log-level', 'debug', 'tags.yaml'],
      { cwd, env: await cleanEnv(), stdin: `${password}\n` },
    );
    const run = JSON.parse(result.stdout) as JsonRun;
    expect(run.images.map((image) => image.status)).toEqual(['created', 'failed']);
    expect(result.code).toBe(1);
    expect(spy.requests.length).toBeGreaterThan(0); // it was asked, and asked for credentials
    expect(spy.withAuthorization()).toEqual([]);
    expect(run.images[1]!.error).toMatch(new RegExp(`${spy.host} requires credentials and none were found \\(looked in: --username/--password-stdin \\(for ${registry.host}\\)`));
    expect(run.images[1]!.error).toContain(`or pass --authfile FILE, or --username NAME --password-stdin --registry ${spy.host}`);
    for (const secret of [password, basicAuth('admin', password)]) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('without --registry, two registries: exit 2 naming both, nothing contacted, the password never read into any output', async () => {
    const cwd = await twoRegistryFile();
    spy.requests.length = 0;
    const result = await runBinary(['apply', '--username', 'admin', '--password-stdin', 'tags.yaml'], { cwd, env: await cleanEnv(), stdin: 'pw-not-to-be-shown\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`this run's images are on 2: ${registry.host}, ${spy.host}; add --registry HOST[:PORT]`);
    expect(result.stdout + result.stderr).not.toContain('pw-not-to-be-shown');
    expect(spy.requests).toEqual([]);
  });

  it('without --registry, one registry: that one', async () => {
    n += 1;
    const cwd = await tempFiles({ 'tags.yaml': tagFile([{ name: `${registry.host}/stx/app`, src_build_tag: SRC, tag: `single-${n}` }]) });
    const result = await runBinary(['apply', '--username', 'admin', '--password-stdin', 'tags.yaml'], { cwd, env: await cleanEnv(), stdin: `${registry.users.admin}\n` });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('--registry naming no registry of the run: exit 2, nothing contacted', async () => {
    const cwd = await twoRegistryFile();
    spy.requests.length = 0;
    const result = await runBinary(['apply', '--username', 'admin', '--password-stdin', '--registry', 'registry.typo:5000', 'tags.yaml'], {
      cwd,
      env: await cleanEnv(),
      stdin: 'x\n',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--registry registry.typo:5000 is not a registry of this run's images (${registry.host}, ${spy.host})`);
    expect(spy.requests).toEqual([]);
  });
});

describe('a redirect to another origin does not carry the credentials', () => {
  let target: SpyRegistry;
  let redirecting: SpyRegistry;

  beforeAll(async () => {
    target = await startSpyRegistry({ challenge: 'basic', address: '127.0.0.2' });
    redirecting = await startSpyRegistry({ challenge: 'basic', redirectTo: target.url });
  });

  afterAll(async () => {
    await target?.stop();
    await redirecting?.stop();
  });

  it('the registry the credentials are for sees them; the origin it redirects to does not', async () => {
    const cwd = await tempFiles({ 'tags.yaml': tagFile([{ name: `${redirecting.host}/stx/app`, src_build_tag: SRC, tag: 'moved' }]) });
    const result = await runBinary(['apply', '--username', 'admin', '--password-stdin', '--output', 'json', 'tags.yaml'], {
      cwd,
      env: await cleanEnv(),
      stdin: 'redirected-secret\n',
    });
    expect(result.code).toBe(1);
    expect(redirecting.withAuthorization().length).toBeGreaterThan(0); // sent where they were given
    expect(target.requests.length).toBeGreaterThan(0); // the redirect was followed
    expect(target.withAuthorization()).toEqual([]);
    expect(result.stdout + result.stderr).not.toContain('redirected-secret');
  });
});
