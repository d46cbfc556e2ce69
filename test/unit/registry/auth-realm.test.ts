// Basic credentials go to a token realm only where they cannot be read on the way: HTTPS, a
// loopback host, or a host named with --insecure-registry. A scripted transport stands in for
// the network, so non-loopback hosts can be used without any DNS or connection.

import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../../src/registry/auth/index.js';
import type { CredentialStore } from '../../../src/registry/credentials.js';
import { RegistryError } from '../../../src/registry/errors.js';
import { Secret } from '../../../src/registry/secret.js';
import type { HttpRequest, HttpResponse, Transport } from '../../../src/registry/transport.js';

const PASSWORD = 'realm-test-password';

function scripted(realm: string): { transport: Transport; sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  const answer = (status: number, headers: Record<string, string> = {}, body = ''): HttpResponse => ({
    status,
    headers,
    body: Buffer.from(body),
    attempts: 1,
  });
  const transport: Transport = {
    stats: { requests: 0, byMethod: {} },
    async send(request) {
      sent.push(request);
      if (request.url.endsWith('/v2/')) return answer(401, { 'www-authenticate': `Bearer realm="${realm}",service="svc"` });
      return answer(200, { 'content-type': 'application/json' }, '{"token":"issued-bearer-token","expires_in":300}');
    },
    async close() {},
  };
  return { transport, sent };
}

const withPassword: CredentialStore = {
  lookup: async () => ({ credential: { kind: 'basic', username: 'ci', password: new Secret(PASSWORD) }, source: 'test', searched: ['test'] }),
};
const anonymous: CredentialStore = { lookup: async () => ({ searched: ['test'] }) };

function authenticator(realm: string, credentials: CredentialStore, insecure: string[] = []) {
  const { transport, sent } = scripted(realm);
  const auth = new Authenticator({
    transport,
    credentials,
    baseUrl: (registry) => `https://${registry}`,
    isInsecure: (host) => insecure.includes(host),
  });
  return { auth, sent };
}

describe('where Basic credentials may go (token realms)', () => {
  it.each([
    { realm: 'https://auth.example.com/token', insecure: [], sends: true },
    { realm: 'http://127.0.0.1:5001/token', insecure: [], sends: true },
    { realm: 'http://localhost:5001/token', insecure: [], sends: true },
    { realm: 'http://[::1]:5001/token', insecure: [], sends: true },
    { realm: 'http://auth.lab:5001/token', insecure: ['auth.lab:5001'], sends: true },
    { realm: 'http://auth.example.com/token', insecure: [], sends: false },
    { realm: 'http://10.0.0.8/token', insecure: [], sends: false },
    { realm: 'http://auth.lab:5001/token', insecure: ['other.lab'], sends: false },
  ])('$realm (insecure: $insecure): credentials sent $sends', async ({ realm, insecure, sends }) => {
    const { auth, sent } = authenticator(realm, withPassword, insecure);
    const outcome = await auth.authorization('registry.example.com', 'team/app', 'pull,push').catch((e: unknown) => e);
    const toRealm = sent.filter((r) => r.url.startsWith(new URL(realm).origin));
    if (sends) {
      expect(outcome).toBe('Bearer issued-bearer-token');
      expect(toRealm.length).toBe(1);
      expect(toRealm[0]!.headers?.authorization).toBe(`Basic ${Buffer.from(`ci:${PASSWORD}`).toString('base64')}`);
    } else {
      expect(outcome).toBeInstanceOf(RegistryError);
      expect((outcome as RegistryError).code).toBe('UNAUTHORIZED');
      expect((outcome as RegistryError).message).toMatch(/token service http:\/\/[^ ]+ is plain HTTP; retag will not send credentials there/);
      expect((outcome as RegistryError).message).not.toContain(PASSWORD);
      expect(toRealm).toEqual([]); // nothing at all went to the realm
    }
  });

  it('an anonymous client may use a plain-HTTP realm: there is nothing to protect', async () => {
    const { auth, sent } = authenticator('http://auth.example.com/token', anonymous);
    expect(await auth.authorization('registry.example.com', 'team/app', 'pull')).toBe('Bearer issued-bearer-token');
    expect(sent.at(-1)!.headers?.authorization).toBeUndefined();
  });
});
