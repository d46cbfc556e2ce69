// The helper protocol's edges, with real (tiny shell) helpers: identity tokens, "not found",
// a hung helper, an answer that is not the protocol's JSON.
import { beforeAll, describe, expect, it } from 'vitest';
import { helperCredential } from '../../../src/registry/credentials/credential-helper.js';
import { helperServerUrl } from '../../../src/registry/credentials.js';
import { fakeHelpers, type FakeHelpers } from '../../helpers/fake-helper.js';

describe('helperCredential', () => {
  let helpers: FakeHelpers;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    helpers = await fakeHelpers({
      user: { answer: { Username: 'ci-bot', Secret: 's3cret' } },
      token: { answer: { Username: '<token>', Secret: 'refresh-token-value' } },
      missing: { notFound: true },
      hung: { sleepSeconds: 5 },
      garbage: { fail: { code: 0, output: 'not json at all' } },
    });
    env = { PATH: `${helpers.binDir}:${process.env.PATH ?? ''}` };
  });

  it('a user name and secret: Basic credentials, the secret wrapped', async () => {
    const credential = await helperCredential('user', 'registry.example', 'registry.example', 'config.json credHelpers', { env });
    expect(credential).toMatchObject({ kind: 'basic', username: 'ci-bot' });
    expect(credential?.kind === 'basic' && credential.password.reveal()).toBe('s3cret');
    expect(JSON.stringify(credential)).not.toContain('s3cret');
  });

  it('Username "<token>": an identity token', async () => {
    const credential = await helperCredential('token', helperServerUrl('docker.io'), 'docker.io', 'config.json credsStore', { env });
    expect(credential?.kind).toBe('identity-token');
    expect((await helpers.calls()).at(-1)).toBe('token get https://index.docker.io/v1/');
  });

  it('"credentials not found": none, not an error', async () => {
    expect(await helperCredential('missing', 'r.example', 'r.example', 'c', { env })).toBeUndefined();
  });

  it('a hung helper is stopped after the time limit', async () => {
    const started = Date.now();
    await expect(helperCredential('hung', 'r.example', 'r.example', 'c', { env, timeoutMs: 300 })).rejects.toThrow(
      /docker-credential-hung \(named in c\) gave no answer in 0 s/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('an answer that is not the protocol JSON is an error naming the helper, not echoing the answer', async () => {
    const error = await helperCredential('garbage', 'r.example', 'r.example', 'c', { env }).catch((e: Error) => e);
    expect(String(error)).toMatch(/docker-credential-garbage .* answered something that is not/);
    expect(String(error)).not.toContain('not json at all');
  });
});
