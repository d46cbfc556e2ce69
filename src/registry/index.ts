// The registry client's front door: builds the transport, the authenticator and the client
// for one run, sharing one connection pool and one token cache.

import { Authenticator } from './auth/index.js';
import { RegistryClient } from './client.js';
import type { CredentialStore } from './credentials.js';
import { connectionStats, createDispatcher, explainFailure } from './dispatcher.js';
import { RETRY_POLICY, type RetryPolicy } from './retry.js';
import { TlsPolicy, isInsecureHost, verifiesCertificate, type PolicyLogger } from './tls-policy.js';
import { createTransport, type RequestLogger } from './transport.js';

export interface RegistrySessionOptions {
  credentials: CredentialStore;
  insecureRegistries?: string[];
  /** images at once; each may have two requests in flight (its target's and source's HEADs) */
  concurrency?: number;
  requestTimeoutMs?: number;
  /** info: the TLS decision for each loopback or --insecure-registry registry, once */
  logger?: RequestLogger & Partial<PolicyLogger>;
  /** false: --tls-verify=false, certificates of every registry unchecked */
  tlsVerify?: boolean;
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
  /** the run only reads (a dry-run): push is asked for only to learn whether it would be granted (Authenticator) */
  pushOptional?: boolean;
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
  const rules = { insecureRegistries: insecure, tlsVerify: options.tlsVerify ?? true };
  const dispatcher = createDispatcher({
    // An image's two HEADs go out together (one round trip, src/retag/plan.ts), each on a
    // connection of its own: HTTP/1.1 servers answer pipelined requests one after the other.
    connections: 2 * (options.concurrency ?? 8),
    requestTimeoutMs: options.requestTimeoutMs,
    env: options.env,
    extraCa: options.extraCa,
    certsDir: options.certsDir,
    verifies: (host) => verifiesCertificate(host, rules),
    logger: options.logger,
  });
  const logger = options.logger;
  const tls = new TlsPolicy({
    ...rules,
    dispatcher,
    explain: (error, url) => explainFailure(dispatcher, error, url),
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    ...(logger?.info ? { logger: { info: (fields, message) => logger.info?.(fields, message) } } : {}),
  });
  const retryPolicy: RetryPolicy = { ...RETRY_POLICY, ...options.retry };
  const transport = createTransport({
    requestTimeoutMs: options.requestTimeoutMs,
    logger: options.logger,
    dispatcher,
    retry: retryPolicy,
    explainError: (error, url) => explainFailure(dispatcher, error, url),
  });
  const authenticator = new Authenticator({
    transport,
    credentials: options.credentials,
    baseUrl: (registry) => tls.baseUrl(registry),
    settle: (registry, signal) => tls.settle(registry, signal),
    isInsecure: (host) => isInsecureHost(host, insecure),
    scopesPerRequest: options.scopesPerTokenRequest,
    pushOptional: options.pushOptional,
  });
  const client = new RegistryClient({ transport, authenticator, insecureRegistries: insecure, baseUrl: (registry) => tls.baseUrl(registry), retryPolicy });
  const close = async () => {
    // with the per-request lines above it, this shows how well connections and tunnels were reused
    options.logger?.debug({ requests: transport.stats.requests, ...connectionStats(dispatcher) }, 'connections used');
    await transport.close();
  };
  return {
    client,
    stats: () => ({ requests: transport.stats.requests, byMethod: { ...transport.stats.byMethod }, tokenFetches: authenticator.tokenFetches }),
    close,
  };
}

export { RegistryClient, digestOf, type Manifest, type ManifestHead } from './client.js';
export { RegistryError, type RegistryErrorCode } from './errors.js';
export { RETRY_POLICY, type RetryPolicy } from './retry.js';
export { Secret } from './secret.js';
export * from './credentials.js';
export { DEFAULT_CERTS_DIR, proxyProblem } from './dispatcher.js';
export { connectionStats, type ConnectionStats } from './dispatcher.js';
export * from '../image-name/index.js';
export type { Access } from './auth/index.js';
