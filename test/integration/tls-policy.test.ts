// TLS as docker does it (issue 11): loopback registries are tried over HTTPS first without
// certificate checks, then plain HTTP; certs.d client certificates are presented (mTLS, the real
// docker-registry with http.tls.clientcas). Certificates from a throwaway CA made by openssl.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../helpers/registry-process.js';
import { runInProcess, tagFile, tempFiles } from '../helpers/run-cli.js';
import { seedImages } from '../helpers/seed.js';
import { makeClientCert, makeTestCa, startTlsFront, type TestCa, type TlsFront } from '../helpers/tls-proxy.js';

const SRC = 'build-20260101T000000Z.0';

interface JsonRun {
  images: { name: string; status: string; error?: string }[];
}

describe('TLS policy', () => {
  let plain: TestRegistry;
  let ca: TestCa;
  let front: TlsFront;
  let mtls: TestRegistry;
  let dir: string;

  beforeAll(async () => {
    plain = await startRegistry({ auth: 'none' });
    await seedImages(plain.client, [{ repo: 'stx/app', tag: SRC, kind: 'oci-index' }]);
    ca = await makeTestCa(['registry.test'], ['127.0.0.1', '127.0.0.2']);
    // 127.0.0.2: a second loopback address, with a certificate of a CA nobody trusts
    front = await startTlsFront(ca, { host: '127.0.0.1', port: Number(new URL(plain.url).port) }, '127.0.0.2');
    mtls = await startRegistry({ auth: 'none', storageOf: plain, tls: { certFile: ca.certFile, keyFile: ca.keyFile, clientCas: [join(ca.dir, 'ca.crt')] } });
    dir = await tempFiles({
      'self-signed.yaml': tagFile([{ name: `127.0.0.2:${front.port}/stx/app`, src_build_tag: SRC, tag: 'v-loopback-tls' }]),
      'plain.yaml': tagFile([{ name: `${plain.host}/stx/app`, src_build_tag: SRC, tag: 'v-plain' }]),
      'mtls.yaml': tagFile([{ name: `${mtls.host}/stx/app`, src_build_tag: SRC, tag: 'v-mtls' }]),
    });
  });

  afterAll(async () => {
    await front?.close();
    await mtls?.stop();
    await plain?.stop();
  });

  async function apply(file: string, env: NodeJS.ProcessEnv = {}) {
    const result = await runInProcess(['apply', '--output', 'json', '--log-level', 'info', file], { cwd: dir, env: { RETAG_CERTS_D: dir, ...env } });
    return { ...result, run: JSON.parse(result.stdout) as JsonRun };
  }

  it('a self-signed registry on 127.0.0.2 works without flags: HTTPS, certificate unchecked, said once at info', async () => {
    const result = await apply('self-signed.yaml');
    expect(result.run.images[0]).toMatchObject({ status: 'created' });
    expect(await plain.client.tagDigest('stx/app', 'v-loopback-tls')).toBeDefined();
    expect(result.logs.match(/HTTPS without certificate checks \(a loopback registry\)/g)).toHaveLength(1);
  });

  it('a plain-HTTP loopback registry still works: HTTPS tried once, then plain HTTP, said once at info', async () => {
    const result = await apply('plain.yaml');
    expect(result.run.images[0]).toMatchObject({ status: 'created' });
    expect(result.logs.match(/plain HTTP \(a loopback registry; HTTPS failed: /g)).toHaveLength(1);
  });

  it('an mTLS registry: works with the client certificate in certs.d, fails clearly without', async () => {
    const without = await apply('mtls.yaml');
    expect(without.run.images[0]!.status).toBe('failed');
    expect(without.run.images[0]!.error).toMatch(/client certificate/);
    expect(without.run.images[0]!.error).toMatch(/client\.cert and client\.key/);

    const certs = await tempFiles({});
    const client = await makeClientCert(ca, 'retag-ci');
    await mkdir(join(certs, mtls.host));
    // any *.cert/*.key pair of the same name, as docker reads them
    await writeFile(join(certs, mtls.host, 'retag-ci.cert'), client.certPem);
    await writeFile(join(certs, mtls.host, 'retag-ci.key'), client.keyPem);
    const withCert = await apply('mtls.yaml', { RETAG_CERTS_D: certs });
    expect(withCert.run.images[0]).toMatchObject({ status: 'created' });
    expect(await plain.client.tagDigest('stx/app', 'v-mtls')).toBeDefined();
  });
});
