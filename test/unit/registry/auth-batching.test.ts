// Token batching against a scripted realm: several planned repositories' scopes go into one token
// request; a repository the answer does not cover (a JWT's `access` claim), a realm that refuses
// batches, and an opaque token the registry refuses each fall back to a token of its own.

import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../../src/registry/auth/index.js';
import { explicitStore } from '../../../src/registry/credentials.js';
import { RegistryError } from '../../../src/registry/errors.js';
import { Secret } from '../../../src/registry/secret.js';
import type { HttpRequest, HttpResponse, Transport } from '../../../src/registry/transport.js';

const REGISTRY = 'registry.example';

type Realm = (scopes: string[]) => { status: number; token?: string };

function jwt(access: { type: string; name: string; actions: string[] }[], id: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ access, jti: id })}.sig`;
}

function grantAll(scopes: string[]): { type: string; name: string; actions: string[] }[] {
  return scopes.map((scope) => {
    const [type, name, actions] = scope.split(':') as [string, string, string];
    return { type, name, actions: actions.split(',') };
  });
}

function fakeTransport(realm: Realm): Transport & { tokenRequests: string[][] } {
  const tokenRequests: string[][] = [];
  const answer = (status: number, headers: Record<string, string> = {}, body = ''): HttpResponse => ({
    status,
    headers,
    body: Buffer.from(body),
    attempts: 1,
  });
  return {
    tokenRequests,
    stats: { requests: 0, byMethod: {} },
    close: async () => undefined,
    async send(request: HttpRequest): Promise<HttpResponse> {
      const url = new URL(request.url);
      if (url.pathname === '/v2/') {
        return answer(401, { 'www-authenticate': 'Bearer realm="https://auth.example/token",service="svc"' });
      }
      const scopes = url.searchParams.getAll('scope');
      tokenRequests.push(scopes);
      const { status, token } = realm(scopes);
      return answer(status, {}, token ? JSON.stringify({ token, expires_in: 300 }) : '{}');
    },
  };
}

function authenticator(transport: Transport, scopesPerRequest?: number): Authenticator {
  return new Authenticator({
    transport,
    credentials: explicitStore('ci', new Secret('pw'), REGISTRY),
    baseUrl: (registry) => `https://${registry}`,
    isInsecure: () => false,
    scopesPerRequest,
  });
}

const REPOS = ['a', 'b', 'c', 'd', 'e'];
const tokenOf = async (auth: Authenticator, repo: string) => auth.authorization(REGISTRY, repo, 'pull,push');

describe('token batching', () => {
  it('one request for all planned repositories when the JWT covers them', async () => {
    const transport = fakeTransport((scopes) => ({ status: 200, token: jwt(grantAll(scopes), 'batch') }));
    const auth = authenticator(transport);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    const tokens = await Promise.all(REPOS.map((repo) => tokenOf(auth, repo)));
    expect(transport.tokenRequests).toEqual([REPOS.map((r) => `repository:${r}:pull,push`)]);
    expect(new Set(tokens).size).toBe(1);
    expect(auth.tokenFetches).toBe(1);
  });

  it('batches of scopesPerRequest, in plan order', async () => {
    const transport = fakeTransport((scopes) => ({ status: 200, token: jwt(grantAll(scopes), scopes.join()) }));
    const auth = authenticator(transport, 2);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    for (const repo of REPOS) await tokenOf(auth, repo);
    expect(transport.tokenRequests.map((s) => s.length)).toEqual([2, 2, 1]);
  });

  it('long repository names: fewer scopes per request, so the realm URL stays short', async () => {
    const transport = fakeTransport((scopes) => ({ status: 200, token: jwt(grantAll(scopes), scopes.join()) }));
    const auth = authenticator(transport);
    const long = Array.from({ length: 25 }, (_, i) => `team/${'x'.repeat(190)}-${i}`);
    auth.plan(REGISTRY, long, 'pull,push');
    await tokenOf(auth, long[0]!);
    const first = transport.tokenRequests[0]!;
    expect(first.length).toBeLessThan(25);
    expect(first.join('').length).toBeLessThanOrEqual(4000);
  });

  it('keeps one request of tokens ahead of the images, so none waits at a batch boundary', async () => {
    const transport = fakeTransport((scopes) => ({ status: 200, token: jwt(grantAll(scopes), scopes.join()) }));
    const auth = authenticator(transport, 3);
    const repos = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
    auth.plan(REGISTRY, repos, 'pull');
    await auth.authorization(REGISTRY, 'r1', 'pull');
    // r1's request and, at once, the next one
    expect(transport.tokenRequests.map((s) => s.map((x) => x.split(':')[1]))).toEqual([['r1', 'r2', 'r3'], ['r4', 'r5', 'r6']]);
    await auth.authorization(REGISTRY, 'r2', 'pull');
    await auth.authorization(REGISTRY, 'r3', 'pull');
    expect(transport.tokenRequests).toHaveLength(2);
    await auth.authorization(REGISTRY, 'r4', 'pull'); // fewer than a request's worth left ahead: r7 now
    expect(transport.tokenRequests.at(-1)).toEqual(['repository:r7:pull']);
    for (const repo of repos) await auth.authorization(REGISTRY, repo, 'pull');
    expect(transport.tokenRequests).toHaveLength(3);
  });

  it('a repository the granted JWT leaves out (or grants fewer actions) gets a token of its own', async () => {
    // a realm that grants only the first scope of a request, and only pull on "c"
    const transport = fakeTransport((scopes) => ({
      status: 200,
      token: jwt(grantAll(scopes.slice(0, 1)).map((g) => (g.name === 'c' ? { ...g, actions: ['pull'] } : g)), scopes.join()),
    }));
    const auth = authenticator(transport);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    const tokens = await Promise.all(REPOS.map((repo) => tokenOf(auth, repo)));
    expect(transport.tokenRequests[0]).toHaveLength(5);
    expect(transport.tokenRequests.slice(1).map((s) => s.join()).sort()).toEqual(['b', 'c', 'd', 'e'].map((r) => `repository:${r}:pull,push`));
    expect(new Set(tokens).size).toBe(5);
  });

  it('a realm that refuses several scopes: one request per repository', async () => {
    const transport = fakeTransport((scopes) => (scopes.length > 1 ? { status: 400 } : { status: 200, token: `opaque-${scopes[0]}` }));
    const auth = authenticator(transport);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    const tokens = await Promise.all(REPOS.map((repo) => tokenOf(auth, repo)));
    expect(tokens).toEqual(REPOS.map((r) => `Bearer opaque-repository:${r}:pull,push`));
    expect(transport.tokenRequests).toHaveLength(1 + REPOS.length);
  });

  it('refused credentials are not retried per repository', async () => {
    const transport = fakeTransport(() => ({ status: 401 }));
    const auth = authenticator(transport);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    const results = await Promise.allSettled(REPOS.map((repo) => tokenOf(auth, repo)));
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(RegistryError);
      expect(((result as PromiseRejectedResult).reason as RegistryError).code).toBe('UNAUTHORIZED');
    }
    expect(transport.tokenRequests).toHaveLength(2); // the batch, and one scope alone to tell why
  });

  it('a realm that refuses a batch because of one repository: the others still get tokens', async () => {
    const transport = fakeTransport((scopes) =>
      scopes.some((s) => s.includes(':c:')) ? { status: 401 } : { status: 200, token: jwt(grantAll(scopes), scopes.join()) },
    );
    const auth = authenticator(transport);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    const results = await Promise.allSettled(REPOS.map((repo) => tokenOf(auth, repo)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  });

  it('an opaque shared token is used until the registry refuses it, then the repository gets its own', async () => {
    const transport = fakeTransport((scopes) => ({ status: 200, token: scopes.length > 1 ? 'opaque-shared' : `opaque-${scopes[0]}` }));
    const auth = authenticator(transport);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    expect(await tokenOf(auth, 'a')).toBe('Bearer opaque-shared');
    expect(await tokenOf(auth, 'c')).toBe('Bearer opaque-shared');
    await auth.invalidate(REGISTRY, 'c', 'pull,push'); // what the client does on a 401
    expect(await tokenOf(auth, 'c')).toBe('Bearer opaque-repository:c:pull,push');
    expect(await tokenOf(auth, 'd')).toBe('Bearer opaque-shared');
  });

  it('scopesPerRequest 1: the plan is ignored, one request per repository', async () => {
    const transport = fakeTransport((scopes) => ({ status: 200, token: jwt(grantAll(scopes), scopes.join()) }));
    const auth = authenticator(transport, 1);
    auth.plan(REGISTRY, REPOS, 'pull,push');
    await Promise.all(REPOS.map((repo) => tokenOf(auth, repo)));
    expect(transport.tokenRequests.every((s) => s.length === 1)).toBe(true);
    expect(transport.tokenRequests).toHaveLength(5);
  });
});

describe('token requests found in review', () => {
  const many = Array.from({ length: 100 }, (_, i) => `r${i}`);

  it('an outage of the token service is not multiplied into a request per scope', async () => {
    const transport = fakeTransport(() => ({ status: 503 }));
    const auth = authenticator(transport);
    auth.plan(REGISTRY, many, 'pull,push');
    await expect(tokenOf(auth, 'r0')).rejects.toThrow(/answered 503/);
    // the batch for r0 and at most the one batch kept ahead: no single-scope fan-out
    expect(transport.tokenRequests.length).toBeLessThanOrEqual(2);
    expect(transport.tokenRequests.every((scopes) => scopes.length > 1)).toBe(true);
  });

  it('refused credentials are remembered: later images send nothing', async () => {
    const transport = fakeTransport(() => ({ status: 401 }));
    const auth = authenticator(transport);
    auth.plan(REGISTRY, many, 'pull,push');
    await expect(tokenOf(auth, 'r0')).rejects.toThrow(/refused the credentials/);
    const after = transport.tokenRequests.length;
    for (const repo of many.slice(1, 30)) await expect(tokenOf(auth, repo)).rejects.toThrow(/refused the credentials/);
    expect(transport.tokenRequests.length).toBe(after);
  });

  it('a repository whose shared opaque token was refused gets a token of its own, even with a long plan', async () => {
    const transport = fakeTransport((scopes) => ({ status: 200, token: scopes.length > 1 ? 'shared-opaque' : `own-${scopes[0]}` }));
    const auth = authenticator(transport);
    auth.plan(REGISTRY, many, 'pull,push');
    expect(await tokenOf(auth, 'r0')).toBe('Bearer shared-opaque');
    await auth.invalidate(REGISTRY, 'r0', 'pull,push');
    expect(await tokenOf(auth, 'r0')).toBe('Bearer own-repository:r0:pull,push');
  });

  it('a short-lived token is reused for half its life, not fetched for every request', async () => {
    let now = 0;
    const transport = fakeTransport(() => ({ status: 200, token: 'short' }));
    const short: Transport = {
      ...transport,
      async send(request) {
        const answer = await transport.send(request);
        return answer.body.length > 2 ? { ...answer, body: Buffer.from(JSON.stringify({ token: 'short', expires_in: 5 })) } : answer;
      },
    };
    const auth = new Authenticator({
      transport: short,
      credentials: explicitStore('ci', new Secret('pw'), REGISTRY),
      baseUrl: (registry) => `https://${registry}`,
      isInsecure: () => false,
      now: () => now,
    });
    for (let i = 0; i < 5; i += 1) await tokenOf(auth, 'a');
    expect(transport.tokenRequests).toHaveLength(1);
    now = 3_000; // past half of 5 s
    await tokenOf(auth, 'a');
    expect(transport.tokenRequests).toHaveLength(2);
  });
});
