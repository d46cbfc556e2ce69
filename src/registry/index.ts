// The registry client's front door: builds the transport, the authenticator and the client
// for one run, sharing one connection pool and one token cache.

import { Authenticator } from './auth/index.js';
import { RegistryClient, isInsecureHost, registryBaseUrl } from './client.js';
import type { CredentialStore } from './credentials.js';
import { createDispatcher } from './dispatcher.js';
import type { RetryPolicy } from './retry.js';
import { createTransport, type RequestLogger } from './transport.js';

export interface RegistrySessionOptions {
  credentials: CredentialStore;
  insecureRegistries?: string[];
  /** images at once; each may have two requests in flight (its target's and source's HEADs) */
  concurrency?: number;
  requestTimeoutMs?: number;
  logger?: RequestLogger;
  /** repositories per token request when the run is planned (see Authenticator); 1 = one each */
  scopesPerTokenRequest?: number;
  /** proxy variables and NODE_EXTRA_CA_CERTS come from here (process.env by default) */
  env?: NodeJS.ProcessEnv;
  /** PEM text trusted for every registry (--ca-file) */
  extraCa?: string[];
  /** docker's per-registry CA folder (default /etc/docker/certs.d) */
  certsDir?: string;
  /** overrides of RETRY_POLICY (tests) */
  retry?: Partial<RetryPolicy>;
}

/** What a run sent, for the log line that ends it and the benchmark. */
export interface SessionStats {
  requests: number;
  byMethod: Record<string, number>;
  tokenFetches: number;
}

export interface RegistrySession {
  client: RegistryClient;
  stats(): SessionStats;
  close(): Promise<void>;
}

export function openRegistrySession(options: RegistrySessionOptions): RegistrySession {
  const insecure = options.insecureRegistries ?? [];
  const dispatcher = createDispatcher({
    // An image's two HEADs go out together (one round trip, src/retag/plan.ts), each on a
    // connection of its own: HTTP/1.1 servers answer pipelined requests one after the other.
    connections: 2 * (options.concurrency ?? 8),
    requestTimeoutMs: options.requestTimeoutMs,
    env: options.env,
    extraCa: options.extraCa,
    certsDir: options.certsDir,
  });
  const transport = createTransport({
    requestTimeoutMs: options.requestTimeoutMs,
    logger: options.logger,
    dispatcher,
    retry: options.retry,
  });
  const authenticator = new Authenticator({
    transport,
    credentials: options.credentials,
    baseUrl: (registry) => registryBaseUrl(registry, insecure),
    isInsecure: (host) => isInsecureHost(host, insecure),
    scopesPerRequest: options.scopesPerTokenRequest,
  });
  const client = new RegistryClient({ transport, authenticator, insecureRegistries: insecure });
  return {
    client,
    stats: () => ({ requests: transport.stats.requests, byMethod: { ...transport.stats.byMethod }, tokenFetches: authenticator.tokenFetches }),
    close: () => transport.close(),
  };
}

export { RegistryClient, digestOf, type Manifest, type ManifestHead } from './client.js';
export { RegistryError, type RegistryErrorCode } from './errors.js';
export { RETRY_POLICY, type RetryPolicy } from './retry.js';
export { Secret } from './secret.js';
export * from './credentials.js';
export { DEFAULT_CERTS_DIR, proxyProblem } from './dispatcher.js';
export * from '../image-name/index.js';
export type { Access } from './auth/index.js';
