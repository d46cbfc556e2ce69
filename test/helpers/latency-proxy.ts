// A reverse proxy on loopback in front of a test registry: it adds a fixed delay to every request
// (a WAN round trip to Docker Hub, reproducibly) and records each request's method and path, so
// tests and the benchmark can count what a client really sent (manifest requests per image, pings).
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  path: string;
  status: number;
  /** how long the registry took, from forwarding to the end of its answer (the delay not included) */
  upstreamMs: number;
  /** performance.now() when the request reached the proxy, before the delay */
  receivedAt: number;
  /** performance.now() when the answer was sent back; 0 until then */
  answeredAt: number;
  /** the scheme of the Authorization header sent (`Basic`, `Bearer`), never its value */
  authScheme?: string;
}

export interface LatencyProxyOptions {
  /** `http://127.0.0.1:PORT` of the registry behind the proxy */
  target: string;
  /** added before each request is forwarded; mutable through the returned object */
  delayMs?: number;
}

export interface LatencyProxy {
  /** `127.0.0.1:PORT`, as an image reference names it */
  host: string;
  url: string;
  delayMs: number;
  /** every request answered so far, in arrival order */
  requests: ProxiedRequest[];
  /**
   * TCP connections that carried at least one HTTP request: keep-alive shows as few connections,
   * many requests. A connection that never spoke HTTP (retag's HTTPS attempt on a loopback
   * registry, tls-policy.ts: a TLS hello this plain proxy refuses) is not one.
   */
  connections: number;
  stop(): Promise<void>;
}

/** `/v2/NAME/manifests/REF` -> true: the requests Docker Hub's pull limit and this issue count. */
export function isManifestPath(path: string): boolean {
  return /^\/v2\/.+\/manifests\/[^/]+$/.test(path.split('?')[0] ?? '');
}

/** The most requests that were waiting for their answer at the same moment. */
export function maxOpenAtOnce(requests: readonly ProxiedRequest[]): number {
  const events = requests.flatMap((r) => [
    { at: r.receivedAt, change: 1 },
    { at: r.answeredAt === 0 ? Infinity : r.answeredAt, change: -1 },
  ]);
  // at equal times, close before open: touching intervals did not overlap
  events.sort((a, b) => a.at - b.at || a.change - b.change);
  let open = 0;
  let most = 0;
  for (const event of events) {
    open += event.change;
    most = Math.max(most, open);
  }
  return most;
}

export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const target = new URL(options.target);
  // Keep-alive to the registry so the proxy itself does not add connection set-up to the figures.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });

  const forward = (req: IncomingMessage, res: ServerResponse, receivedAt: number): void => {
    const record: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', status: 0, upstreamMs: 0, receivedAt, answeredAt: 0 };
    const scheme = req.headers.authorization?.split(' ')[0];
    if (scheme) record.authScheme = scheme;
    const forwarded = performance.now();
    res.once('finish', () => {
      record.answeredAt = performance.now();
      record.upstreamMs = record.answeredAt - forwarded;
    });
    state.requests.push(record);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        record.status = answer.statusCode ?? 0;
        // hop-by-hop headers are the proxy's own business, not the registry's
        const { connection: _connection, 'keep-alive': _keepAlive, ...headers } = answer.headers;
        res.writeHead(answer.statusCode ?? 502, headers);
        if (req.method === 'HEAD') {
          // no body: piping an empty one makes node close the client's connection after a HEAD
          answer.resume();
          res.end();
        } else {
          answer.pipe(res);
        }
      },
    );
    upstream.on('error', (error) => {
      record.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`latency proxy: ${error.message}`);
    });
    req.pipe(upstream);
  };

  const spoke = new WeakSet<object>();
  const server = createServer((req, res) => {
    if (!spoke.has(req.socket)) {
      spoke.add(req.socket);
      state.connections += 1;
    }
    req.pause(); // the body waits with the request
    const receivedAt = performance.now();
    if (state.delayMs > 0) setTimeout(() => forward(req, res, receivedAt), state.delayMs);
    else forward(req, res, receivedAt);
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const state: LatencyProxy = {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    delayMs: options.delayMs ?? 0,
    requests: [],
    connections: 0,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        agent.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return state;
}
