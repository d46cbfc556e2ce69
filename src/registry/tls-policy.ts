// Which registries are spoken to over HTTPS, and with which certificate checks: docker's rule
// (https://docs.docker.com/reference/cli/dockerd/#insecure-registries).
// - Every registry: HTTPS with the certificate checked. Nothing else, unless named below.
// - Loopback registries and --insecure-registry hosts: HTTPS first with certificate checks off;
//   if the server does not speak TLS, plain HTTP. Decided once per registry, before its /v2/
//   ping (the ping calls settle()), and reported once at info level.
// - --tls-verify=false (skopeo's flag): certificate checks off for every registry of the run.
//   HTTPS stays HTTPS: it does not allow plain HTTP anywhere --insecure-registry does not.

import type { Dispatcher } from 'undici';
import { isCertificateFailure } from './connection-problem.js';
import { describeNetworkError } from './errors.js';
import { apiHost, hostnameOf, isLoopbackHost } from '../image-name/index.js';

export interface TlsRules {
  /** `host` or `host:port` entries of --insecure-registry */
  insecureRegistries: string[];
  /** false: --tls-verify=false, no certificate checks anywhere */
  tlsVerify: boolean;
}

export function isInsecureHost(host: string, insecure: string[]): boolean {
  return insecure.some((entry) => entry === host || entry === hostnameOf(host));
}

/** Whether plain HTTP may be used for this registry (after HTTPS failed to speak TLS). */
export function allowsPlainHttp(registry: string, rules: TlsRules): boolean {
  return isLoopbackHost(registry) || isInsecureHost(registry, rules.insecureRegistries);
}

/** Whether the certificate of `host` (an origin's host[:port]) is checked. */
export function verifiesCertificate(host: string, rules: TlsRules): boolean {
  return rules.tlsVerify && !allowsPlainHttp(host, rules);
}

export interface PolicyLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

export interface TlsPolicyOptions extends TlsRules {
  /** the run's dispatcher, without retries: one GET /v2/ over HTTPS tells whether TLS is spoken */
  dispatcher: Dispatcher;
  requestTimeoutMs: number;
  logger?: PolicyLogger;
  /** what the connections saw of a failure (dispatcher.ts explainFailure) */
  explain?: (error: unknown, url: string) => unknown;
}

export class TlsPolicy {
  private readonly decided = new Map<string, 'https' | 'http'>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly options: TlsPolicyOptions) {}

  /** The API's base URL: HTTPS unless settle() found a loopback or insecure registry that does not speak TLS. */
  baseUrl(registry: string): string {
    return `${this.decided.get(registry) ?? 'https'}://${apiHost(registry)}`;
  }

  /** Decides the scheme of one registry (once; concurrent callers share the decision). */
  settle(registry: string, signal?: AbortSignal): Promise<void> {
    if (this.decided.has(registry) || !allowsPlainHttp(registry, this.options)) return Promise.resolve();
    let pending = this.pending.get(registry);
    if (!pending) {
      pending = this.probe(registry, signal).finally(() => this.pending.delete(registry));
      this.pending.set(registry, pending);
    }
    return pending;
  }

  private async probe(registry: string, signal?: AbortSignal): Promise<void> {
    const why = isLoopbackHost(registry) ? 'a loopback registry' : '--insecure-registry';
    const origin = `https://${apiHost(registry)}`;
    try {
      const response = await this.options.dispatcher.request({
        origin,
        path: '/v2/',
        method: 'GET',
        headers: {},
        signal,
        headersTimeout: this.options.requestTimeoutMs,
        bodyTimeout: this.options.requestTimeoutMs,
      });
      await response.body.dump();
      this.decided.set(registry, 'https');
      this.options.logger?.info({ registry, scheme: 'https', verify: false }, `${registry}: HTTPS without certificate checks (${why})`);
    } catch (failure) {
      if (signal?.aborted) throw failure;
      const error = this.options.explain?.(failure, origin) ?? failure;
      if (isCertificateFailure(error)) {
        // TLS spoken, a certificate refused (a client certificate wanted): HTTPS it is, and the
        // requests that follow fail with that reason rather than with plain HTTP's confusion
        this.decided.set(registry, 'https');
        return;
      }
      // Not TLS (the usual answer of a plain-HTTP server to a TLS hello), or nothing at all: the
      // plain-HTTP ping that follows says which, with its own retries and error message.
      this.decided.set(registry, 'http');
      const { reason } = describeNetworkError(error);
      this.options.logger?.info({ registry, scheme: 'http', https: reason }, `${registry}: plain HTTP (${why}; HTTPS failed: ${reason})`);
    }
  }
}
