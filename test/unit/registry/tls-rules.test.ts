// The pure parts of issue 11: docker's TLS rule per host, the words for proxy refusals and
// certificate failures, and certs.d client certificate pairs.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientCertificate } from '../../../src/registry/certs-d.js';
import { certificateProblem, duration, isCertificateFailure, proxyRefusal } from '../../../src/registry/connection-problem.js';
import { describeNetworkError } from '../../../src/registry/errors.js';
import { allowsPlainHttp, verifiesCertificate } from '../../../src/registry/tls-policy.js';

describe('TLS rules (docker)', () => {
  const rules = { insecureRegistries: ['registry.lab:5000', 'lab.local'], tlsVerify: true };
  it.each([
    ['registry-1.docker.io', true, false],
    ['quay.io:443', true, false],
    ['127.0.0.2:5000', false, true],
    ['localhost:5000', false, true],
    ['[::1]:5000', false, true],
    ['registry.lab:5000', false, true],
    ['registry.lab:5001', true, false],
    ['lab.local:8443', false, true],
  ])('%s: certificate checked %s, plain HTTP allowed %s', (host, verified, plain) => {
    expect(verifiesCertificate(host, rules)).toBe(verified);
    expect(allowsPlainHttp(host, rules)).toBe(plain);
  });

  it('--tls-verify=false: no host checked, and no plain HTTP where it was not allowed', () => {
    const lax = { ...rules, tlsVerify: false };
    expect(verifiesCertificate('registry-1.docker.io', lax)).toBe(false);
    expect(allowsPlainHttp('registry-1.docker.io', lax)).toBe(false);
  });
});

describe('proxy refusals', () => {
  it.each([
    [403, false, 'RETAG_PROXY_REFUSED', /the proxy p:3128 refused CONNECT to r:443 with 403: the proxy does not allow this destination.*NO_PROXY/],
    [502, false, 'RETAG_PROXY_UNAVAILABLE', /refused CONNECT to r:443 with 502: the proxy could not reach the registry/],
    [407, false, 'RETAG_PROXY_REFUSED', /the proxy p:3128 wants credentials \(407\); put them in HTTPS_PROXY as http:\/\/user:password@p:3128/],
    [407, true, 'RETAG_PROXY_REFUSED', /the proxy p:3128 refused the credentials in HTTPS_PROXY \(407\) for CONNECT to r:443/],
  ])('%i (credentials given: %s)', (status, credentials, code, message) => {
    const problem = proxyRefusal('p:3128', 'r:443', status, 'HTTPS_PROXY', credentials);
    expect(problem.code).toBe(code);
    expect(problem.message).toMatch(message);
    expect(describeNetworkError(problem)).toEqual({ code: 'NETWORK', reason: problem.message });
  });

  it('durations read as people say them', () => {
    expect([duration(3000), duration(1500), duration(250)]).toEqual(['3 s', '1.5 s', '250 ms']);
  });
});

describe('certificate failures', () => {
  const failure = (code: string, message = code) => Object.assign(new Error(message), { code });
  it.each([
    ['CERT_HAS_EXPIRED', /has expired/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /self-signed \(unknown CA\)/],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', /unknown CA/],
    ['SELF_SIGNED_CERT_IN_CHAIN', /unknown CA/],
  ])('%s: the reason and the three ways to trust a private CA', (code, reason) => {
    const problem = certificateProblem(failure(code), 'reg.lab:5000', '/etc/docker/certs.d');
    expect(problem?.message).toMatch(reason);
    expect(problem?.message).toContain('--ca-file FILE, a ca.crt in /etc/docker/certs.d/reg.lab:5000/, or NODE_EXTRA_CA_CERTS=FILE');
    expect(isCertificateFailure(problem)).toBe(true);
  });

  it('another host name: the names the certificate holds', () => {
    const error = failure('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: Host: a. is not in the cert's altnames: DNS:b");
    expect(certificateProblem(error, 'a:443', '/d')?.message).toContain('the certificate is for another host name (it names DNS:b)');
  });

  it('a client certificate wanted: where client.cert and client.key go', () => {
    const problem = certificateProblem(failure('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), 'reg.lab:5000', '/certs');
    expect(problem?.message).toMatch(/asks for a client certificate it trusts; put client\.cert and client\.key in \/certs\/reg\.lab:5000\//);
  });

  it('anything else is not a certificate failure', () => {
    expect(certificateProblem(failure('ECONNREFUSED'), 'x', '/d')).toBeUndefined();
    expect(isCertificateFailure(failure('ERR_SSL_WRONG_VERSION_NUMBER'))).toBe(false);
  });
});

describe('certs.d client certificates', () => {
  it('client.cert first, any NAME.cert with its NAME.key; a .cert without its key is skipped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retag-certs-'));
    await mkdir(join(dir, 'a:5000'));
    await writeFile(join(dir, 'a:5000', 'lonely.cert'), 'LONELY');
    await writeFile(join(dir, 'a:5000', 'z.cert'), 'Z-CERT');
    await writeFile(join(dir, 'a:5000', 'z.key'), 'Z-KEY');
    expect(clientCertificate(dir, 'a:5000')).toEqual({ cert: 'Z-CERT', key: 'Z-KEY', files: 'z.cert + z.key' });
    await writeFile(join(dir, 'a:5000', 'client.cert'), 'C-CERT');
    await writeFile(join(dir, 'a:5000', 'client.key'), 'C-KEY');
    expect(clientCertificate(dir, 'a:5000')).toMatchObject({ cert: 'C-CERT', key: 'C-KEY' });
    expect(clientCertificate(dir, 'b:5000')).toBeUndefined();
  });
});
