// A wrong password is one failed login per registry, whatever --concurrency is (issue 12):
// accounts behind LDAP (Harbor, Artifactory) and Docker Hub lock after a few. 60 images, 16 at a
// time, against the real registry behind a proxy that adds 20 ms per request (so the lanes really
// overlap); failed logins are counted where they land: the registry (Basic) or the token server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLatencyProxy, type LatencyProxy } from '../helpers/latency-proxy.js';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, dockerConfig, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';

const WRONG = 'wrong-password-gate-789';
const IMAGES = 60;

interface JsonRun {
  images: { name: string; status: string; error?: string }[];
}

describe.each(['basic', 'token'] as const)('refused credentials at --concurrency 16 (%s auth)', (auth) => {
  let registry: TestRegistry;
  let proxy: LatencyProxy;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    registry = await startRegistry({ auth });
    proxy = await startLatencyProxy({ target: registry.url, delayMs: 20 });
    if (registry.tokenServer) registry.tokenServer.delayMs = 20;
    // the images need not exist: nothing may be read with refused credentials
    const entries = Array.from({ length: IMAGES }, (_, i) => ({ name: `${proxy.host}/gate/image-${i}`, src_build_tag: 'build-1', tag: 'rel-1' }));
    dir = await tempFiles({ 'tags.yaml': tagFile(entries) });
    env = { DOCKER_CONFIG: await dockerConfig({ [proxy.host]: { auth: basicAuth('admin', WRONG) } }) };
  });

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it.each([
    { mode: 'apply', args: [] as string[] },
    { mode: 'dry-run (two HEADs per image at once)', args: ['--dry-run'] },
  ])('$mode: one failed login, every image failed with the same message', async ({ args }) => {
    const fromProxy = proxy.requests.length;
    const fromRealm = registry.tokenServer?.requests.length ?? 0;
    const result = await runInProcess(['apply', ...args, '--concurrency', '16', '--output', 'json', 'tags.yaml'], { cwd: dir, env });
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout) as JsonRun;
    expect(run.images).toHaveLength(IMAGES);
    expect(run.images.every((i) => i.status === 'failed')).toBe(true);
    const messages = new Set(run.images.map((i) => i.error));
    expect(messages.size).toBe(1);
    expect([...messages][0]).toMatch(new RegExp(`^${proxy.host.replace('.', '\\.')} refused the credentials from .*config\\.json`));
    expect(result.stdout + result.stderr + result.logs).not.toContain(WRONG);

    // /v2/ carries no credentials: its 401 is the challenge, not a failed login
    const refusedAtRegistry = proxy.requests.slice(fromProxy).filter((r) => r.status === 401 && r.path !== '/v2/');
    if (auth === 'basic') {
      expect(refusedAtRegistry).toHaveLength(1);
    } else {
      expect(refusedAtRegistry).toEqual([]); // no manifest request was sent without a token
      const tokens = registry.tokenServer!.requests.slice(fromRealm);
      // one token request, plus at most one single-scope probe when it was a batch
      expect(tokens.length).toBeGreaterThanOrEqual(1);
      expect(tokens.length).toBeLessThanOrEqual(2);
      expect(tokens.every((t) => t.status === 401)).toBe(true);
      if (tokens.length === 2) expect(tokens[1]!.scopes).toHaveLength(1);
    }
  });
});
