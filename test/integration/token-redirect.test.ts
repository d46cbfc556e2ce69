// A token service that answers a redirect to another origin must not get retag's credentials
// there: the identity token travels in a POST body (undici would replay it on a 307) and the
// Basic password in a header. The registry here is a stand-in that only challenges (the real
// docker-registry's realm is its own token server); the token service answers every request
// 307 to a second origin on another loopback address, which records whatever reaches it.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingOrigin, type RecordingOrigin } from '../helpers/fault-proxy.js';
import { basicAuth, dockerConfig, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';

const IDENTITY_TOKEN = 'identity-token-that-must-stay-home-41c2';
const PASSWORD = 'password-that-must-stay-home-9d7e';

interface Seen {
  method: string;
  path: string;
  body: string;
}

async function listen(server: Server, host: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `${host}:${(server.address() as AddressInfo).port}`;
}

describe('a token service that redirects to another origin', () => {
  let elsewhere: RecordingOrigin;
  let registryHost = '';
  const tokenRequests: Seen[] = [];
  let tokenOrigin = '';

  // answers every token request (GET or POST) with a redirect that keeps the method and body
  const tokenService = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      tokenRequests.push({ method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(307, { location: `${elsewhere.url}/token-elsewhere` }).end();
    });
  });
  // challenges every request, the way a token-auth registry does before it has a token
  const registry = createServer((req, res) => {
    req.resume();
    res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${tokenOrigin}/token",service="redirecting"`, 'content-type': 'application/json' });
    res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
  });

  beforeAll(async () => {
    elsewhere = await startRecordingOrigin('127.0.0.2');
    tokenOrigin = await listen(tokenService, '127.0.0.1');
    registryHost = await listen(registry, '127.0.0.1');
  });

  afterAll(async () => {
    await elsewhere?.close();
    tokenService.closeAllConnections();
    registry.closeAllConnections();
    await new Promise((resolve) => tokenService.close(resolve));
    await new Promise((resolve) => registry.close(resolve));
  });

  it.each<{ label: string; entry: Record<string, string>; method: string; secret: string }>([
    { label: 'an identity token (POST body)', entry: { username: '<token>', identitytoken: IDENTITY_TOKEN }, method: 'POST', secret: IDENTITY_TOKEN },
    { label: 'a Basic password (GET header)', entry: { auth: basicAuth('ci', PASSWORD) }, method: 'GET', secret: PASSWORD },
  ])('$label: the other origin receives nothing, the image fails saying why', async ({ entry, method, secret }) => {
    tokenRequests.length = 0;
    elsewhere.seen.length = 0;
    const dir = await tempFiles({ 'tags.yaml': tagFile([{ name: `${registryHost}/stx/app`, src_build_tag: 'build-1', tag: 'rel-1' }]) });
    const env = { DOCKER_CONFIG: await dockerConfig({ [registryHost]: entry }), RETAG_RETRY_BASE_MS: '1' };
    const result = await runInProcess(['apply', '--output', 'json', 'tags.yaml'], { cwd: dir, env });
    // the token service was asked, with the credential (so it really was there to leak) ...
    expect(tokenRequests.length).toBeGreaterThan(0);
    expect(tokenRequests[0]!.method).toBe(method);
    if (method === 'POST') expect(tokenRequests[0]!.body).toContain(IDENTITY_TOKEN);
    // ... and its redirect was not followed
    expect(elsewhere.seen).toEqual([]);
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout) as { images: { status: string; error?: string }[] };
    expect(run.images[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/answered a redirect \(307\)/) as unknown });
    expect(`${result.stdout}${result.stderr}${result.logs}${result.processOutput}`).not.toContain(secret);
  });
});
