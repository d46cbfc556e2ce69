// Network fixtures on loopback: a TLS front for the (plain HTTP) test registry, with a test CA
// made by the openssl command line, and an HTTP proxy that records what it was asked for.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCa {
  /** PEM of the CA that signed the server certificate */
  caPem: string;
  caFile: string;
  certPem: string;
  keyPem: string;
  /** the server certificate and key as files (for docker-registry's http.tls) */
  certFile: string;
  keyFile: string;
  /** where the CA's key lives, for client certificates (makeClientCert) */
  dir: string;
}

/** A CA and a server certificate for the given DNS names and IPs, by the openssl command line. */
export async function makeTestCa(dnsNames: string[], ips: string[]): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), 'retag-ca-'));
  const file = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', '/CN=retag test CA']);
  await run('openssl', ['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', `/CN=${dnsNames[0] ?? ips[0]}`]);
  const san = [...dnsNames.map((d) => `DNS:${d}`), ...ips.map((ip) => `IP:${ip}`)].join(',');
  await writeFile(file('ext.cnf'), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  await run('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.crt'), '-days', '2', '-extfile', file('ext.cnf')]);
  return {
    caPem: await readFile(file('ca.crt'), 'utf8'),
    caFile: file('ca.crt'),
    certPem: await readFile(file('server.crt'), 'utf8'),
    keyPem: await readFile(file('server.key'), 'utf8'),
    certFile: file('server.crt'),
    keyFile: file('server.key'),
    dir,
  };
}

/** A client certificate signed by the test CA (for mTLS), as PEM text. */
export async function makeClientCert(ca: TestCa, name: string): Promise<{ certPem: string; keyPem: string }> {
  const file = (suffix: string) => join(ca.dir, `${name}.${suffix}`);
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', file('key'), '-out', file('csr'), '-subj', `/CN=${name}`]);
  await writeFile(file('ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  await run('openssl', ['x509', '-req', '-in', file('csr'), '-CA', join(ca.dir, 'ca.crt'), '-CAkey', join(ca.dir, 'ca.key'), '-CAcreateserial', '-out', file('cert'), '-days', '2', '-extfile', file('ext')]);
  return { certPem: await readFile(file('cert'), 'utf8'), keyPem: await readFile(file('key'), 'utf8') };
}

export interface TlsFront {
  port: number;
  close(): Promise<void>;
}

/** TLS on a free loopback port (127.0.0.1 unless `listenHost`), each connection piped to the plain registry at `target`. */
export async function startTlsFront(ca: TestCa, target: { host: string; port: number }, listenHost = '127.0.0.1'): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const server = createTlsServer({ cert: ca.certPem, key: ca.keyPem }, (client) => {
    const upstream = netConnect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const done = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', done).on('close', done);
    upstream.on('error', done).on('close', done);
  });
  server.on('tlsClientError', () => undefined); // a client refusing our certificate is a test case
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface TestProxy {
  url: string;
  /** `CONNECT host:port` targets and absolute-form request URLs, in order */
  seen: string[];
  /** the Proxy-Authorization header of each CONNECT ('' when none), in order */
  authorizations: string[];
  close(): Promise<void>;
}

/**
 * How the proxy treats a CONNECT: `tunnel` (the default) connects and answers 200; `silent`
 * accepts it and never answers; `status` answers that status and closes; `blackhole` answers 200
 * and connects nothing (the tunnel's far side never speaks); `auth` answers 407 unless the
 * request carries Basic `user:password`.
 */
export type ProxyBehaviour =
  | { kind: 'tunnel' }
  | { kind: 'silent' }
  | { kind: 'blackhole' }
  | { kind: 'status'; status: number }
  | { kind: 'auth'; user: string; password: string };

/**
 * An HTTP proxy: CONNECT tunnels (how undici's ProxyAgent reaches both http and https origins)
 * and absolute-form requests. `routes` maps a requested `host:port` to where it really is, the
 * proxy's own DNS, so a test can name a host that does not resolve.
 */
export async function startProxy(
  routes: Record<string, { host: string; port: number }> = {},
  behaviour: ProxyBehaviour = { kind: 'tunnel' },
): Promise<TestProxy> {
  const seen: string[] = [];
  const authorizations: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    seen.push(req.url ?? '');
    const url = new URL(req.url ?? '');
    const upstream = netConnect(Number(url.port || 80), url.hostname, () => {
      upstream.write(`${req.method} ${url.pathname}${url.search} HTTP/1.1\r\n`);
      for (let i = 0; i < req.rawHeaders.length; i += 2) upstream.write(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`);
      upstream.write('connection: close\r\n\r\n');
      req.pipe(upstream);
      upstream.pipe(res.socket!);
    });
    upstream.on('error', () => res.destroy());
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    seen.push(`CONNECT ${target}`);
    const authorization = req.headers['proxy-authorization'] ?? '';
    authorizations.push(authorization);
    sockets.add(client);
    client.on('error', () => client.destroy());
    if (behaviour.kind === 'silent' || behaviour.kind === 'blackhole') {
      if (behaviour.kind === 'blackhole') client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      return; // the socket stays open, silent, until the test closes the proxy
    }
    const expected = behaviour.kind === 'auth' ? `Basic ${Buffer.from(`${behaviour.user}:${behaviour.password}`).toString('base64')}` : '';
    const refusal = behaviour.kind === 'status' ? behaviour.status : behaviour.kind === 'auth' && authorization !== expected ? 407 : 0;
    if (refusal !== 0) {
      const challenge = refusal === 407 ? 'Proxy-Authenticate: Basic realm="test proxy"\r\n' : '';
      client.end(`HTTP/1.1 ${refusal} Refused\r\n${challenge}Content-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    const colon = target.lastIndexOf(':');
    const where = routes[target] ?? { host: target.slice(0, colon), port: Number(target.slice(colon + 1)) };
    const upstream = netConnect(where.port, where.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(client).add(upstream);
    const done = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', done).on('close', done);
    client.on('error', done).on('close', done);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    authorizations,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
