// The registry client's front door: builds the transport, the authenticator and the client
// for one run, sharing one connection pool and one token cache.

import { Authenticator } from './auth.js';
import { RegistryClient, isInsecureHost, registryBaseUrl } from './client.js';
import type { CredentialStore } from './credentials.js';
import { createTransport, type RequestLogger, type Transport } from './transport.js';

export interface RegistrySessionOptions {
  credentials: CredentialStore;
  insecureRegistries?: string[];
  concurrency?: number;
  requestTimeoutMs?: number;
  logger?: RequestLogger;
  /** repositories per token request when the run is planned (see Authenticator); 1 = one each */
  scopesPerTokenRequest?: number;
}

export interface RegistrySession {
  client: RegistryClient;
  authenticator: Authenticator;
  transport: Transport;
  close(): Promise<void>;
}

export function openRegistrySession(options: RegistrySessionOptions): RegistrySession {
  const insecure = options.insecureRegistries ?? [];
  const transport = createTransport({
    connections: options.concurrency,
    requestTimeoutMs: options.requestTimeoutMs,
    logger: options.logger,
  });
  const authenticator = new Authenticator({
    transport,
    credentials: options.credentials,
    baseUrl: (registry) => registryBaseUrl(registry, insecure),
    isInsecure: (host) => isInsecureHost(host, insecure),
    scopesPerRequest: options.scopesPerTokenRequest,
  });
  const client = new RegistryClient({ transport, authenticator, insecureRegistries: insecure });
  return { client, authenticator, transport, close: () => transport.close() };
}

export { RegistryClient, digestOf, type Manifest, type ManifestHead } from './client.js';
export { RegistryError, type RegistryErrorCode } from './errors.js';
export { Secret } from './secret.js';
export * from './credentials.js';
export * from './reference.js';
export type { Access } from './auth.js';
