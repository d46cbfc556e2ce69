// No secret ever reaches retag's output: passwords, the base64 `auth` string, identity tokens and
// the bearer tokens the token server issued are searched for in everything the real
// `node bin/retag.js` process wrote (stdout, stderr, so also a stray console.error or a helper's
// output passed on), at --log-level trace and debug, with Basic and token auth, right and wrong
// secrets, from every credential source: config.json auths (base64 `auth`, username/password
// fields, identitytoken), credential helpers (credHelpers, credsStore, an identity token, a
// failing helper that prints its secret), REGISTRY_AUTH_FILE, --password-stdin, and a password
// mistakenly put on argv.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerConfigJson, fakeHelpers, type FakeHelpers } from '../helpers/fake-helper.js';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, dockerConfig, runBinary, tagFile, tempFiles, type CliResult } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';

const SRC = 'build-1';
const WRONG = 'Wrong-Pa55word-zq81';
const IDENTITY_TOKEN = 'idtoken-7f3e9c2a-refresh-secret';
const HELPER_IDENTITY_TOKEN = 'helper-idtoken-0c4b7e19-secret';
const HELPER_WRONG = 'Helper-Wrong-Pa55-k3v8';
const HELPER_FAILURE_OUTPUT = 'helper-failure-output-Secret-66ab';
const STALE_IDENTITY_TOKEN = 'stale-idtoken-e2a95d40-secret';

/** Every form a secret could leak in: as is, base64 of user:secret, and the Authorization header values. */
function forms(user: string, secret: string): string[] {
  const b64 = basicAuth(user, secret);
  return [secret, b64, `Basic ${b64}`, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
}

describe.each(['basic', 'token'] as const)('secrets never reach the output (%s auth)', (auth) => {
  let registry: TestRegistry;
  let helpers: FakeHelpers;
  let dir: string;
  const outputs: { label: string; text: string }[] = [];
  let n = 0;
  const nextTag = () => `rel-${(n += 1)}`;

  const record = (label: string, result: CliResult) => {
    outputs.push({ label, text: `${result.stdout}\n${result.stderr}\n${result.logs}\n${result.processOutput}` });
    return result;
  };
  /** A folder with a one-image tag file asking for a new tag; `tag` is what it asks for. */
  const file = async () => {
    const tag = nextTag();
    const cwd = await tempFiles({ 'tags.yaml': tagFile([{ name: `${registry.host}/secret/app`, src_build_tag: SRC, tag }]) });
    return { cwd, tag };
  };
  const withHelpers = (config: string): NodeJS.ProcessEnv => ({ DOCKER_CONFIG: config, PATH: `${helpers.binDir}:${process.env.PATH ?? ''}` });
  const created = async (tag: string) => expect(await registry.client.tagDigest('secret/app', tag)).toBe(await registry.client.tagDigest('secret/app', SRC));

  beforeAll(async () => {
    registry = await startRegistry({ auth, refreshTokens: { [IDENTITY_TOKEN]: 'admin', [HELPER_IDENTITY_TOKEN]: 'admin' } });
    await seedImages(registry.client, [{ repo: 'secret/app', tag: SRC, kind: 'oci-index' }]);
    helpers = await fakeHelpers({
      good: { answer: { Username: 'admin', Secret: registry.users.admin! } },
      refused: { answer: { Username: 'admin', Secret: HELPER_WRONG } },
      identity: { answer: { Username: '<token>', Secret: HELPER_IDENTITY_TOKEN } },
      stale: { answer: { Username: '<token>', Secret: STALE_IDENTITY_TOKEN } },
      broken: { fail: { code: 3, output: HELPER_FAILURE_OUTPUT } },
    });
    dir = await tempFiles({});
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('config.json auths, base64 `auth`: apply at trace, dry-run at debug, JSON at trace', async () => {
    const env = { DOCKER_CONFIG: await dockerConfig({ [registry.host]: { auth: basicAuth('admin', registry.users.admin!) } }) };
    for (const [level, extra] of [['trace', []], ['debug', ['--dry-run']], ['trace', ['--output', 'json']]] as const) {
      const { cwd, tag } = await file();
      const result = record(`auth ${level} ${extra.join(' ')}`, await runBinary(['apply', '--log-level', level, ...extra, 'tags.yaml'], { cwd, env }));
      expect(result.code).toBe(0);
      expect(result.logs).toMatch(/"registry request"/); // the logs are there and were searched
      if (extra.length === 0) await created(tag);
    }
  });

  it('config.json auths, username/password fields, debug', async () => {
    const env = { DOCKER_CONFIG: await dockerConfig({ [registry.host]: { username: 'admin', password: registry.users.admin! } }) };
    const { cwd, tag } = await file();
    const result = record('fields', await runBinary(['apply', '--log-level', 'debug', 'tags.yaml'], { cwd, env }));
    expect(result.code).toBe(0);
    await created(tag);
  });

  it('config.json auths, a wrong password, trace: refused, and the wrong password is not shown either', async () => {
    const env = { DOCKER_CONFIG: await dockerConfig({ [registry.host]: { auth: basicAuth('admin', WRONG) } }) };
    const result = record('wrong', await runBinary(['apply', '--log-level', 'trace', '--output', 'json', 'tags.yaml'], { cwd: (await file()).cwd, env }));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/refused/);
  });

  it("config.json auths, an identity token (Docker's identitytoken), trace", async () => {
    const env = { DOCKER_CONFIG: await dockerConfig({ [registry.host]: { username: '<token>', identitytoken: IDENTITY_TOKEN } }) };
    const result = record('identity', await runBinary(['apply', '--log-level', 'trace', '--output', 'json', 'tags.yaml'], { cwd: (await file()).cwd, env }));
    // token realms take it as an OAuth2 refresh token; a Basic registry has no use for it
    expect(result.code).toBe(auth === 'token' ? 0 : 1);
  });

  it('credential helpers: credHelpers right, credsStore refused, trace', async () => {
    const right = await file();
    const good = record('credHelpers', await runBinary(['apply', '--log-level', 'trace', 'tags.yaml'], { cwd: right.cwd, env: withHelpers(await dockerConfigJson({ credHelpers: { [registry.host]: 'good' } })) }));
    expect(good.code).toBe(0);
    await created(right.tag);
    const refused = record('credsStore refused', await runBinary(['apply', '--log-level', 'trace', '--output', 'json', 'tags.yaml'], { cwd: (await file()).cwd, env: withHelpers(await dockerConfigJson({ credsStore: 'refused' })) }));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/refused/);
  });

  it('credential helpers: an identity token, accepted and refused, debug', async () => {
    const accepted = record('helper identity', await runBinary(['apply', '--log-level', 'debug', '--output', 'json', 'tags.yaml'], { cwd: (await file()).cwd, env: withHelpers(await dockerConfigJson({ credHelpers: { [registry.host]: 'identity' } })) }));
    expect(accepted.code).toBe(auth === 'token' ? 0 : 1);
    const stale = record('helper stale identity', await runBinary(['apply', '--log-level', 'debug', '--output', 'json', 'tags.yaml'], { cwd: (await file()).cwd, env: withHelpers(await dockerConfigJson({ credHelpers: { [registry.host]: 'stale' } })) }));
    expect(stale.code).toBe(1);
  });

  it('credential helpers: one that fails printing its secret, trace', async () => {
    const result = record('helper broken', await runBinary(['apply', '--log-level', 'trace', '--output', 'json', 'tags.yaml'], { cwd: (await file()).cwd, env: withHelpers(await dockerConfigJson({ credsStore: 'broken' })) }));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/docker-credential-broken/);
  });

  it('REGISTRY_AUTH_FILE, trace', async () => {
    const authFile = join(await tempFiles({ 'auth.json': JSON.stringify({ auths: { [registry.host]: { auth: basicAuth('admin', registry.users.admin!) } } }) }), 'auth.json');
    const { cwd, tag } = await file();
    const result = record('REGISTRY_AUTH_FILE', await runBinary(['apply', '--log-level', 'trace', 'tags.yaml'], { cwd, env: { DOCKER_CONFIG: await dockerConfigJson({}), REGISTRY_AUTH_FILE: authFile } }));
    expect(result.code).toBe(0);
    await created(tag);
  });

  it('--password-stdin, right and wrong, trace and debug', async () => {
    const env = { DOCKER_CONFIG: await dockerConfig({}) };
    const right = await file();
    const ok = record('stdin right', await runBinary(['apply', '--log-level', 'trace', '--username', 'admin', '--password-stdin', 'tags.yaml'], { cwd: right.cwd, env, stdin: `${registry.users.admin}\n` }));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^created\s/m);
    await created(right.tag);
    const wrong = record(
      'stdin wrong',
      await runBinary(['apply', '--log-level', 'debug', '--username', 'admin', '--password-stdin', '--output', 'json', 'tags.yaml'], { cwd: (await file()).cwd, env, stdin: `${WRONG}\n` }),
    );
    expect(wrong.code).toBe(1);
  });

  it('--authfile with a namespace key, right and wrong, and --registry-scoped --password-stdin, trace', async () => {
    const authDir = await tempFiles({
      'auth.json': JSON.stringify({
        auths: { [`${registry.host}/secret`]: { auth: basicAuth('admin', registry.users.admin!) }, [registry.host]: { auth: basicAuth('admin', WRONG) } },
      }),
      'wrong.json': JSON.stringify({ auths: { [`${registry.host}/secret/app`]: { auth: basicAuth('admin', WRONG) } } }),
    });
    const env = { DOCKER_CONFIG: await dockerConfig({}), HOME: authDir };
    const right = await file();
    const found = record('authfile', await runBinary(['apply', '--log-level', 'trace', '--authfile', join(authDir, 'auth.json'), 'tags.yaml'], { cwd: right.cwd, env }));
    expect(found.code).toBe(0);
    await created(right.tag);
    const refused = record('authfile wrong', await runBinary(['apply', '--log-level', 'trace', '--authfile', join(authDir, 'wrong.json'), 'tags.yaml'], { cwd: (await file()).cwd, env }));
    expect(refused.code).toBe(1);
    const scoped = record(
      'stdin --registry',
      await runBinary(['apply', '--log-level', 'trace', '--username', 'admin', '--password-stdin', '--registry', registry.host, 'tags.yaml'], {
        cwd: (await file()).cwd,
        env,
        stdin: `${registry.users.admin}\n`,
      }),
    );
    expect(scoped.code).toBe(0);
  });

  it('a password put on argv by mistake is refused without being echoed', async () => {
    for (const args of [
      ['apply', `--password=${WRONG}`, 'tags.yaml'],
      ['apply', '--password', WRONG, 'tags.yaml'],
      ['apply', `--pasword=${WRONG}`, 'tags.yaml'],
    ]) {
      const result = record(`argv ${args[1]!.slice(0, 8)}`, await runBinary(args, { cwd: dir }));
      expect(result.code).toBe(2);
    }
  });

  it('none of the secrets, in any form, is in any output', () => {
    const secrets = [
      ...forms('admin', registry.users.admin!),
      ...forms('admin', WRONG),
      ...forms('admin', HELPER_WRONG),
      ...forms('<token>', IDENTITY_TOKEN),
      ...forms('<token>', HELPER_IDENTITY_TOKEN),
      ...forms('<token>', STALE_IDENTITY_TOKEN),
      HELPER_FAILURE_OUTPUT,
      ...(registry.tokenServer?.issued ?? []).flatMap((token) => [token, token.split('.')[2]!]),
    ];
    if (auth === 'token') expect(registry.tokenServer!.issued.length).toBeGreaterThan(5);
    expect(outputs.length).toBeGreaterThanOrEqual(16);
    for (const { label, text } of outputs) {
      for (const secret of secrets) {
        expect(text.includes(secret), `${label} shows a secret (${secret.slice(0, 6)}...)`).toBe(false);
      }
      expect(text, label).not.toMatch(/authorization"?\s*:\s*"?(Basic|Bearer) /i);
    }
  });
});
