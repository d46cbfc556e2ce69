// The connection layer under the transport: one keep-alive pool per origin, shared by every
// image of the run, with that origin's TLS settings. Retries and redirects are interceptors
// composed on top in transport.ts.
//
// What build engineers already set up, honoured as docker and curl do:
// - HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and the lowercase forms): undici's EnvHttpProxyAgent,
//   built only when a proxy variable is set, so a run without one keeps the plain Agent.
//   `user:password@` in the proxy URL is sent as Proxy-Authorization by undici's ProxyAgent.
// - NODE_EXTRA_CA_CERTS: Node adds it to its default trust store, which undici's TLS uses as long
//   as no `ca` is given; where retag gives a `ca` (below) it adds that file itself.
// - docker's certs.d folder (certs-d.ts): CAs and a client certificate for that host only, and
//   --ca-file, trusted for every registry; CAs on top of the default ones, never instead of them.
//
// Every phase of a connection is bounded by the request timeout (issue 11): TCP connect and TLS
// handshake (buildConnector's `timeout`), the proxy's answer to CONNECT (headersTimeout of the
// pool that speaks to the proxy), and the TLS handshake inside the tunnel (requestTls.timeout).
// undici's defaults there are 10 s and 300 s, whatever --request-timeout says.

import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates, type ConnectionOptions, type SecureContextOptions } from 'node:tls';
import type { Dispatcher, Pool, buildConnector } from 'undici';
import { clientCertificate, DEFAULT_CERTS_DIR, hostCas } from './certs-d.js';
import { certificateProblem, ConnectionProblem, duration, errorCode, isCertificateFailure, isTimeout, proxyRefusal } from './connection-problem.js';
import { isHttpUrl } from '../shared/http-url.js';
import { undici } from './undici-parts.js';

export { DEFAULT_CERTS_DIR, hostCas } from './certs-d.js';

type Connector = buildConnector.connector;

export interface ConnectionLogger {
  debug(fields: Record<string, unknown>, message: string): void;
}

export interface DispatcherOptions {
  /** connections per origin: the run's concurrency, so no image waits for a socket */
  connections?: number;
  requestTimeoutMs?: number;
  /** proxy variables and NODE_EXTRA_CA_CERTS are read from here (process.env by default) */
  env?: NodeJS.ProcessEnv;
  /** PEM text trusted for every registry (--ca-file), on top of the default CAs */
  extraCa?: string[];
  /** docker's per-registry certificate folder; DEFAULT_CERTS_DIR unless overridden (RETAG_CERTS_D in the CLI) */
  certsDir?: string;
  /** whether the certificate of a host[:port] is checked (tls-policy.ts); every one when not given */
  verifies?: (host: string) => boolean;
  /** one debug line per connection or tunnel opened: with the request lines, it shows reuse */
  logger?: ConnectionLogger;
}

/** Connections opened so far (direct TCP/TLS connections and tunnels through a proxy). */
export interface ConnectionStats {
  connections: number;
  tunnels: number;
}

const STATS = new WeakMap<Dispatcher, ConnectionStats>();
const EXPLAIN = new WeakMap<Dispatcher, (error: unknown, url: string) => unknown>();

/** The counts of a dispatcher made by createDispatcher (zeros for any other). */
export function connectionStats(dispatcher: Dispatcher): ConnectionStats {
  return { ...(STATS.get(dispatcher) ?? { connections: 0, tunnels: 0 }) };
}

/**
 * A request's failure with what its connections saw: a registry that closes every connection
 * right after the TLS handshake refused our client certificate (or its absence). TLS 1.3 says so
 * in an alert after the handshake, which undici may report as "other side closed".
 */
export function explainFailure(dispatcher: Dispatcher, error: unknown, url: string): unknown {
  return EXPLAIN.get(dispatcher)?.(error, url) ?? error;
}

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;

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
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (!isHttpUrl(value)) {
      return `${name} is set to something that is not a proxy URL; give http://host:port (or https://)`;
    }
  }
  return undefined;
}

/** The variable a proxy URL came from, for messages ("put the credentials in HTTPS_PROXY"). */
function proxyVariable(env: NodeJS.ProcessEnv, proxy: URL): string {
  const same = (value: string | undefined) => {
    try {
      return value !== undefined && value !== '' && new URL(value).href === proxy.href;
    } catch {
      return false;
    }
  };
  return PROXY_VARIABLES.find((name) => same(env[name])) ?? 'the proxy URL';
}

/** The origin's `host:port`, with the default port spelled out, as CONNECT and messages name it. */
function hostPort(origin: URL): string {
  return origin.port ? origin.host : `${origin.host}:${origin.protocol === 'https:' ? 443 : 80}`;
}

/**
 * CAs and a client certificate as one TLS context, made once for all of an origin's connections.
 * Given as `ca`/`cert`/`key`, they make Node build a new context for every connection (tls.connect
 * calls createSecureContext each time), parsing the ~140 bundled roots again with them: OpenSSL
 * holds about 1.3 MiB per context for the life of the connection, so 16 tunnels through a proxy
 * took 21 MiB of native memory (docs/performance.md). A context that cannot be built (a bad key)
 * is left to each connection, which fails with the usual explained error.
 */
function sharedContext(settings: SecureContextOptions): ConnectionOptions {
  if (Object.keys(settings).length === 0) return {};
  try {
    return { secureContext: createSecureContext(settings) };
  } catch {
    return settings;
  }
}

export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const timeout = options.requestTimeoutMs ?? 30_000;
  const env = options.env ?? process.env;
  const certsDir = options.certsDir ?? DEFAULT_CERTS_DIR;
  const extraCa = options.extraCa ?? [];
  const stats: ConnectionStats = { connections: 0, tunnels: 0 };
  /** per host[:port], the client-certificate alert a server sent after a TLS handshake */
  const refusedClientCert = new Map<string, ConnectionProblem>();
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
  /** The TLS settings for one host[:port]: its CAs, its client certificate, whether it is checked. */
  const tlsFor = (host: string): ConnectionOptions => {
    const cas = [...extraCa, ...hostCas(certsDir, host)];
    const client = clientCertificate(certsDir, host);
    const verify = options.verifies?.(host) ?? true;
    return {
      ...sharedContext({
        ...(cas.length > 0 ? { ca: withDefaults(cas) } : {}),
        ...(client ? { cert: client.cert, key: client.key } : {}),
      }),
      ...(verify ? {} : { rejectUnauthorized: false }),
    };
  };
  const explain = (error: Error, origin: URL, through: string): Error => {
    if (error instanceof ConnectionProblem) return error;
    const host = hostPort(origin);
    const problem = certificateProblem(error, host, certsDir, through);
    if (problem) return problem;
    if (isTimeout(error)) {
      const what = origin.protocol === 'https:' ? 'no TLS connection to' : 'no connection to';
      return new ConnectionProblem(`${what} ${host}${through} within ${duration(timeout)}`, { code: 'UND_ERR_CONNECT_TIMEOUT', timedOut: true, cause: error });
    }
    return error;
  };
  /** Counts and logs each connection made, and names the place and phase of each failure. */
  const watched = (connect: Connector, origin: URL, proxy: URL | undefined): Connector => {
    const through = proxy ? ` through the proxy ${proxy.host}` : '';
    return (params, callback) => {
      connect(params, (...args) => {
        const [error, socket] = args;
        if (error) return callback(explain(error, origin, through), null);
        if (origin.protocol === 'https:') {
          socket.prependOnceListener('error', (alert: Error) => {
            const problem = isCertificateFailure(alert) ? certificateProblem(alert, hostPort(origin), certsDir, through) : undefined;
            if (problem) refusedClientCert.set(origin.host, problem);
          });
        }
        if (proxy) stats.tunnels += 1;
        else stats.connections += 1;
        options.logger?.debug(
          { origin: origin.origin, ...(proxy ? { proxy: proxy.host, tunnels: stats.tunnels } : { connections: stats.connections }) },
          proxy ? 'tunnel opened' : 'connection opened',
        );
        return callback(null, socket);
      });
    };
  };
  const direct = (origin: URL): Connector =>
    watched(undici.buildConnector({ timeout, ...(origin.protocol === 'https:' ? tlsFor(origin.host) : {}) }), origin, undefined);

  const poolOptions = {
    connections: options.connections ?? 8,
    keepAliveTimeout: 30_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
  };
  // One pool per origin. A `connect` that is already a function comes from undici's ProxyAgent
  // (the tunnel through the proxy, with the TLS of `requestTls` below).
  const factory = (origin: string | URL, opts: object, proxy?: URL): Dispatcher => {
    const url = new URL(String(origin));
    const given = (opts as { connect?: unknown }).connect;
    const connect = typeof given === 'function' && proxy ? watched(given as Connector, url, proxy) : direct(url);
    return new undici.Pool(url, { ...(opts as Pool.Options), connect });
  };

  const proxy = proxyFromEnv(env);
  let dispatcher: Dispatcher;
  if (!proxy) {
    dispatcher = new undici.Agent({ ...poolOptions, factory: (origin, opts) => factory(origin, opts) });
  } else {
    // A proxy agent per origin, so each registry's tunnel gets its own TLS settings (CA, client
    // certificate, checks) as `requestTls`, which undici's ProxyAgent takes once for all origins.
    dispatcher = new undici.Agent({ factory: (origin) => proxyAgentFor(new URL(String(origin))) });
  }
  STATS.set(dispatcher, stats);
  EXPLAIN.set(dispatcher, (error, url) => {
    if (error instanceof ConnectionProblem) return error;
    const host = new URL(url).host;
    const refusal = refusedClientCert.get(host);
    const code = errorCode(error);
    return refusal && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || isCertificateFailure(error)) ? refusal : error;
  });
  return dispatcher;

  function proxyAgentFor(origin: URL): Dispatcher {
    const settings = proxy!;
    const proxyUrl = new URL(origin.protocol === 'https:' ? settings.httpsProxy || settings.httpProxy : settings.httpProxy || settings.httpsProxy);
    const agent = new undici.EnvHttpProxyAgent({
      ...poolOptions,
      ...settings,
      factory: (o: string | URL, opts: object) => factory(o, opts, proxyUrl),
      // TCP (and TLS to an https:// proxy) to the proxy itself
      proxyTls: { timeout, ...(extraCa.length > 0 ? sharedContext({ ca: withDefaults(extraCa) }) : {}) },
      // TLS to the registry inside the tunnel
      requestTls: { timeout, ...(origin.protocol === 'https:' ? tlsFor(origin.host) : {}) },
      clientFactory: (url: URL, opts: object) => proxyClient(url, opts),
    });
    // undici's ProxyAgent adds a Host header (and with it the TLS servername) only to requests
    // that have headers; a pool that sees both kinds closes its connection each time the
    // servername "changes", and undici's Agent then drops the pool with every tunnel in it
    // (undici 7.30, client.js _resume and agent.js). Giving every request headers keeps one
    // servername per origin, and the tunnels alive.
    return agent.compose((dispatch) => (opts, handler) => dispatch({ ...opts, headers: opts.headers ?? {} }, handler));
  }

  /** The pool that speaks to the proxy: CONNECT answers bounded by the timeout, refusals explained. */
  function proxyClient(url: URL, opts: object): Dispatcher {
    const pool = new undici.Pool(url, { ...(opts as Pool.Options), headersTimeout: timeout, bodyTimeout: timeout });
    const connect = pool.connect.bind(pool) as (params: Dispatcher.ConnectOptions) => Promise<Dispatcher.ConnectData>;
    const variable = proxyVariable(env, url);
    const tunnel = async (params: Dispatcher.ConnectOptions): Promise<Dispatcher.ConnectData> => {
      const target = params.path ?? '';
      let answer: Dispatcher.ConnectData;
      try {
        answer = await connect(params);
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        if (code === 'UND_ERR_HEADERS_TIMEOUT') {
          throw new ConnectionProblem(`the proxy ${url.host} did not answer CONNECT to ${target} within ${duration(timeout)}`, {
            code: 'UND_ERR_CONNECT_TIMEOUT',
            timedOut: true,
            cause: error,
          });
        }
        const reason = isTimeout(error) ? `no connection within ${duration(timeout)}` : (code || (error as Error).message);
        throw new ConnectionProblem(`could not reach the proxy ${url.host} (${reason}) for CONNECT to ${target}`, {
          code: isTimeout(error) ? 'UND_ERR_CONNECT_TIMEOUT' : code,
          timedOut: isTimeout(error),
          cause: error,
        });
      }
      if (answer.statusCode !== 200) {
        answer.socket.on('error', () => undefined).destroy();
        throw proxyRefusal(url.host, target, answer.statusCode, variable, url.username !== '');
      }
      return answer;
    };
    Object.defineProperty(pool, 'connect', { value: tunnel });
    return pool;
  }
}
