// The HTTP layer: one keep-alive undici Agent for the run, redirects followed by undici's own
// interceptor (which drops Authorization when the origin changes, whatwg/fetch#1544), bodies
// read with a size cap, and one debug line per request that never carries a header.

import { interceptors, type Dispatcher } from 'undici';
import { createDispatcher } from './dispatcher.js';
import { RegistryError, describeNetworkError, redactUrl } from './errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** a larger body is a BAD_RESPONSE, not a crash or an out-of-memory */
  maxBodyBytes?: number;
  /** which registry this is for, in error messages */
  registry: string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

/** What the transport tells the logger: method, redacted URL, status, milliseconds. */
export interface RequestLogger {
  debug(fields: Record<string, unknown>, message: string): void;
}

export interface TransportOptions {
  /** connections per origin: the run's concurrency, so no image waits for a socket */
  connections?: number;
  requestTimeoutMs?: number;
  maxRedirections?: number;
  logger?: RequestLogger;
  /** a dispatcher to use instead of the Agent built here (proxies, tests) */
  dispatcher?: Dispatcher;
}

export interface TransportStats {
  requests: number;
  byMethod: Record<string, number>;
}

export interface Transport {
  send(request: HttpRequest): Promise<HttpResponse>;
  readonly stats: TransportStats;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

async function readCapped(body: Dispatcher.ResponseData['body'], limit: number, request: HttpRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      throw new RegistryError(
        `${request.registry} sent more than ${limit} bytes for ${request.method} ${redactUrl(request.url)}; ` +
          'that is not a registry answer (a proxy or a misconfigured endpoint?)',
        { code: 'BAD_RESPONSE', status: 0, registry: request.registry, request: { method: request.method, url: redactUrl(request.url) } },
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function createTransport(options: TransportOptions = {}): Transport {
  const timeout = options.requestTimeoutMs ?? 30_000;
  const base = options.dispatcher ?? createDispatcher({ connections: options.connections, requestTimeoutMs: timeout });
  const dispatcher = base.compose(interceptors.redirect({ maxRedirections: options.maxRedirections ?? 3 }));
  const stats: TransportStats = { requests: 0, byMethod: {} };

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    const safeUrl = redactUrl(request.url);
    stats.requests += 1;
    stats.byMethod[request.method] = (stats.byMethod[request.method] ?? 0) + 1;
    let status = 0;
    try {
      const response = await dispatcher.request({
        origin: new URL(request.url).origin,
        path: new URL(request.url).pathname + new URL(request.url).search,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
        // undici closes the connection after every HEAD unless told not to (nodejs/undici#258,
        // for servers that send a body with HEAD); registries do not, and a HEAD is two of a new
        // tag's three requests, so without this every HEAD would pay a new TCP and TLS handshake.
        reset: false,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      status = response.statusCode;
      const body = await readCapped(response.body, request.maxBodyBytes ?? DEFAULT_MAX_BODY, request);
      return { status, headers: flattenHeaders(response.headers), body };
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      const { code, reason } = describeNetworkError(error);
      throw new RegistryError(`${request.method} ${safeUrl} failed: ${reason}`, {
        code,
        status: 0,
        registry: request.registry,
        request: { method: request.method, url: safeUrl },
        cause: error,
      });
    } finally {
      options.logger?.debug(
        { method: request.method, url: safeUrl, status, ms: Math.round(performance.now() - started) },
        'registry request',
      );
    }
  }

  return {
    send,
    stats,
    async close() {
      await base.close();
    },
  };
}
