// The decision function undici's retry interceptor calls (retryDecider), and the edges of the
// policy that mutation testing (docs/mutation-testing.md) found untested: exact bounds, Retry-After
// forms, what is reported to onRetry, and an abort after a retry has already gone ahead.

import { describe, expect, it } from 'vitest';
import { RETRY_POLICY, nextDelay, parseRetryAfter, retryDecider, type RetryPolicy, type RetryTrace } from '../../../src/registry/retry.js';

const FAST: RetryPolicy = { ...RETRY_POLICY, baseDelayMs: 2, maxDelayMs: 4 };

/** Calls the decider once; resolves with what it passed to the callback (null: retry). */
function decide(
  error: object,
  options: { method?: string; trace?: RetryTrace; signal?: AbortSignal; onRetry?: (info: { attempt: number; waitMs: number; reason: string }) => void } = {},
): Promise<Error | null | undefined> {
  const trace = options.trace ?? { attempts: 1, waitedMs: 0 };
  const decider = retryDecider(FAST, trace, options.signal, options.onRetry);
  return new Promise((resolve) => decider(error as Error, { opts: { method: options.method ?? 'GET' } }, (result) => resolve(result)));
}

const httpAnswer = (statusCode: number) => Object.assign(new Error('retry'), { code: 'UND_ERR_REQ_RETRY', statusCode, headers: {} });

describe('parseRetryAfter: forms', () => {
  it.each([
    [' 3 ', 3000],
    [['5', '9'], 5000],
    ['', undefined],
    ['12abc', undefined],
    ['abc12', undefined],
  ] as const)('%j -> %s', (value, ms) => {
    expect(parseRetryAfter(value as string | string[], Date.parse('2026-01-01T00:00:00Z'))).toBe(ms);
  });
});

describe('nextDelay: exact bounds', () => {
  it('a Retry-After of exactly maxDelayMs is waited for', () => {
    expect(nextDelay(RETRY_POLICY, { attempts: 1, waitedMs: 0 }, { method: 'GET', status: 429, retryAfter: String(RETRY_POLICY.maxDelayMs / 1000) })).toBe(RETRY_POLICY.maxDelayMs);
  });

  it('a wait that reaches maxTotalDelayMs exactly is still taken; one past it is not, and the note says how long was waited', () => {
    const exact: RetryTrace = { attempts: 2, waitedMs: RETRY_POLICY.maxTotalDelayMs - 7000 };
    expect(nextDelay(RETRY_POLICY, exact, { method: 'GET', status: 503, retryAfter: '7' })).toBe(7000);
    const over: RetryTrace = { attempts: 2, waitedMs: RETRY_POLICY.maxTotalDelayMs - 6000 };
    expect(nextDelay(RETRY_POLICY, over, { method: 'GET', status: 503, retryAfter: '7' })).toBeUndefined();
    expect(over.note).toBe('retag stopped retrying after waiting 54 s in all');
  });
});

describe('retryDecider', () => {
  it('an HTTP answer worth retrying: retried after the wait, counted in the trace, reported as its status', async () => {
    const trace: RetryTrace = { attempts: 1, waitedMs: 0 };
    const reports: { attempt: number; waitMs: number; reason: string }[] = [];
    expect(await decide(httpAnswer(503), { trace, onRetry: (info) => reports.push(info) })).toBeNull();
    expect(reports).toEqual([{ attempt: 2, waitMs: expect.any(Number) as unknown, reason: 'status 503' }]);
    expect(trace).toEqual({ attempts: 2, waitedMs: reports[0]!.waitMs });
    expect(reports[0]!.waitMs).toBeGreaterThan(0);
  });

  it('a network failure is reported by its code, also when undici puts the code on the cause', async () => {
    const reasons: string[] = [];
    expect(await decide(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), { onRetry: (info) => reasons.push(info.reason) })).toBeNull();
    expect(await decide(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }), { onRetry: (info) => reasons.push(info.reason) })).toBeNull();
    expect(reasons).toEqual(['ECONNRESET', 'ECONNREFUSED']);
  });

  it('without onRetry it still retries', async () => {
    expect(await decide(httpAnswer(502))).toBeNull();
  });

  it('only an HTTP answer (UND_ERR_REQ_RETRY) is judged by its status; a network error is judged by its code', async () => {
    // a status on a network error is not an answer from the server
    expect(await decide(Object.assign(new Error('reset'), { code: 'ECONNRESET', statusCode: 404 }))).toBeNull();
  });

  it('an error with no code and no cause stands (not retried)', async () => {
    const error = new Error('odd');
    expect(await decide(error)).toBe(error);
  });

  it('a 404 stands; a method outside the policy stands', async () => {
    const notFound = httpAnswer(404);
    expect(await decide(notFound)).toBe(notFound);
    const unknownMethod = httpAnswer(503);
    expect(await decide(unknownMethod, { method: 'DELETE' })).toBe(unknownMethod);
  });

  it('an abort during the wait ends it with the error; an abort after the retry went ahead does nothing more', async () => {
    const during = new AbortController();
    const error = httpAnswer(503);
    const pending = decide(error, { signal: during.signal });
    during.abort();
    expect(await pending).toBe(error);

    const after = new AbortController();
    const trace: RetryTrace = { attempts: 1, waitedMs: 0 };
    const decider = retryDecider(FAST, trace, after.signal);
    const calls: (Error | null | undefined)[] = [];
    await new Promise<void>((resolve) =>
      decider(httpAnswer(503), { opts: { method: 'GET' } }, (result) => {
        calls.push(result);
        resolve();
      }),
    );
    after.abort();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toEqual([null]);
  });

  it('an already aborted signal: not retried at all', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = httpAnswer(503);
    expect(await decide(error, { signal: controller.signal })).toBe(error);
  });
});
