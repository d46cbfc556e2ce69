// Through a corporate proxy (issue 11): a real CONNECT proxy of the test's own in front of the
// real docker-registry (token auth) and its token service, both behind TLS fronts signed by a
// throwaway CA, under names only the proxy resolves (registry.test, token.test).
// Proxies that stall, refuse or want credentials; tunnels counted; timeouts as generous upper bounds.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { basicAuth, dockerConfig, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';
import { makeTestCa, startProxy, startTlsFront, type ProxyBehaviour, type TestCa, type TestProxy, type TlsFront } from '../helpers/tls-proxy.js';

const SRC = 'build-20260101T000000Z.0';

interface JsonRun {
  images: { name: string; status: string; error?: string }[];
}

describe('through a CONNECT proxy', () => {
  let registry: TestRegistry;
  /** the same storage without auth: the admin client cannot follow a realm only the proxy resolves */
  let plain: TestRegistry;
  let ca: TestCa;
  let front: TlsFront;
  let tokenFront: TlsFront | undefined;
  let registryName: string;
  let tokenName: string;
  let dir: string;
  let config: string;
  const proxies: TestProxy[] = [];

  beforeAll(async () => {
    ca = await makeTestCa(['registry.test', 'token.test'], []);
    plain = await startRegistry({ auth: 'none' });
    await seedImages(plain.client, [{ repo: 'stx/app', tag: SRC, kind: 'oci-index' }]);
    registry = await startRegistry({
      auth: 'token',
      storageOf: plain,
      realmVia: async (tokenServer) => {
        tokenFront = await startTlsFront(ca, { host: '127.0.0.1', port: Number(new URL(tokenServer.url).port) });
        tokenName = `token.test:${tokenFront.port}`;
        return `https://${tokenName}/token`;
      },
    });
    front = await startTlsFront(ca, { host: '127.0.0.1', port: Number(new URL(registry.url).port) });
    registryName = `registry.test:${front.port}`;
    config = await dockerConfig({ [registryName]: { auth: basicAuth('admin', registry.users.admin!) } });
    const images = Array.from({ length: 40 }, (_, i) => ({ name: `${registryName}/stx/app`, src_build_tag: SRC, tag: `v${i}` }));
    dir = await tempFiles({ 'one.yaml': tagFile(images.slice(0, 1)), 'forty.yaml': tagFile(images), 'ca.pem': ca.caPem });
  });

  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    await front?.close();
    await tokenFront?.close();
    await registry?.stop();
    await plain?.stop();
  });

  async function proxy(behaviour?: ProxyBehaviour): Promise<TestProxy> {
    const routes = {
      [registryName]: { host: '127.0.0.1', port: front.port },
      [tokenName]: { host: '127.0.0.1', port: tokenFront!.port },
    };
    const started = await startProxy(routes, behaviour);
    proxies.push(started);
    return started;
  }

  async function apply(file: string, proxyUrl: string, args: string[] = []) {
    const started = performance.now();
    const result = await runInProcess(['apply', '--output', 'json', '--ca-file', 'ca.pem', ...args, file], {
      cwd: dir,
      env: { HTTPS_PROXY: proxyUrl, DOCKER_CONFIG: config, RETAG_RETRY_BASE_MS: '10' },
    });
    return { ...result, run: JSON.parse(result.stdout) as JsonRun, seconds: (performance.now() - started) / 1000 };
  }

  // The budget per registry is 2 x --concurrency connections (an image's two HEADs go out
  // together, src/registry/index.ts); tunnels are connections like any other.
  it('keeps tunnels alive: --concurrency 4, 40 images, at most 2 x 4 tunnels to the registry and 1 to the token service', async () => {
    const p = await proxy();
    const result = await apply('forty.yaml', p.url, ['--concurrency', '4', '--log-level', 'debug']);
    expect(result.run.images.map((i) => i.status)).toEqual(Array(40).fill('created'));
    expect(await plain.client.tagDigest('stx/app', 'v39')).toBeDefined();
    const toRegistry = p.seen.filter((s) => s === `CONNECT ${registryName}`).length;
    const toToken = p.seen.filter((s) => s === `CONNECT ${tokenName}`).length;
    expect(toRegistry).toBeGreaterThan(0);
    expect(toRegistry).toBeLessThanOrEqual(2 * 4);
    expect(toToken).toBe(1);
    expect(p.seen).toHaveLength(toRegistry + toToken);
    // the debug log: one line per tunnel, and the reuse in one line at the end
    expect(result.logs.match(/"tunnel opened"/g)).toHaveLength(toRegistry + toToken);
    const used = result.logs.split('\n').find((line) => line.includes('"connections used"'));
    expect(JSON.parse(used!)).toMatchObject({ tunnels: toRegistry + toToken, requests: expect.any(Number) });
    expect((JSON.parse(used!) as { requests: number }).requests).toBeGreaterThanOrEqual(121);
  });

  it('a proxy that never answers CONNECT: the run ends within about attempts x timeout, naming the proxy and the phase', async () => {
    const p = await proxy({ kind: 'silent' });
    const result = await apply('one.yaml', p.url, ['--request-timeout', '1']);
    expect(result.run.images[0]).toMatchObject({ status: 'failed' });
    const proxyHost = new URL(p.url).host;
    expect(result.run.images[0]!.error).toContain(`the proxy ${proxyHost} did not answer CONNECT to ${registryName} within 1 s after 4 attempts`);
    expect(result.code).toBe(1);
    expect(p.seen).toHaveLength(4);
    expect(result.seconds).toBeLessThan(20); // 4 x 1 s and short backoffs; undici's own default is 300 s
  });

  it('a tunnel whose far side never answers: bounded the same way, naming the TLS phase', async () => {
    const p = await proxy({ kind: 'blackhole' });
    const result = await apply('one.yaml', p.url, ['--request-timeout', '1']);
    const proxyHost = new URL(p.url).host;
    expect(result.run.images[0]!.error).toContain(`no TLS connection to ${registryName} through the proxy ${proxyHost} within 1 s after 4 attempts`);
    expect(result.seconds).toBeLessThan(20);
  });

  it('a proxy that refuses CONNECT (403): named with its status, not retried', async () => {
    const p = await proxy({ kind: 'status', status: 403 });
    const result = await apply('one.yaml', p.url);
    const proxyHost = new URL(p.url).host;
    expect(result.run.images[0]!.error).toContain(`the proxy ${proxyHost} refused CONNECT to ${registryName} with 403`);
    expect(result.run.images[0]!.error).toContain('NO_PROXY');
    expect(p.seen).toHaveLength(1);
  });

  it('a proxy that wants credentials (407): says where they go; user:password@ in the proxy URL is sent, and shown nowhere', async () => {
    const p = await proxy({ kind: 'auth', user: 'proxy-user', password: 'pr0xy s3cret' });
    const url = new URL(p.url);
    const without = await apply('one.yaml', p.url);
    expect(without.run.images[0]!.error).toContain(`the proxy ${url.host} wants credentials (407); put them in HTTPS_PROXY as http://user:password@${url.host}`);

    const wrong = await apply('one.yaml', `http://proxy-user:nope@${url.host}`);
    expect(wrong.run.images[0]!.error).toContain(`the proxy ${url.host} refused the credentials in HTTPS_PROXY (407)`);

    const withCredentials = `http://proxy-user:${encodeURIComponent('pr0xy s3cret')}@${url.host}`;
    const ok = await apply('one.yaml', withCredentials, ['--dry-run', '--log-level', 'debug']);
    expect(ok.run.images[0]!.status).toBe('exists');
    expect(p.authorizations.at(-1)).toBe(`Basic ${Buffer.from('proxy-user:pr0xy s3cret').toString('base64')}`);
    for (const output of [ok.stdout, ok.stderr, ok.logs, without.stdout, without.logs, wrong.stdout, wrong.logs]) {
      expect(output).not.toMatch(/s3cret|pr0xy%20|nope/);
      expect(output).not.toContain(Buffer.from('proxy-user:pr0xy s3cret').toString('base64'));
    }
  });

  it('--tls-verify=false reaches a registry whose certificate is not trusted, with a warning', async () => {
    const p = await proxy();
    const empty = await tempFiles({ 'one.yaml': tagFile([{ name: `${registryName}/stx/app`, src_build_tag: SRC, tag: 'v0' }]) });
    const run = (args: string[]) =>
      runInProcess(['apply', '--dry-run', '--output', 'json', ...args, 'one.yaml'], {
        cwd: empty,
        env: { HTTPS_PROXY: p.url, DOCKER_CONFIG: config, RETAG_CERTS_D: empty },
      });
    const strict = await run([]);
    const error = (JSON.parse(strict.stdout) as JsonRun).images[0]!.error ?? '';
    // the strict run: the reason and the three ways to trust a private CA
    expect(error).toContain(`the TLS certificate of ${registryName} through the proxy`);
    expect(error).toMatch(/unknown CA/);
    expect(error).toContain(`--ca-file FILE, a ca.crt in ${empty}/${registryName}/, or NODE_EXTRA_CA_CERTS=FILE`);
    for (const spelling of [['--tls-verify=false'], ['--tls-verify', 'false']]) {
      const lax = await run(spelling);
      expect((JSON.parse(lax.stdout) as JsonRun).images[0]!.status).toBe('exists');
      expect(lax.stderr).toContain('warning: --tls-verify=false');
    }
    const wrong = await runInProcess(['apply', '--tls-verify', 'no', 'one.yaml'], { cwd: empty });
    expect(wrong.code).toBe(2);
  });

  it('a certificate for another host name: said so', async () => {
    const p = await startProxy({ [`wrong.test:${front.port}`]: { host: '127.0.0.1', port: front.port } });
    proxies.push(p);
    await writeFile(join(dir, 'wrong.yaml'), tagFile([{ name: `wrong.test:${front.port}/stx/app`, src_build_tag: SRC, tag: 'v0' }]));
    const result = await apply('wrong.yaml', p.url, ['--dry-run']);
    expect(result.run.images[0]!.error).toMatch(new RegExp(`the TLS certificate of wrong\\.test:${front.port} through the proxy \\S+ is not trusted: the certificate is for another host name \\(it names DNS:registry\\.test`));
  });
});
