// The connection layer under the transport: one keep-alive pool per origin, shared by every
// image of the run. Proxies and per-registry CAs plug in here; retries and redirects are
// interceptors composed on top in transport.ts.
//
// What build engineers already set up, honoured as docker and curl do:
// - HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and the lowercase forms): undici's EnvHttpProxyAgent,
//   built only when a proxy variable is set, so a run without one keeps the plain Agent.
// - NODE_EXTRA_CA_CERTS: Node adds it to its default trust store, which undici's TLS uses as long
//   as no `ca` is given; where retag gives a `ca` (below) it adds that file itself.
// - docker's per-registry CA folder, /etc/docker/certs.d/<host[:port]>/*.crt
//   (https://docs.docker.com/engine/security/certificates/), trusted for that host only, and
//   --ca-file, trusted for every registry; both on top of the default CAs, never instead of them.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import type { Dispatcher, Pool } from 'undici';
import { isHttpUrl } from '../shared/http-url.js';
import { undici } from './undici-parts.js';

export const DEFAULT_CERTS_DIR = '/etc/docker/certs.d';

export interface DispatcherOptions {
  /** connections per origin: the run's concurrency, so no image waits for a socket */
  connections?: number;
  requestTimeoutMs?: number;
  /** proxy variables and NODE_EXTRA_CA_CERTS are read from here (process.env by default) */
  env?: NodeJS.ProcessEnv;
  /** PEM text trusted for every registry (--ca-file), on top of the default CAs */
  extraCa?: string[];
  /** docker's per-registry CA folder; DEFAULT_CERTS_DIR unless overridden (RETAG_CERTS_D in the CLI) */
  certsDir?: string;
}

/** The proxy settings in an environment, lowercase first as curl reads them; undefined when none is set. */
export function proxyFromEnv(env: NodeJS.ProcessEnv): { httpProxy: string; httpsProxy: string; noProxy: string } | undefined {
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY ?? '';
  const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY ?? '';
  if (httpProxy === '' && httpsProxy === '') return undefined;
  return { httpProxy, httpsProxy, noProxy: env.no_proxy ?? env.NO_PROXY ?? '' };
}

/**
 * A proxy variable that undici could not use, as a message naming it; undefined when all are fine.
 * Checked before the run so a typo in the job's environment is a usage error, not every image failing.
 */
export function proxyProblem(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (!isHttpUrl(value)) {
      return `${name} is set to something that is not a proxy URL; give http://host:port (or https://)`;
    }
  }
  return undefined;
}

function readPems(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no folder for this host: nothing extra
  }
  // docker reads every *.crt as a CA (client.cert/client.key are client certificates, not CAs).
  // An entry that cannot be read as a file (a folder named x.crt, no read permission, a dangling
  // link) is skipped: it trusts nothing, and must not crash the run or fail every request.
  return names
    .filter((name) => name.endsWith('.crt'))
    .sort()
    .flatMap((name) => readPem(join(dir, name)));
}

function readPem(file: string): string[] {
  try {
    return [readFileSync(file, 'utf8')];
  } catch {
    return [];
  }
}

/** CAs for one host from a certs.d folder: `<dir>/<host[:port]>/*.crt`. */
export function hostCas(certsDir: string, host: string): string[] {
  return readPems(join(certsDir, host));
}

function allHostCas(certsDir: string): string[] {
  let hosts: string[];
  try {
    hosts = readdirSync(certsDir);
  } catch {
    return [];
  }
  return hosts.flatMap((host) => readPems(join(certsDir, host)));
}

export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const timeout = options.requestTimeoutMs ?? 30_000;
  const env = options.env ?? process.env;
  const certsDir = options.certsDir ?? DEFAULT_CERTS_DIR;
  const extraCa = options.extraCa ?? [];
  let nodeExtra: string[] | undefined;
  // Giving `ca` replaces Node's default trust store, so it is rebuilt: the bundled roots, the
  // NODE_EXTRA_CA_CERTS file Node would have added, then ours.
  const withDefaults = (cas: string[]): string[] => {
    if (nodeExtra === undefined) {
      nodeExtra = [];
      const file = env.NODE_EXTRA_CA_CERTS;
      if (file) {
        try {
          nodeExtra = [readFileSync(file, 'utf8')];
        } catch {
          // Node warns about an unreadable NODE_EXTRA_CA_CERTS itself at startup
        }
      }
    }
    return [...rootCertificates, ...nodeExtra, ...cas];
  };
  const caFor = (origin: string): string[] | undefined => {
    const url = new URL(origin);
    if (url.protocol !== 'https:') return undefined;
    const cas = [...extraCa, ...hostCas(certsDir, url.host)];
    return cas.length > 0 ? withDefaults(cas) : undefined;
  };
  // One pool per origin, with that registry's CAs. A `connect` that is already a function comes
  // from the ProxyAgent (a tunnel through the proxy): left alone, its TLS is `requestTls` below.
  const factory = (origin: string | URL, opts: object): Dispatcher => {
    const connect = (opts as { connect?: unknown }).connect;
    const ca = typeof connect === 'function' ? undefined : caFor(String(origin));
    const poolOptions = ca ? { ...opts, connect: { ...(connect as object | undefined), ca } } : opts;
    return new undici.Pool(origin, poolOptions as Pool.Options);
  };
  const agentOptions = {
    connections: options.connections ?? 8,
    keepAliveTimeout: 30_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    connect: { timeout },
    factory,
  };
  const proxy = proxyFromEnv(env);
  if (!proxy) return new undici.Agent(agentOptions);
  // Through a proxy the tunnel's TLS options are one set for every origin, so every certs.d CA
  // is trusted there (for any host); without a proxy each stays with its own host.
  const tunnelCas = [...extraCa, ...allHostCas(certsDir)];
  return new undici.EnvHttpProxyAgent({
    ...agentOptions,
    ...proxy,
    ...(tunnelCas.length > 0 ? { requestTls: { ca: withDefaults(tunnelCas) } } : {}),
  });
}
