// Where credentials come from, against a real htpasswd registry: docker credential helpers
// (credHelpers per host, credsStore), Docker's auths, containers' REGISTRY_AUTH_FILE, in the
// documented order; and the messages when a helper fails or nothing is found (never a secret).
// Every run has a fresh HOME and XDG_RUNTIME_DIR: only the files a test writes count.
// The other places of the lookup order: credentials-locations.test.ts.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeHelpers, dockerConfigJson, type FakeHelpers } from '../helpers/fake-helper.js';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';

const SRC = 'build-20260101T000000Z.0';
const WRONG = 'wrong-password-from-auths';

interface JsonRun {
  images: { status: string; error?: string }[];
}

describe('credentials: helpers, auths and containers auth file', () => {
  let registry: TestRegistry;
  let helpers: FakeHelpers;
  let dir: string;
  let tagCounter = 0;
  let env: (extra: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'basic' });
    await seedImages(registry.client, [{ repo: 'stx/app', tag: SRC, kind: 'docker-v2' }]);
    const admin = registry.users.admin!;
    helpers = await fakeHelpers({
      good: { answer: { Username: 'admin', Secret: admin } },
      store: { answer: { Username: 'admin', Secret: admin } },
      refused: { answer: { Username: 'admin', Secret: 'helper-secret-that-is-wrong' } },
      empty: { notFound: true },
      broken: { fail: { code: 3, output: 'helper-output-with-secret-xyz' } },
    });
    dir = await tempFiles({});
    const home = await tempFiles({});
    const runtime = await tempFiles({});
    env = (extra) => ({ PATH: `${helpers.binDir}:${process.env.PATH ?? ''}`, HOME: home, XDG_RUNTIME_DIR: runtime, ...extra });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  /** A fresh tag per test, so every run has one image to create. */
  async function oneImage(): Promise<string> {
    tagCounter += 1;
    const file = join(dir, `tags-${tagCounter}.yaml`);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, tagFile([{ name: `${registry.host}/stx/app`, src_build_tag: SRC, tag: `v${tagCounter}` }]));
    return file;
  }

  async function apply(config: Record<string, unknown>, extra: NodeJS.ProcessEnv = {}) {
    const file = await oneImage();
    const result = await runInProcess(['apply', '--output', 'json', file], { env: env({ DOCKER_CONFIG: await dockerConfigJson(config), ...extra }) });
    return { ...result, run: JSON.parse(result.stdout) as JsonRun };
  }

  it('credHelpers for the host wins over credsStore and auths; the helper gets `get` and the host on stdin', async () => {
    const before = (await helpers.calls()).length;
    const result = await apply({
      credHelpers: { [registry.host]: 'good' },
      credsStore: 'broken', // would fail the run if it were asked
      auths: { [registry.host]: { auth: basicAuth('admin', WRONG) } },
    });
    expect(result.run.images[0]!.status).toBe('created');
    expect(result.code).toBe(0);
    expect((await helpers.calls()).slice(before)).toEqual([`good get ${registry.host}`]);
  });

  it('credsStore wins over auths', async () => {
    const result = await apply({ credsStore: 'store', auths: { [registry.host]: { auth: basicAuth('admin', WRONG) } } });
    expect(result.run.images[0]!.status).toBe('created');
  });

  it('a credHelpers entry for another host is not used', async () => {
    const before = (await helpers.calls()).length;
    const result = await apply({ credHelpers: { 'other.example:5000': 'broken' }, auths: { [registry.host]: { auth: basicAuth('admin', registry.users.admin!) } } });
    expect(result.run.images[0]!.status).toBe('created');
    expect((await helpers.calls()).slice(before)).toEqual([]);
  });

  it('"credentials not found" from a helper passes on to auths', async () => {
    const result = await apply({ credsStore: 'empty', auths: { [registry.host]: { auth: basicAuth('admin', registry.users.admin!) } } });
    expect(result.run.images[0]!.status).toBe('created');
  });

  it('a failing helper: failed, the message names the helper and the config, never its output', async () => {
    const result = await apply({ credHelpers: { [registry.host]: 'broken' } });
    expect(result.code).toBe(1);
    const error = result.run.images[0]!.error ?? '';
    expect(error).toMatch(/credential helper docker-credential-broken \(named in \$DOCKER_CONFIG\/config\.json credHelpers\) exited with code 3/);
    expect(error).toContain(registry.host);
    // processOutput: what reached the process's own stdout/stderr or console, bypassing the CLI's streams
    expect(result.stdout + result.stderr + result.logs + result.processOutput).not.toContain('helper-output-with-secret-xyz');
  });

  it('a helper missing from PATH: failed, says so', async () => {
    const result = await apply({ credsStore: 'nonexistent' });
    expect(result.run.images[0]!.error).toMatch(/docker-credential-nonexistent .* is not on PATH/);
  });

  it('credentials refused: the message names the helper they came from, never the secret', async () => {
    const result = await apply({ credHelpers: { [registry.host]: 'refused' } });
    expect(result.code).toBe(1);
    expect(result.run.images[0]!.error).toMatch(/refused the credentials from docker-credential-refused \(credHelpers in \$DOCKER_CONFIG\/config\.json\)/);
    expect(result.stdout + result.stderr + result.logs + result.processOutput).not.toContain('helper-secret-that-is-wrong');
  });

  it('REGISTRY_AUTH_FILE is used when the docker config has nothing', async () => {
    const authFile = join(await tempFiles({ 'auth.json': JSON.stringify({ auths: { [registry.host]: { auth: basicAuth('admin', registry.users.admin!) } } }) }), 'auth.json');
    const result = await apply({ auths: {} }, { REGISTRY_AUTH_FILE: authFile });
    expect(result.run.images[0]!.status).toBe('created');
  });

  it('REGISTRY_AUTH_FILE wins over the docker config (containers/image order)', async () => {
    const authFile = join(await tempFiles({ 'auth.json': JSON.stringify({ auths: { [registry.host]: { auth: basicAuth('admin', registry.users.admin!) } } }) }), 'auth.json');
    const before = (await helpers.calls()).length;
    const result = await apply({ credHelpers: { [registry.host]: 'broken' } }, { REGISTRY_AUTH_FILE: authFile });
    expect(result.run.images[0]!.status).toBe('created');
    expect((await helpers.calls()).slice(before)).toEqual([]); // the docker config was never reached
  });

  it('XDG_RUNTIME_DIR/containers/auth.json when REGISTRY_AUTH_FILE is unset', async () => {
    const runtime = await tempFiles({});
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(join(runtime, 'containers'));
    await writeFile(join(runtime, 'containers', 'auth.json'), JSON.stringify({ auths: { [`http://${registry.host}`]: { auth: basicAuth('admin', registry.users.admin!) } } }));
    const result = await apply({}, { XDG_RUNTIME_DIR: runtime });
    expect(result.run.images[0]!.status).toBe('created');
  });

  it('nothing anywhere: the message lists every place looked at, in order', async () => {
    const authFile = join(await tempFiles({ 'auth.json': '{"auths":{}}' }), 'auth.json');
    const result = await apply({ credsStore: 'empty' }, { REGISTRY_AUTH_FILE: authFile });
    expect(result.run.images[0]!.error).toContain(
      `${registry.host} requires credentials and none were found (looked in: $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, ` +
        '~/.config/containers/auth.json, docker-credential-empty (credsStore in $DOCKER_CONFIG/config.json), ' +
        '$DOCKER_CONFIG/config.json (auths), ~/.dockercfg)',
    );
  });
});

// Docker Desktop's and ECR's helpers hand out an identity token (Username "<token>", the token as
// Secret): it is an OAuth2 refresh token for the realm, sent by POST, never as a Basic password.
describe('credentials: an identity token from a credential helper, against a token-auth registry', () => {
  const IDENTITY = 'helper-identity-token-5b1d0c77';
  let registry: TestRegistry;
  let helpers: FakeHelpers;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', refreshTokens: { [IDENTITY]: 'admin' } });
    await seedImages(registry.client, [{ repo: 'stx/app', tag: SRC, kind: 'oci-index' }]);
    helpers = await fakeHelpers({
      desktop: { answer: { Username: '<token>', Secret: IDENTITY } },
      stale: { answer: { Username: '<token>', Secret: 'identity-token-the-realm-revoked' } },
    });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  async function applyWith(helper: string, tag: string) {
    const dir = await tempFiles({ 'tags.yaml': tagFile([{ name: `${registry.host}/stx/app`, src_build_tag: SRC, tag }]) });
    const env = { PATH: `${helpers.binDir}:${process.env.PATH ?? ''}`, DOCKER_CONFIG: await dockerConfigJson({ credHelpers: { [registry.host]: helper } }) };
    const before = registry.tokenServer!.requests.length;
    const result = await runInProcess(['apply', '--log-level', 'debug', '--output', 'json', 'tags.yaml'], { cwd: dir, env });
    return { ...result, run: JSON.parse(result.stdout) as JsonRun, tokenRequests: registry.tokenServer!.requests.slice(before) };
  }

  it('is exchanged by the refresh-token grant (POST) and the tag is created', async () => {
    const result = await applyWith('desktop', 'v-identity');
    expect(result.run.images[0]!.status).toBe('created');
    expect(result.code).toBe(0);
    expect(result.tokenRequests.map((r) => [r.method, r.status, r.user])).toEqual([['POST', 200, 'admin']]);
    expect(result.tokenRequests[0]!.scopes).toEqual(['repository:stx/app:pull,push']);
    expect(await registry.client.tagDigest('stx/app', 'v-identity')).toBe(await registry.client.tagDigest('stx/app', SRC));
    expect(`${result.stdout}${result.stderr}${result.logs}${result.processOutput}`).not.toContain(IDENTITY);
  });

  it('a refused identity token: failed, the helper named, the token never shown, nothing written', async () => {
    const result = await applyWith('stale', 'v-stale');
    expect(result.run.images[0]!.status).toBe('failed');
    expect(result.code).toBe(1);
    expect(result.run.images[0]!.error).toMatch(/docker-credential-stale/);
    // one refused exchange: the helper ran, its token was tried by POST, and not again per image
    expect(result.tokenRequests.map((r) => [r.method, r.status])).toEqual([['POST', 401]]);
    expect(`${result.stdout}${result.stderr}${result.logs}${result.processOutput}`).not.toContain('identity-token-the-realm-revoked');
    expect(await registry.client.tagDigest('stx/app', 'v-stale')).toBeUndefined();
  });
});
