// The shapes of the HTTP layer, in a file of their own: transport.ts sends them, retry.ts decides
// about them, and neither imports the other for a type.

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** a larger body is a BAD_RESPONSE, not a crash or an out-of-memory */
  maxBodyBytes?: number;
  /** which registry this is for, in error messages */
  registry: string;
  signal?: AbortSignal;
  /**
   * false: a redirect is returned as is, not followed. Token requests carry a secret in the body
   * (an identity token) that undici's redirect handler would replay to another host on a 307/308.
   */
  followRedirects?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** how many times the request was sent (1 when it was not retried) */
  attempts: number;
  /** why the retries stopped before the policy's last attempt, when they did (a long Retry-After) */
  retryNote?: string;
}

/** What the transport tells the logger: method, redacted URL, status, milliseconds. */
export interface RequestLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  /** retries: a run that waits on a 429 or a flaky registry says so at the default level */
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface TransportStats {
  requests: number;
  byMethod: Record<string, number>;
}

export interface Transport {
  send(request: HttpRequest): Promise<HttpResponse>;
  readonly stats: TransportStats;
  close(): Promise<void>;
}
