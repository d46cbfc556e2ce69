// The HTTP layer: one keep-alive undici Agent for the run, undici's retry interceptor driven by
// RETRY_POLICY (retry.ts), redirects followed by undici's own interceptor (which drops
// Authorization when the origin changes, whatwg/fetch#1544), bodies read with a size cap, and
// one debug line per request that never carries a header.

import type { Dispatcher } from 'undici';
import { undici } from './undici-parts.js';
import { createDispatcher } from './dispatcher.js';
import { RegistryError, describeNetworkError, redactUrl } from './errors.js';
import type { HttpRequest, HttpResponse, RequestLogger, Transport, TransportStats } from './http-types.js';
import { RETRY_POLICY, resendAfresh, retryDecider, type RetryPolicy, type RetryTrace } from './retry.js';

export type { HttpMethod, HttpRequest, HttpResponse, RequestLogger, Transport, TransportStats } from './http-types.js';

export interface TransportOptions {
  /** connections per origin: the run's concurrency, so no image waits for a socket */
  connections?: number;
  requestTimeoutMs?: number;
  maxRedirections?: number;
  logger?: RequestLogger;
  /** a dispatcher to use instead of the Agent built here (proxies, tests) */
  dispatcher?: Dispatcher;
  /** overrides of RETRY_POLICY (tests use millisecond delays) */
  retry?: Partial<RetryPolicy>;
  /** a failure with what the connection layer knows of it (dispatcher.ts explainFailure) */
  explainError?: (error: unknown, url: string) => unknown;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/** " after 4 attempts" and why retrying stopped early, for messages about a failed answer. */
export function retrySuffix(response: Pick<HttpResponse, 'attempts' | 'retryNote'>): string {
  const after = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
  return `${after}${response.retryNote ? ` (${response.retryNote})` : ''}`;
}

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

/**
 * The network code of a broken body, for the retry policy; undefined for any other failure.
 * undici's refusal to resume one (UND_ERR_REQ_RETRY) is a broken connection as far as retag goes.
 */
function brokenBodyCode(error: unknown): string | undefined {
  if (!(error instanceof BrokenBody)) return undefined;
  const cause = error.cause as { code?: string; cause?: { code?: string } };
  const code = cause.code ?? cause.cause?.code ?? '';
  return code === 'UND_ERR_REQ_RETRY' ? 'ECONNRESET' : code;
}

/** A failure while reading an answer's body (after its status and headers came). */
class BrokenBody extends Error {
  override readonly cause: unknown;
  constructor(cause: unknown) {
    super('the answer broke off');
    this.cause = cause;
  }
}

/** The last answer of a request whose retries ran out on a status (see createTransport). */
function asExhaustedAnswer(error: unknown, policy: RetryPolicy): Pick<HttpResponse, 'status' | 'headers' | 'body'> | undefined {
  const err = error as { code?: string; statusCode?: number; headers?: Record<string, string | string[] | undefined> };
  if (err.code !== 'UND_ERR_REQ_RETRY' || err.statusCode === undefined || !policy.statusCodes.includes(err.statusCode)) return undefined;
  return { status: err.statusCode, headers: flattenHeaders(err.headers ?? {}), body: Buffer.alloc(0) };
}

export function createTransport(options: TransportOptions = {}): Transport {
  const timeout = options.requestTimeoutMs ?? 30_000;
  const base = options.dispatcher ?? createDispatcher({ connections: options.connections, requestTimeoutMs: timeout });
  const policy: RetryPolicy = { ...RETRY_POLICY, ...options.retry };
  // compose() wraps in order, so the last interceptor is the outermost: redirects are followed
  // outside, and each hop is retried on its own. The retry decision comes per request
  // (retryOptions.retry below), so every request keeps its own attempt count and total wait.
  //
  // undici 7.30 behaviour, checked in lib/handler/retry-handler.js and by test/unit/registry/retry.test.ts:
  // - throwOnError stays true (the default). With false, the decision callback runs while the
  //   failed response is still arriving; a body-less answer (any HEAD, a 429 without body) ends
  //   before an asynchronous backoff calls back, and undici's request handler then crashes
  //   ("Cannot read properties of null (reading 'push')"). With true, the status becomes an
  //   error first and the callback runs after the response is done.
  // - When retries run out on a status, the request rejects with RequestRetryError
  //   (code UND_ERR_REQ_RETRY, statusCode, headers; the body is dropped). send() turns that
  //   back into the answer it was, so the client's usual error mapping applies ("answered 503
  //   after 4 attempts"). Statuses not in statusCodes are never errors: they come back as is.
  const dispatcher = base.compose(
    undici.interceptors.retry({ statusCodes: [...policy.statusCodes], methods: [...policy.methods] }),
    undici.interceptors.redirect({ maxRedirections: options.maxRedirections ?? 3 }),
  );
  const stats: TransportStats = { requests: 0, byMethod: {} };

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    const safeUrl = redactUrl(request.url);
    stats.requests += 1;
    stats.byMethod[request.method] = (stats.byMethod[request.method] ?? 0) + 1;
    let status = 0;
    const trace: RetryTrace = { attempts: 1, waitedMs: 0 };
    const onRetry = (wait: { attempt: number; waitMs: number; reason: string }) =>
      options.logger?.warn({ method: request.method, url: safeUrl, ...wait }, 'registry request retried');
    const url = new URL(request.url);

    const attempt = async (): Promise<HttpResponse> => {
      const requestOptions: Dispatcher.RequestOptions & {
        retryOptions: { retry: ReturnType<typeof retryDecider> };
        maxRedirections?: number;
      } = {
        origin: url.origin,
        path: url.pathname + url.search,
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
        retryOptions: { retry: retryDecider(policy, trace, request.signal, onRetry) },
        // undici's redirect interceptor takes maxRedirections from each request's options before
        // its own default, and 0 skips it entirely: the 3xx comes back as is (undici 7.30,
        // lib/interceptor/redirect.js; core/request.js accepts 0 and refuses any other value).
        ...(request.followRedirects === false ? { maxRedirections: 0 } : {}),
      };
      const response = await dispatcher.request(requestOptions);
      status = response.statusCode;
      let body: Buffer;
      try {
        body = await readCapped(response.body, request.maxBodyBytes ?? DEFAULT_MAX_BODY, request);
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        throw new BrokenBody(error);
      }
      return { status, headers: flattenHeaders(response.headers), body, attempts: trace.attempts, ...(trace.note ? { retryNote: trace.note } : {}) };
    };

    try {
      // An answer that broke off mid-body: undici's retry handler resumes it with a Range request,
      // which registries answer with the whole manifest again (200, not 206); undici then refuses
      // to splice (UND_ERR_REQ_RETRY). The one retry undici cannot do is done by retry.ts: the
      // request sent afresh, within the same policy and attempt count.
      return await resendAfresh(policy, trace, request.method, request.signal, attempt, brokenBodyCode, onRetry);
    } catch (thrown) {
      const error = thrown instanceof BrokenBody ? thrown.cause : thrown;
      if (error instanceof RegistryError) throw error;
      const exhausted = asExhaustedAnswer(error, policy);
      if (exhausted) {
        status = exhausted.status;
        return { ...exhausted, attempts: trace.attempts, ...(trace.note ? { retryNote: trace.note } : {}) };
      }
      const { code, reason } = describeNetworkError(options.explainError?.(error, request.url) ?? error);
      const after = trace.attempts > 1 ? ` after ${trace.attempts} attempts` : '';
      throw new RegistryError(`${request.method} ${safeUrl} failed: ${reason}${after}`, {
        code,
        status: 0,
        registry: request.registry,
        request: { method: request.method, url: safeUrl },
        cause: error,
      });
    } finally {
      options.logger?.debug(
        { method: request.method, url: safeUrl, status, ms: Math.round(performance.now() - started), ...(trace.attempts > 1 ? { attempts: trace.attempts } : {}) },
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
