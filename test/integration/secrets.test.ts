// No secret ever reaches retag's output: passwords, the base64 `auth` string, identity tokens and
// the bearer tokens the token server issued are searched for in stdout, stderr and the logs of
// runs at --log-level trace and debug, with Basic and token auth, right and wrong passwords,
// Docker's config in all its forms, --password-stdin, and a password mistakenly put on argv.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, dockerConfig, runBinary, runInProcess, tagFile, tempFiles, type CliResult } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';

const SRC = 'build-1';
const WRONG = 'Wrong-Pa55word-zq81';
const IDENTITY_TOKEN = 'idtoken-7f3e9c2a-refresh-secret';

/** Every form a secret could leak in: as is, base64 of user:secret, and the Authorization header values. */
function forms(user: string, secret: string): string[] {
  const b64 = basicAuth(user, secret);
  return [secret, b64, `Basic ${b64}`, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
}

describe.each(['basic', 'token'] as const)('secrets never reach the output (%s auth)', (auth) => {
  let registry: TestRegistry;
  let dir: string;
  const outputs: { label: string; text: string }[] = [];
  let n = 0;
  const nextTag = () => `rel-${(n += 1)}`;

  const record = (label: string, result: CliResult) => {
    outputs.push({ label, text: `${result.stdout}\n${result.stderr}\n${result.logs}` });
    return result;
  };
  const file = async () => {
    const name = `${registry.host}/secret/app`;
    const files = await tempFiles({ 'tags.yaml': tagFile([{ name, src_build_tag: SRC, tag: nextTag() }]) });
    return files;
  };

  beforeAll(async () => {
    registry = await startRegistry({ auth, refreshTokens: { [IDENTITY_TOKEN]: 'admin' } });
    await seedImages(registry.client, [{ repo: 'secret/app', tag: SRC, kind: 'oci-index' }]);
    dir = await tempFiles({});
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('base64 auth, trace and debug, apply, rerun and dry-run', async () => {
    const env = { DOCKER_CONFIG: await dockerConfig({ [registry.host]: { auth: basicAuth('admin', registry.users.admin!) } }) };
    const cwd = await file();
    for (const level of ['trace', 'debug']) {
      for (const extra of [[], ['--dry-run'], ['--output', 'json']]) {
        const result = record(`auth ${level} ${extra.join(' ')}`, await runInProcess(['apply', '--log-level', level, ...extra, 'tags.yaml'], { cwd, env }));
        expect(result.code).toBe(0);
        expect(result.logs).toMatch(/"registry request"/); // the logs are there and were searched
      }
    }
  });

  it('username/password fields of config.json, debug', async () => {
    const env = { DOCKER_CONFIG: await dockerConfig({ [registry.host]: { username: 'admin', password: registry.users.admin! } }) };
    const result = record('fields', await runInProcess(['apply', '--log-level', 'debug', 'tags.yaml'], { cwd: await file(), env }));
    expect(result.code).toBe(0);
  });

  it('a wrong password, trace: refused, and the wrong password is not shown either', async () => {
    const env = { DOCKER_CONFIG: await dockerConfig({ [registry.host]: { auth: basicAuth('admin', WRONG) } }) };
    const result = record('wrong', await runInProcess(['apply', '--log-level', 'trace', '--output', 'json', 'tags.yaml'], { cwd: await file(), env }));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/refused/);
  });

  it('--password-stdin through the real binary, right and wrong, trace', async () => {
    const env = { DOCKER_CONFIG: await dockerConfig({}) };
    const cwd = await file();
    const right = record(
      'stdin right',
      await runBinary(['apply', '--log-level', 'trace', '--username', 'admin', '--password-stdin', 'tags.yaml'], { cwd, env, stdin: `${registry.users.admin}\n` }),
    );
    expect(right.code).toBe(0);
    const wrong = record(
      'stdin wrong',
      await runBinary(['apply', '--log-level', 'debug', '--username', 'admin', '--password-stdin', '--output', 'json', 'tags.yaml'], {
        cwd: await file(),
        env,
        stdin: `${WRONG}\n`,
      }),
    );
    expect(wrong.code).toBe(1);
  });

  it('an identity token (Docker\'s identitytoken), trace', async () => {
    const env = { DOCKER_CONFIG: await dockerConfig({ [registry.host]: { username: '<token>', identitytoken: IDENTITY_TOKEN } }) };
    const result = record('identity', await runInProcess(['apply', '--log-level', 'trace', '--output', 'json', 'tags.yaml'], { cwd: await file(), env }));
    // token realms take it as an OAuth2 refresh token; a Basic registry has no use for it
    expect(result.code).toBe(auth === 'token' ? 0 : 1);
  });

  it('a password put on argv by mistake is refused without being echoed', async () => {
    for (const args of [
      ['apply', `--password=${WRONG}`, 'tags.yaml'],
      ['apply', '--password', WRONG, 'tags.yaml'],
      ['apply', `--pasword=${WRONG}`, 'tags.yaml'],
    ]) {
      const result = record(`argv ${args[1]!.slice(0, 8)}`, await runInProcess(args, { cwd: dir }));
      expect(result.code).toBe(2);
    }
  });

  it('none of the secrets, in any form, is in any output', () => {
    const secrets = [
      ...forms('admin', registry.users.admin!),
      ...forms('admin', WRONG),
      ...forms('<token>', IDENTITY_TOKEN),
      ...(registry.tokenServer?.issued ?? []).flatMap((token) => [token, token.split('.')[2]!]),
    ];
    if (auth === 'token') expect(registry.tokenServer!.issued.length).toBeGreaterThan(3);
    expect(outputs.length).toBeGreaterThan(10);
    for (const { label, text } of outputs) {
      for (const secret of secrets) {
        expect(text.includes(secret), `${label} shows a secret (${secret.slice(0, 6)}...)`).toBe(false);
      }
      expect(text, label).not.toMatch(/authorization"?\s*:\s*"?(Basic|Bearer) /i);
    }
  });
});
