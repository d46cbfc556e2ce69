// Why a connection could not be made, in words that name the place (the proxy, the registry) and
// the phase (TCP, proxy CONNECT, TLS handshake), built where that is known: the connectors in
// dispatcher.ts. undici's own errors say "Connect Timeout Error" or "Proxy response (403) !== 200
// when HTTP Tunneling", which name neither the proxy nor what to do (issue 11).
//
// `code` keeps the retry policy's vocabulary (retry.ts): a proxy that did not answer in time is
// retried like a connect timeout, a proxy that refused is not.

export type ConnectPhase = 'proxy-connect' | 'proxy-answer' | 'tls' | 'tcp';

export interface ConnectionProblemOptions {
  code: string;
  /** true when the phase ran out of time (a TIMEOUT in RegistryError terms) */
  timedOut?: boolean;
  cause?: unknown;
}

export class ConnectionProblem extends Error {
  override name = 'ConnectionProblem';
  readonly code: string;
  readonly timedOut: boolean;

  constructor(message: string, options: ConnectionProblemOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.timedOut = options.timedOut ?? false;
  }
}

/** Codes for a proxy that answered CONNECT with a refusal; the 5xx one is retried (retry.ts). */
export const PROXY_REFUSED = 'RETAG_PROXY_REFUSED';
export const PROXY_UNAVAILABLE = 'RETAG_PROXY_UNAVAILABLE';

/** "3 s", "1.5 s", "250 ms" */
export function duration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

export function errorCode(error: unknown): string {
  const err = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  return String(err?.code ?? err?.cause?.code ?? '');
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'ETIMEDOUT']);

export function isTimeout(error: unknown): boolean {
  return TIMEOUT_CODES.has(errorCode(error));
}

/** What a CONNECT status means to the user, and whether trying again may help. */
export function proxyRefusal(proxy: string, target: string, status: number, proxyVariable: string, hasCredentials: boolean): ConnectionProblem {
  if (status === 407) {
    const what = hasCredentials
      ? `refused the credentials in ${proxyVariable} (407)`
      : `wants credentials (407); put them in ${proxyVariable} as http://user:password@${proxy} (percent-encode special characters)`;
    return new ConnectionProblem(`the proxy ${proxy} ${what} for CONNECT to ${target}`, { code: PROXY_REFUSED });
  }
  const retryable = status >= 500;
  const hint = retryable
    ? 'the proxy could not reach the registry (no route, DNS, or the registry is down)'
    : 'the proxy does not allow this destination; ask its admin, or list the host in NO_PROXY if it is reachable directly';
  return new ConnectionProblem(`the proxy ${proxy} refused CONNECT to ${target} with ${status}: ${hint}`, {
    code: retryable ? PROXY_UNAVAILABLE : PROXY_REFUSED,
  });
}

const CERT_REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet (check the clock)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed (unknown CA)',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in an unknown CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate was issued by an unknown CA',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate was issued by an unknown CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate was issued by an unknown CA',
  CERT_UNTRUSTED: 'the certificate is not trusted (unknown CA)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is for another host name',
};

const CLIENT_CERT_CODES = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
]);

/** Whether the server spoke TLS and refused or was refused over a certificate (so it does speak TLS). */
export function isCertificateFailure(error: unknown): boolean {
  if (error instanceof ConnectionProblem) return error.code in CERT_REASONS || CLIENT_CERT_CODES.has(error.code);
  const code = errorCode(error);
  return code in CERT_REASONS || CLIENT_CERT_CODES.has(code);
}

/** A client-certificate refusal in words, wherever it surfaced (TLS 1.3 reports it on the first read). */
export function clientCertificateReason(error: unknown): string | undefined {
  const code = errorCode(error);
  if (!CLIENT_CERT_CODES.has(code)) return undefined;
  return `the registry refused the TLS connection (${code.replace(/^ERR_SSL_/, '').toLowerCase().replaceAll('_', ' ')}): it asks for a client certificate it trusts`;
}

/** The error a certificate failure becomes, or undefined when `error` is not one. */
export function certificateProblem(error: unknown, host: string, certsDir: string, through = ''): ConnectionProblem | undefined {
  const code = errorCode(error);
  const reason = CERT_REASONS[code];
  if (reason) {
    // Node: "Hostname/IP does not match certificate's altnames: Host: x. is not in the cert's altnames: DNS:y"
    const message = (error as Error).message ?? '';
    const names = message.includes('altnames: ') ? message.split('altnames: ').at(-1) : undefined;
    const detail = code === 'ERR_TLS_CERT_ALTNAME_INVALID' && names ? ` (it names ${names.slice(0, 200)})` : '';
    return new ConnectionProblem(
      `the TLS certificate of ${host}${through} is not trusted: ${reason}${detail}. ` +
        `To trust a private CA: --ca-file FILE, a ca.crt in ${certsDir}/${host}/, or NODE_EXTRA_CA_CERTS=FILE ` +
        '(a test registry: --tls-verify=false)',
      { code, cause: error },
    );
  }
  const clientReason = clientCertificateReason(error);
  if (clientReason) {
    return new ConnectionProblem(`${host}${through}: ${clientReason}; put client.cert and client.key in ${certsDir}/${host}/`, { code, cause: error });
  }
  return undefined;
}
