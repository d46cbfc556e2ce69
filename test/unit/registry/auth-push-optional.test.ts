// A dry-run asks its tokens for pull,push only to learn whether push would be granted (issue 10).
// A token service that refuses such a request outright (401/403) instead of granting the subset
// must not make the dry-run fail: pull alone is asked, push is reported unchecked, and the realm
// is not asked for push again. Against a scripted realm, counting token requests.

import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../../src/registry/auth/index.js';
import { explicitStore } from '../../../src/registry/credentials.js';
import { Secret } from '../../../src/registry/secret.js';
import type { HttpRequest, HttpResponse, Transport } from '../../../src/registry/transport.js';

const REGISTRY = 'registry.example';
const REPOS = ['a', 'b', 'c'];

/** A realm that refuses any scope asking push (as some do) and grants pull; `refuseAll`: wrong password. */
function realm(options: { refuseAll?: boolean; grantPush?: boolean; subset?: boolean } = {}): Transport & { asked: string[][] } {
  const asked: string[][] = [];
  const answer = (status: number, headers: Record<string, string> = {}, body = ''): HttpResponse => ({ status, headers, body: Buffer.from(body), attempts: 1 });
  return {
    asked,
    stats: { requests: 0, byMethod: {} },
    close: async () => undefined,
    async send(request: HttpRequest): Promise<HttpResponse> {
      const url = new URL(request.url);
      if (url.pathname === '/v2/') return answer(401, { 'www-authenticate': 'Bearer realm="https://auth.example/token",service="svc"' });
      const scopes = url.searchParams.getAll('scope');
      asked.push(scopes);
      const push = scopes.some((s) => s.endsWith(',push'));
      if (options.refuseAll || (push && !options.grantPush && !options.subset)) return answer(401, {}, '{"details":"denied"}');
      // subset: the spec's way, the actions the account holds (pull) of those asked
      const actions = (s: string) => s.split(':')[2]!.split(',').filter((a) => !options.subset || a === 'pull');
      const access = scopes.map((s) => ({ type: 'repository', name: s.split(':')[1], actions: actions(s) }));
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return answer(200, {}, JSON.stringify({ token: `${part({ alg: 'none' })}.${part({ access })}.sig`, expires_in: 300 }));
    },
  };
}

function authenticator(transport: Transport, pushOptional: boolean): Authenticator {
  return new Authenticator({
    transport,
    credentials: explicitStore('reader', new Secret('pw'), REGISTRY),
    baseUrl: (registry) => `https://${registry}`,
    isInsecure: () => false,
    pushOptional,
  });
}

describe('pushOptional (a dry-run)', () => {
  it('a realm that refuses pull,push: one refused request, one pull-only probe, then pull alone for the whole batch; push unchecked', async () => {
    const transport = realm();
    const auth = authenticator(transport, true);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    for (const repo of REPOS) expect(await auth.authorization(REGISTRY, repo, 'pull,push')).toMatch(/^Bearer /);
    expect(transport.asked).toEqual([REPOS.map((r) => `repository:${r}:pull,push`), ['repository:a:pull'], REPOS.map((r) => `repository:${r}:pull`)]);
    expect(auth.pushUnchecked(REGISTRY)?.status).toBe(401);
    // the claims of the stand-in token say nothing about push: no verdict
    expect(await auth.grantedActions(REGISTRY, 'a', 'pull,push')).toBeUndefined();
  });

  it('later repositories go to pull alone at once', async () => {
    const transport = realm();
    const auth = authenticator(transport, true);
    await auth.authorization(REGISTRY, 'a', 'pull,push');
    await auth.authorization(REGISTRY, 'b', 'pull,push');
    expect(transport.asked).toEqual([['repository:a:pull,push'], ['repository:a:pull'], ['repository:b:pull']]);
  });

  it('a realm that grants the subset: one request, nothing unchecked', async () => {
    const transport = realm({ grantPush: true });
    const auth = authenticator(transport, true);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    for (const repo of REPOS) await auth.authorization(REGISTRY, repo, 'pull,push');
    expect(transport.asked).toHaveLength(1);
    expect(auth.pushUnchecked(REGISTRY)).toBeUndefined();
    expect(await auth.grantedActions(REGISTRY, 'a', 'pull,push')).toEqual(['pull', 'push']);
  });

  it('a realm that grants the subset (pull of pull,push): one request serves the batch, as a pull-only dry-run did', async () => {
    const transport = realm({ subset: true });
    const auth = authenticator(transport, true);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    for (const repo of REPOS) await auth.authorization(REGISTRY, repo, 'pull,push');
    expect(transport.asked).toHaveLength(1);
    expect(await auth.grantedActions(REGISTRY, 'b', 'pull,push')).toEqual(['pull']);
    // apply needs push itself: a repository granted less gets a token of its own (auth-batching.test.ts)
    const apply = realm({ subset: true });
    const applyAuth = authenticator(apply, false);
    applyAuth.plan(REGISTRY, REPOS, 'pull,push');
    for (const repo of REPOS) await applyAuth.authorization(REGISTRY, repo, 'pull,push');
    expect(apply.asked).toHaveLength(1 + REPOS.length);
  });

  it('refused credentials are still refused (pull refused too), two failed logins as before, and remembered', async () => {
    const transport = realm({ refuseAll: true });
    const auth = authenticator(transport, true);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    await expect(auth.authorization(REGISTRY, 'a', 'pull,push')).rejects.toThrow(/refused the credentials/);
    expect(transport.asked).toEqual([REPOS.map((r) => `repository:${r}:pull,push`), ['repository:a:pull']]);
    await expect(auth.authorization(REGISTRY, 'b', 'pull,push')).rejects.toThrow(/refused the credentials/);
    expect(transport.asked).toHaveLength(2);
    expect(auth.pushUnchecked(REGISTRY)).toBeUndefined();
  });

  it('apply (not pushOptional): the refusal stands, no pull-only token', async () => {
    const transport = realm();
    const auth = authenticator(transport, false);
    await expect(auth.authorization(REGISTRY, 'a', 'pull,push')).rejects.toThrow(/refused the credentials/);
    expect(transport.asked).toEqual([['repository:a:pull,push']]);
  });
});
