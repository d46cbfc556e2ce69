// When and how long retag retries a request, declared as data (the plugin-retry shape), and the
// decision function handed to undici's retry interceptor (`interceptors.retry`, undici 7).
//
// Why a decision function of our own rather than the interceptor's built-in one: undici's default
// (RetryHandler[kRetryHandlerDefaultRetry]) has no jitter, no bound on the total wait, keeps no
// per-request record of attempts for the error message, and cannot be woken by an AbortSignal
// while it sleeps. The interceptor's `retry` option is the documented hook for exactly this, so
// the interceptor still does the re-dispatch, the body replay and the response plumbing.
// One case the interceptor cannot retry: an answer that breaks off mid-body (undici resumes with
// Range, registries answer 200 with the whole manifest, undici refuses to splice). resendAfresh()
// below sends such a request again, under this same policy and attempt count: one engine.
// See node_modules/undici/lib/handler/retry-handler.js and undici's docs/api/RetryHandler.md.

import type { HttpMethod } from './http-types.js';

export interface RetryPolicy {
  /** sends in all, the first included */
  maxAttempts: number;
  /** methods retried at all; the token POST is idempotent, a PUT only under the `write*` rules */
  methods: readonly HttpMethod[];
  /** answers worth another try; 400/401/403/404 and every other status are never retried */
  statusCodes: readonly number[];
  /** network failures worth another try (node and undici error codes) */
  errorCodes: readonly string[];
  /**
   * Methods that write (a manifest PUT). A second PUT onto a tag another writer created in between
   * would overwrite it, so a write is retried here only when it certainly did not reach the
   * registry (`writeErrorCodes`) or the registry said it did not process it (`writeStatusCodes`).
   * Any other failure of a write has an unknown outcome: the plan reads the tag back first
   * (src/retag/plan.ts) and only then may send it again, through writeResendDelay() below.
   */
  writeMethods: readonly HttpMethod[];
  writeStatusCodes: readonly number[];
  writeErrorCodes: readonly string[];
  /** the first backoff; each next one is `factor` times longer, then jittered */
  baseDelayMs: number;
  factor: number;
  /** the longest single wait, Retry-After included: a server asking for longer is not retried */
  maxDelayMs: number;
  /** the most one request waits between its attempts in all */
  maxTotalDelayMs: number;
}

/**
 * Not a network code: the tag was read back after a write whose outcome was unknown and does not
 * hold it, so the write did not land and may be sent again (src/retag/retag-image.ts).
 */
export const WRITE_NOT_LANDED = 'RETAG_WRITE_NOT_LANDED';

export const RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze<RetryPolicy>({
  maxAttempts: 4,
  methods: ['GET', 'HEAD', 'PUT', 'POST'],
  statusCodes: [408, 429, 500, 502, 503, 504],
  errorCodes: [
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'ENETDOWN',
    'ENETUNREACH',
    'EHOSTDOWN',
    'EHOSTUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'RETAG_PROXY_UNAVAILABLE', // a proxy's 5xx to CONNECT (connection-problem.ts); a 403/407 is not retried
    // not UND_ERR_BODY_TIMEOUT: a body that stalls half-way would be resumed with a Range
    // request, which registries do not promise to honour for manifests
  ],
  writeMethods: ['PUT'],
  // 429: the registry (or its rate limiter in front) turned the request away unprocessed.
  // Not 503, although RFC 9110 says "unable to handle": Envoy (Istio, Contour, many ingresses)
  // answers 503 "upstream connect error or disconnect/reset before headers" when the registry
  // dropped the connection after receiving the PUT, perhaps after storing it; and not 500, 502,
  // 504 or 408, which a gateway sends for a request the registry may have carried out.
  writeStatusCodes: [429],
  // Failures while the connection was being made: the request was never sent. Not ECONNRESET,
  // EPIPE, UND_ERR_SOCKET, ETIMEDOUT or a headers timeout: they can hit after the PUT was sent.
  writeErrorCodes: [
    'ECONNREFUSED',
    'UND_ERR_CONNECT_TIMEOUT', // TCP connect, TLS handshake or proxy CONNECT (dispatcher.ts)
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'ENETDOWN',
    'EHOSTDOWN',
    'RETAG_PROXY_UNAVAILABLE',
    WRITE_NOT_LANDED,
  ],
  baseDelayMs: 500,
  factor: 2,
  maxDelayMs: 30_000,
  maxTotalDelayMs: 60_000,
});

/** What happened to one request's retries, for its error message and the debug log. */
export interface RetryTrace {
  attempts: number;
  waitedMs: number;
  /** set when retries stopped early, e.g. a Retry-After longer than maxDelayMs */
  note?: string;
}

interface RetryableError {
  code?: string;
  statusCode?: number;
  headers?: Record<string, string | string[] | undefined>;
  cause?: { code?: string };
}

/** Retry-After in milliseconds from now: delta-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The jittered exponential backoff before attempt `attempt + 1` ("equal jitter": half fixed, half random). */
export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** Whether to try again and after how long; undefined means stop (the failure stands). */
export function nextDelay(
  policy: RetryPolicy,
  trace: RetryTrace,
  failure: { method: string; status?: number; code?: string; retryAfter?: string | string[] },
  random = Math.random,
): number | undefined {
  const method = failure.method as HttpMethod;
  if (!policy.methods.includes(method)) return undefined;
  const write = policy.writeMethods.includes(method);
  if (failure.status !== undefined) {
    if (!(write ? policy.writeStatusCodes : policy.statusCodes).includes(failure.status)) return undefined;
  } else if (!failure.code || !(write ? policy.writeErrorCodes : policy.errorCodes).includes(failure.code)) {
    return undefined;
  }
  if (trace.attempts >= policy.maxAttempts) return undefined;
  const asked = parseRetryAfter(failure.retryAfter);
  if (asked !== undefined && asked > policy.maxDelayMs) {
    trace.note = `the registry asked to retry after ${Math.ceil(asked / 1000)} s, longer than retag waits (${Math.ceil(policy.maxDelayMs / 1000)} s)`;
    return undefined;
  }
  const wait = asked ?? backoffMs(policy, trace.attempts, random);
  if (trace.waitedMs + wait > policy.maxTotalDelayMs) {
    trace.note = `retag stopped retrying after waiting ${Math.round(trace.waitedMs / 1000)} s in all`;
    return undefined;
  }
  return wait;
}

/**
 * What a failed write's failure says about whether it reached the registry:
 * - `unsent`: certainly not (a connect-phase failure); the interceptor already retried it.
 * - `unknown`: it may have landed (the connection broke after sending, no answer in time, a 5xx
 *   or 408 a gateway may send for a request the registry carried out): read the tag back first.
 * - `answered`: the registry answered and decided (a 4xx, a 429 to the last attempt): it stands.
 */
export function writeFailureOutcome(policy: RetryPolicy, failure: { status: number; code?: string }): 'unsent' | 'unknown' | 'answered' {
  if (failure.status !== 0) return failure.status === 408 || failure.status >= 500 ? 'unknown' : 'answered';
  return failure.code !== undefined && policy.writeErrorCodes.includes(failure.code) ? 'unsent' : 'unknown';
}

/**
 * After a write whose outcome is unknown, before its tag is read back: waits the policy's next
 * delay and says whether the write may be sent again should the read show it did not land; false
 * once the policy's attempts or total wait are spent (then nothing is waited). Counted in `trace`
 * as the interceptor counts its retries, so a write goes out at most `maxAttempts` times in all.
 */
export async function waitToResendWrite(policy: RetryPolicy, trace: RetryTrace, method: HttpMethod, signal: AbortSignal | undefined): Promise<boolean> {
  const wait = signal?.aborted ? undefined : nextDelay(policy, trace, { method, code: WRITE_NOT_LANDED });
  if (wait === undefined) return false;
  await sleep(wait, signal);
  if (signal?.aborted) return false;
  trace.attempts += 1;
  trace.waitedMs += wait;
  return true;
}

type Callback = (error?: Error | null) => void;
type RetryContext = { opts: { method?: string } };

/**
 * The `retry` callback for undici's retry interceptor, bound to one request: counts its attempts
 * in `trace`, sleeps the policy's delay, and stops sleeping (and retrying) when `signal` aborts.
 */
export function retryDecider(
  policy: RetryPolicy,
  trace: RetryTrace,
  signal: AbortSignal | undefined,
  onRetry?: (info: { attempt: number; waitMs: number; reason: string }) => void,
): (error: Error, context: RetryContext, callback: Callback) => void {
  return (error, context, callback) => {
    const err = error as RetryableError;
    // RequestRetryError (code UND_ERR_REQ_RETRY) carries an HTTP answer; anything else is a network failure.
    const status = err.code === 'UND_ERR_REQ_RETRY' ? err.statusCode : undefined;
    const code = status === undefined ? (err.code ?? err.cause?.code) : undefined;
    const wait = signal?.aborted
      ? undefined
      : nextDelay(policy, trace, { method: context.opts.method ?? '', status, code, retryAfter: err.headers?.['retry-after'] });
    if (wait === undefined) {
      callback(error);
      return;
    }
    onRetry?.({ attempt: trace.attempts + 1, waitMs: wait, reason: status !== undefined ? `status ${status}` : (code ?? 'error') });
    const onAbort = () => {
      clearTimeout(timer);
      callback(error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      trace.attempts += 1;
      trace.waitedMs += wait;
      callback(null);
    }, wait);
    signal?.addEventListener('abort', onAbort, { once: true });
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `attempt` and, when it fails in a way `codeOf` names (a network code; undefined: not for
 * this loop), runs it again after the policy's delay, counting in the same `trace` as undici's
 * interceptor does; the last failure is thrown as it was.
 */
export async function resendAfresh<T>(
  policy: RetryPolicy,
  trace: RetryTrace,
  method: HttpMethod,
  signal: AbortSignal | undefined,
  attempt: () => Promise<T>,
  codeOf: (error: unknown) => string | undefined,
  onRetry?: (info: { attempt: number; waitMs: number; reason: string }) => void,
): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const code = codeOf(error);
      const wait = code === undefined || signal?.aborted ? undefined : nextDelay(policy, trace, { method, code });
      if (wait === undefined) throw error;
      onRetry?.({ attempt: trace.attempts + 1, waitMs: wait, reason: 'answer broke off' });
      await sleep(wait, signal);
      if (signal?.aborted) throw error;
      trace.attempts += 1;
      trace.waitedMs += wait;
    }
  }
}
