// The retry policy as data, and the transport driving undici's retry interceptor against a
// scripted node:http server: what is retried, how often, how long it waits, and what the caller
// gets when retries run out (the last answer, with the attempt count, never a crash).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RETRY_POLICY, backoffMs, nextDelay, parseRetryAfter, writeFailureOutcome, type RetryPolicy, type RetryTrace } from '../../../src/registry/retry.js';
import { createTransport, retrySuffix, type Transport } from '../../../src/registry/transport.js';
import { RegistryError } from '../../../src/registry/errors.js';

const FAST: Partial<RetryPolicy> = { baseDelayMs: 5, maxDelayMs: 2_000, maxTotalDelayMs: 5_000 };

describe('retry policy', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    const policy = { ...RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 350 };
    expect([1, 2, 3, 4].map((n) => backoffMs(policy, n, () => 0))).toEqual([50, 100, 175, 175]);
    expect([1, 2, 3, 4].map((n) => backoffMs(policy, n, () => 1))).toEqual([100, 200, 350, 350]);
  });

  it.each([
    { failure: { method: 'GET', status: 503 }, retried: true },
    { failure: { method: 'PUT', status: 429 }, retried: true },
    // a PUT only when it certainly did not reach the registry (RETRY_POLICY.write*)
    ...['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'RETAG_PROXY_UNAVAILABLE', 'RETAG_WRITE_NOT_LANDED'].map((code) => ({ failure: { method: 'PUT', code }, retried: true })),
    ...['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'ETIMEDOUT'].map((code) => ({ failure: { method: 'PUT', code }, retried: false })),
    ...[408, 500, 502, 503, 504].map((status) => ({ failure: { method: 'PUT', status }, retried: false })),
    { failure: { method: 'GET', code: 'RETAG_WRITE_NOT_LANDED' }, retried: false },
    { failure: { method: 'HEAD', status: 408 }, retried: true },
    { failure: { method: 'POST', code: 'ECONNRESET' }, retried: true },
    { failure: { method: 'GET', code: 'UND_ERR_SOCKET' }, retried: true },
    { failure: { method: 'GET', code: 'UND_ERR_HEADERS_TIMEOUT' }, retried: true },
    ...[400, 401, 403, 404, 405, 409, 412, 501].map((status) => ({ failure: { method: 'GET', status }, retried: false })),
    { failure: { method: 'GET', code: 'ENOTFOUND' }, retried: false },
    { failure: { method: 'GET', code: 'UND_ERR_ABORTED' }, retried: false },
    { failure: { method: 'DELETE', status: 503 }, retried: false },
  ])('$failure: retried $retried', ({ failure, retried }) => {
    const delay = nextDelay(RETRY_POLICY, { attempts: 1, waitedMs: 0 }, failure);
    expect(delay !== undefined).toBe(retried);
  });

  it.each([
    [{ status: 0, code: 'ECONNREFUSED' }, 'unsent'],
    [{ status: 0, code: 'UND_ERR_CONNECT_TIMEOUT' }, 'unsent'],
    [{ status: 0, code: 'ECONNRESET' }, 'unknown'],
    [{ status: 0, code: 'UND_ERR_SOCKET' }, 'unknown'],
    [{ status: 0, code: 'UND_ERR_HEADERS_TIMEOUT' }, 'unknown'],
    [{ status: 0 }, 'unknown'],
    [{ status: 500 }, 'unknown'],
    [{ status: 502 }, 'unknown'],
    [{ status: 503 }, 'unknown'],
    [{ status: 504 }, 'unknown'],
    [{ status: 408 }, 'unknown'],
    [{ status: 429 }, 'answered'],
    [{ status: 400 }, 'answered'],
    [{ status: 403 }, 'answered'],
  ] as const)('a failed write %j: %s', (failure, outcome) => {
    expect(writeFailureOutcome(RETRY_POLICY, failure)).toBe(outcome);
  });

  it('stops at maxAttempts, at a too-long Retry-After and at the total bound', () => {
    expect(nextDelay(RETRY_POLICY, { attempts: 4, waitedMs: 0 }, { method: 'GET', status: 503 })).toBeUndefined();
    const long: RetryTrace = { attempts: 1, waitedMs: 0 };
    expect(nextDelay(RETRY_POLICY, long, { method: 'GET', status: 429, retryAfter: '3600' })).toBeUndefined();
    expect(long).toMatchObject({ note: expect.stringMatching(/asked to retry after 3600 s/) as unknown });
    expect(nextDelay(RETRY_POLICY, { attempts: 1, waitedMs: 0 }, { method: 'GET', status: 429, retryAfter: '7' })).toBe(7000);
    const spent: RetryTrace = { attempts: 2, waitedMs: RETRY_POLICY.maxTotalDelayMs - 100 };
    expect(nextDelay(RETRY_POLICY, spent, { method: 'GET', status: 503, retryAfter: '1' })).toBeUndefined();
    expect(spent.note).toMatch(/stopped retrying after waiting/);
  });
});

type Script = (req: IncomingMessage, res: ServerResponse, count: number, body: string) => void;

describe('transport retries (undici retry interceptor + RETRY_POLICY)', () => {
  let server: Server;
  let base: string;
  let script: Script = (_req, res) => res.end('ok');
  let seen: { method: string; url: string; body: string; at: number }[] = [];
  let transport: Transport;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ method: req.method ?? '', url: req.url ?? '', body, at: Date.now() });
        script(req, res, seen.length, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(async () => {
    seen = [];
    await transport?.close();
  });

  const open = (retry: Partial<RetryPolicy> = FAST, requestTimeoutMs = 2_000) =>
    (transport = createTransport({ retry, requestTimeoutMs }));
  const send = (method: 'GET' | 'HEAD' | 'PUT' = 'GET', body?: string, signal?: AbortSignal) =>
    transport.send({ method, url: `${base}/v2/x/manifests/t`, registry: 'test', body, signal });

  it('503 twice, then 200: one answer, 3 attempts', async () => {
    script = (_req, res, n) => {
      res.statusCode = n < 3 ? 503 : 200;
      res.end(n < 3 ? 'busy' : 'fine');
    };
    open();
    const response = await send();
    expect(response).toMatchObject({ status: 200, attempts: 3 });
    expect(response.body.toString()).toBe('fine');
    expect(seen.length).toBe(3);
  });

  it('a persistent 503: the last status and headers after 4 attempts, never a throw', async () => {
    script = (_req, res) => {
      res.statusCode = 503;
      res.setHeader('content-type', 'application/json');
      res.end('{"errors":[{"code":"UNAVAILABLE","message":"down"}]}');
    };
    open();
    const response = await send();
    expect(response).toMatchObject({ status: 503, attempts: 4, headers: { 'content-type': 'application/json' } });
    // undici's RequestRetryError drops the last body; the status and attempt count are what the message needs
    expect(response.body.length).toBe(0);
    expect(retrySuffix(response)).toBe(' after 4 attempts');
    expect(seen.length).toBe(4);
  });

  it.each([400, 401, 403, 404])('%i is answered at once, never retried', async (status) => {
    script = (_req, res) => {
      res.statusCode = status;
      res.end();
    };
    open();
    expect(await send()).toMatchObject({ status, attempts: 1 });
    expect(seen.length).toBe(1);
  });

  it('a PUT turned away with 429 is retried with the same body', async () => {
    script = (_req, res, n) => {
      res.statusCode = n === 1 ? 429 : 201;
      res.end();
    };
    open();
    expect(await send('PUT', '{"exact": "bytes"}')).toMatchObject({ status: 201, attempts: 2 });
    expect(seen.map((s) => s.body)).toEqual(['{"exact": "bytes"}', '{"exact": "bytes"}']);
  });

  // A PUT that may have landed is never sent again here: another writer may have created the
  // tag since, and only the plan, after reading the tag back, may send it again (issue 10).
  it.each([500, 502, 503, 504, 408])('a PUT answered %i comes back at once, sent once', async (status) => {
    script = (_req, res) => {
      res.statusCode = status;
      res.end();
    };
    open();
    expect(await send('PUT', '{}')).toMatchObject({ status, attempts: 1 });
    expect(seen.length).toBe(1);
  });

  it('a PUT whose connection breaks after it was sent: failed at once, sent once', async () => {
    script = (req) => req.socket.destroy();
    open();
    const error = (await send('PUT', '{}').catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.status).toBe(0);
    expect(error.message).not.toMatch(/attempts/);
    expect(seen.length).toBe(1);
  });

  it('a PUT whose connection was refused (never sent) is retried', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    open();
    const error = (await transport.send({ method: 'PUT', url: `http://127.0.0.1:${port}/v2/x/manifests/t`, registry: 'test', body: '{}' }).catch((e: unknown) => e)) as RegistryError;
    expect(error.message).toMatch(/after 4 attempts$/);
  });

  it('honours Retry-After in seconds', async () => {
    script = (_req, res, n) => {
      res.statusCode = n === 1 ? 429 : 200;
      if (n === 1) res.setHeader('retry-after', '1');
      res.end();
    };
    open();
    expect(await send('HEAD')).toMatchObject({ status: 200, attempts: 2 });
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('a Retry-After beyond the cap is not waited for: the 429 stands, with the reason', async () => {
    script = (_req, res) => {
      res.statusCode = 429;
      res.setHeader('retry-after', '3600');
      res.end();
    };
    open();
    const response = await send();
    expect(response).toMatchObject({ status: 429, attempts: 1 });
    expect(retrySuffix(response)).toMatch(/asked to retry after 3600 s, longer than retag waits \(2 s\)/);
  });

  it('connection resets are retried; when they persist the error says how many attempts', async () => {
    script = (req) => req.socket.destroy();
    open();
    const error = await send().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/v2\/x\/manifests\/t failed: .* after 4 attempts$/);
    expect((error as RegistryError).status).toBe(0);
    expect(seen.length).toBe(4);
  });

  it('a reset then an answer: recovered', async () => {
    script = (req, res, n) => {
      if (n === 1) req.socket.destroy();
      else res.end('ok');
    };
    open();
    expect(await send()).toMatchObject({ status: 200, attempts: 2 });
  });

  it('a body cut off half-way is fetched again whole (undici\'s Range resume is refused by a 200)', async () => {
    const full = '{"schemaVersion":2,"padding":"' + 'x'.repeat(200) + '"}';
    script = (req, res, n) => {
      res.writeHead(200, { 'content-length': String(full.length) });
      if (n === 1) res.write(full.slice(0, 100), () => setTimeout(() => req.socket.destroy(), 10));
      else res.end(full);
    };
    open();
    const response = await send();
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(full);
    expect(response.attempts).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBe(response.attempts);
  });

  it('a body cut off every time: fails after 4 attempts, never returns half a body', async () => {
    script = (req, res) => {
      res.writeHead(200, { 'content-length': '300' });
      res.write('x'.repeat(100), () => setTimeout(() => req.socket.destroy(), 10));
    };
    open();
    const error = (await send().catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toMatch(/after 4 attempts$/);
    expect(seen.length).toBe(4);
  });

  it('a request with no answer times out, is retried, and fails with TIMEOUT', async () => {
    script = () => undefined; // never answers
    open({ ...FAST, maxAttempts: 2 }, 300);
    const started = Date.now();
    const error = (await send().catch((e: unknown) => e)) as RegistryError;
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/no answer in time after 2 attempts/);
    expect(seen.length).toBe(2);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('an abort during a backoff wait stops retrying at once', async () => {
    script = (_req, res) => {
      res.statusCode = 503;
      res.end();
    };
    open({ ...FAST, baseDelayMs: 10_000, maxDelayMs: 20_000, maxTotalDelayMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const outcome = await send('GET', undefined, controller.signal).then(
      (r) => r.status,
      (e: unknown) => (e as RegistryError).code,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect([503, 'NETWORK']).toContain(outcome);
    expect(seen.length).toBe(1);
  });
});
