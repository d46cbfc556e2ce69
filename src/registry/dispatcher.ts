// The connection layer under the transport: one keep-alive pool per origin, shared by every
// image of the run. Proxies and per-registry CAs plug in here; retries and redirects are
// interceptors composed on top in transport.ts.

import { Agent, type Dispatcher } from 'undici';

export interface DispatcherOptions {
  /** connections per origin: the run's concurrency, so no image waits for a socket */
  connections?: number;
  requestTimeoutMs?: number;
}

export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const timeout = options.requestTimeoutMs ?? 30_000;
  return new Agent({
    connections: options.connections ?? 8,
    keepAliveTimeout: 30_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    connect: { timeout },
  });
}
