// One error class for everything the registry client can fail with (the Octokit RequestError
// shape): the HTTP status (0 when no answer came), the request without credentials, and the
// registry's own words. Messages are built here, so no caller can put a secret into one.

import { ConnectionProblem, clientCertificateReason } from './connection-problem.js';

export type RegistryErrorCode =
  | 'NETWORK' // no answer: refused, reset, DNS, TLS
  | 'TIMEOUT' // no answer in time
  | 'UNAUTHORIZED' // 401/403 from the registry or its token service
  | 'NOT_FOUND'
  | 'IMMUTABLE_TAG' // the registry refuses to move or overwrite a tag
  | 'DIGEST_MISMATCH'
  | 'UNSUPPORTED_MANIFEST' // schema 1 or an unknown media type
  | 'BAD_RESPONSE' // not what a registry should send (HTML, truncated, oversized)
  | 'HTTP'; // any other status

export interface RedactedRequest {
  method: string;
  url: string; // never carries credentials: see redactUrl
}

export interface RegistryErrorOptions {
  code: RegistryErrorCode;
  status: number;
  registry: string;
  request?: RedactedRequest;
  /** code/message pairs from a `{"errors":[...]}` body */
  details?: { code?: string; message?: string }[];
  cause?: unknown;
}

export class RegistryError extends Error {
  override name = 'RegistryError';
  readonly code: RegistryErrorCode;
  readonly status: number;
  readonly registry: string;
  readonly request?: RedactedRequest;
  readonly details: { code?: string; message?: string }[];

  constructor(message: string, options: RegistryErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.registry = options.registry;
    this.request = options.request;
    this.details = options.details ?? [];
  }
}

/** Strips userinfo and query values that could carry secrets (token realms take none from us, but be safe). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/token|password|secret|auth|sig/i.test(key)) parsed.searchParams.set(key, 'REDACTED');
    }
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/** Why a network-level failure happened, in words, from undici/node error codes. */
export function describeNetworkError(error: unknown): { code: RegistryErrorCode; reason: string } {
  // the connectors (dispatcher.ts) already said where and in which phase, in words
  const problem = error instanceof ConnectionProblem ? error : (error as { cause?: unknown } | undefined)?.cause;
  if (problem instanceof ConnectionProblem) return { code: problem.timedOut ? 'TIMEOUT' : 'NETWORK', reason: problem.message };
  const clientReason = clientCertificateReason(error);
  if (clientReason) return { code: 'NETWORK', reason: `${clientReason}; put client.cert and client.key in the registry's certs.d folder (/etc/docker/certs.d/HOST:PORT/)` };
  const err = error as { code?: string | number; name?: string; message?: string; cause?: { code?: string | number; message?: string } };
  // A DOMException AbortError carries the numeric legacy code 20, not a string.
  if (err.name === 'AbortError' || err.code === 20) return { code: 'NETWORK', reason: 'request aborted' };
  const code = String(err.code ?? err.cause?.code ?? '');
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return { code: 'TIMEOUT', reason: 'no answer in time' };
  }
  if (code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') return { code: 'NETWORK', reason: 'request aborted' };
  if (code === 'UND_ERR_INVALID_ARG' && /redirect loop/i.test(err.message ?? '')) {
    return { code: 'BAD_RESPONSE', reason: 'the registry redirects in a loop' };
  }
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'DNS lookup failed',
    EPIPE: 'connection closed',
    UND_ERR_SOCKET: 'connection closed by the server',
    UND_ERR_CLOSED: 'connection closed',
    UND_ERR_REQ_RETRY: 'the answer broke off and could not be resumed',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
    SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain not trusted',
    ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed: the server does not speak TLS (an HTTP-only registry? name it with --insecure-registry)',
  };
  const reason = known[code] ?? (code ? `${code}` : (err.message ?? 'network error'));
  return { code: 'NETWORK', reason };
}

/** Why a schema 1 manifest is not copied, and what to do instead. */
export function schema1Refusal(ref: { registry: string; repository: string }, reference: string, status: number): RegistryError {
  return new RegistryError(
    `${ref.registry}/${ref.repository}:${reference} is a Docker schema 1 manifest, which embeds its tag and is signed, so it cannot be copied to another tag; ` +
      'rebuild or re-push the image with a current docker or buildah (schema 2 / OCI)',
    { code: 'UNSUPPORTED_MANIFEST', status, registry: ref.registry },
  );
}
