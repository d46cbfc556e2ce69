// The network build engineers already configured: an HTTP proxy through HTTP_PROXY/HTTPS_PROXY
// (and NO_PROXY), a registry behind TLS signed by a private CA trusted through docker's
// certs.d folder (RETAG_CERTS_D here) or --ca-file. The registry is the real docker-registry;
// a TLS front on loopback terminates TLS for it and a proxy of the test's own records every tunnel.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { runBinary, runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';
import { makeTestCa, startProxy, startTlsFront, type TestCa, type TestProxy, type TlsFront } from '../helpers/tls-proxy.js';

const SRC = 'build-20260101T000000Z.0';
/** A name only the test proxy resolves: no DNS, no /etc/hosts needed. */
const TLS_HOST = 'registry.test';

interface JsonRun {
  images: { name: string; status: string; error?: string }[];
}

describe('network: proxies and private CAs', () => {
  let registry: TestRegistry;
  let ca: TestCa;
  let front: TlsFront;
  let proxy: TestProxy;
  let dir: string;
  let tlsName: string;
  let certsDir: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
    await seedImages(registry.client, [{ repo: 'stx/app', tag: SRC, kind: 'oci-index' }]);
    ca = await makeTestCa([TLS_HOST], ['0.0.0.0']);
    const registryPort = Number(new URL(registry.url).port);
    front = await startTlsFront(ca, { host: '127.0.0.1', port: registryPort });
    tlsName = `${TLS_HOST}:${front.port}`;
    proxy = await startProxy({ [tlsName]: { host: '127.0.0.1', port: front.port } });
    certsDir = await tempFiles({});
    await mkdir(join(certsDir, tlsName));
    await writeFile(join(certsDir, tlsName, 'ca.crt'), ca.caPem);
    dir = await tempFiles({
      'plain.yaml': tagFile([{ name: `${registry.host}/stx/app`, src_build_tag: SRC, tag: 'v-plain' }]),
      'tls.yaml': tagFile([{ name: `${tlsName}/stx/app`, src_build_tag: SRC, tag: 'v-tls' }]),
      'direct.yaml': tagFile([{ name: `0.0.0.0:${front.port}/stx/app`, src_build_tag: SRC, tag: 'v-direct' }]),
      'ca.pem': ca.caPem,
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await front?.close();
    await registry?.stop();
  });

  async function apply(file: string, env: NodeJS.ProcessEnv, args: string[] = []) {
    const before = proxy.seen.length;
    const result = await runInProcess(['apply', '--output', 'json', ...args, file], { cwd: dir, env });
    return { ...result, run: JSON.parse(result.stdout) as JsonRun, seen: proxy.seen.slice(before) };
  }

  it('HTTP_PROXY: a plain-HTTP registry is reached through the proxy', async () => {
    const result = await apply('plain.yaml', { HTTP_PROXY: proxy.url });
    expect(result.run.images[0]!.status).toBe('created');
    expect(result.seen.length).toBeGreaterThan(0);
    expect(new Set(result.seen)).toEqual(new Set([`CONNECT ${registry.host}`]));
    expect(await registry.client.tagDigest('stx/app', 'v-plain')).toBeDefined();
  });

  it('NO_PROXY: a listed host is reached directly', async () => {
    const result = await apply('plain.yaml', { http_proxy: proxy.url, NO_PROXY: 'localhost,127.0.0.1' }, ['--dry-run']);
    expect(result.run.images[0]!.status).toBe('exists');
    expect(result.seen).toEqual([]);
  });

  it('HTTPS_PROXY and a CA in the certs.d folder for the host: TLS verified, through the proxy', async () => {
    const result = await apply('tls.yaml', { HTTPS_PROXY: proxy.url, RETAG_CERTS_D: certsDir });
    expect(result.run.images[0]).toMatchObject({ status: 'created' });
    expect(new Set(result.seen)).toEqual(new Set([`CONNECT ${tlsName}`]));
    expect(await registry.client.tagDigest('stx/app', 'v-tls')).toBeDefined();
  });

  it('HTTPS_PROXY and --ca-file', async () => {
    const empty = await tempFiles({});
    const result = await apply('tls.yaml', { HTTPS_PROXY: proxy.url, RETAG_CERTS_D: empty }, ['--dry-run', '--ca-file', 'ca.pem']);
    expect(result.run.images[0]!.status).toBe('exists');
    expect(result.seen).toContain(`CONNECT ${tlsName}`);
  });

  it('without the CA the private certificate is refused (failed, not pushed)', async () => {
    const empty = await tempFiles({});
    const result = await apply('tls.yaml', { HTTPS_PROXY: proxy.url, RETAG_CERTS_D: empty }, ['--dry-run']);
    expect(result.run.images[0]!.status).toBe('failed');
    expect(result.run.images[0]!.error).toMatch(/certificate/i);
    expect(result.code).toBe(1);
  });

  it('--ca-file that cannot be read: exit 2, nothing sent', async () => {
    const result = await runInProcess(['apply', '--ca-file', 'nope.pem', 'tls.yaml'], { cwd: dir, env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--ca-file nope\.pem cannot be read \(ENOENT\)/);
  });

  // No proxy: the CA of certs.d/<host:port> is trusted for that host only. 0.0.0.0 reaches
  // loopback on Linux without being a loopback name, so retag speaks HTTPS to it.
  it('no proxy: certs.d/<host:port>/ca.crt is trusted for that host, and only for it', async () => {
    const hostDir = await tempFiles({});
    await mkdir(join(hostDir, `0.0.0.0:${front.port}`));
    await writeFile(join(hostDir, `0.0.0.0:${front.port}`, 'ca.crt'), ca.caPem);
    const ok = await apply('direct.yaml', { RETAG_CERTS_D: hostDir }, ['--dry-run']);
    expect(ok.run.images[0]!.status).toBe('pending');
    expect(ok.seen).toEqual([]);
    const other = await tempFiles({});
    await mkdir(join(other, 'another-host:443'));
    await writeFile(join(other, 'another-host:443', 'ca.crt'), ca.caPem);
    const refused = await apply('direct.yaml', { RETAG_CERTS_D: other }, ['--dry-run']);
    expect(refused.run.images[0]!.status).toBe('failed');
  });

  // NODE_EXTRA_CA_CERTS is read by Node at startup, so this one runs the real binary.
  it('NODE_EXTRA_CA_CERTS is honoured, also when --ca-file adds another CA', async () => {
    const other = await makeTestCa(['elsewhere.test'], []);
    const empty = await tempFiles({});
    for (const extra of [[], ['--ca-file', other.caFile]]) {
      const before = proxy.seen.length;
      const result = await runBinary(['apply', '--dry-run', ...extra, join(dir, 'tls.yaml')], {
        env: { HTTPS_PROXY: proxy.url, RETAG_CERTS_D: empty, NODE_EXTRA_CA_CERTS: ca.caFile },
      });
      expect(result.stdout).toMatch(/^exists\s/);
      expect(result.code).toBe(0);
      expect(proxy.seen.slice(before)).toContain(`CONNECT ${tlsName}`);
    }
  });
});
