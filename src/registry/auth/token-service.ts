// One request to a registry's token service (https://distribution.github.io/distribution/spec/auth/token/):
// GET with Basic credentials (or none) and repeated `scope` parameters, or the OAuth2
// refresh-token grant (POST) for docker's identity tokens
// (https://distribution.github.io/distribution/spec/auth/oauth/). Also what a JWT grants.

import type { CredentialLookup } from '../credentials.js';
import { RegistryError, redactUrl } from '../errors.js';
import { isLoopbackHost } from '../../image-name/index.js';
import type { Secret } from '../secret.js';
import { retrySuffix, type Transport } from '../transport.js';
import { JwtAccessClaimsSchema, TokenResponseSchema, type JwtAccess } from '../wire-schemas.js';
import { missingCredentials, refusedCredentials } from './credential-errors.js';
import type { BearerAuth, CachedToken } from './types.js';

/** Tokens are renewed this long before they expire, so none dies in flight. */
const EXPIRY_MARGIN_MS = 10_000;
/** The token spec's default lifetime when `expires_in` is absent. */
const DEFAULT_TOKEN_SECONDS = 60;

export interface TokenRequest {
  registry: string;
  auth: BearerAuth;
  scopes: string[];
  /** the credential to send, found for the first scope's repository */
  lookup: CredentialLookup;
  signal?: AbortSignal;
}

export interface TokenServiceOptions {
  transport: Transport;
  /** hosts where plain HTTP is allowed, so Basic credentials may go there unencrypted */
  isInsecure(host: string): boolean;
  now(): number;
}

/** The one place a password is revealed, straight into the header that carries it. */
export function basicHeader(credential: { username: string; password: Secret }): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password.reveal()}`).toString('base64')}`;
}

/**
 * A token for `scopes`. A 401/403 throws UNAUTHORIZED (refused credentials, or missing ones when
 * none were sent); the caller decides what a refusal means (a batch's may be about one repository).
 */
export async function fetchToken(options: TokenServiceOptions, request: TokenRequest): Promise<CachedToken> {
  const { registry, auth, scopes, lookup, signal } = request;
  const realm = new URL(auth.realm);
  // Basic credentials travel to the realm only where they cannot be read on the way.
  const realmIsSafe = realm.protocol === 'https:' || isLoopbackHost(realm.host) || options.isInsecure(realm.host);
  const credential = lookup.credential;
  if (credential && !realmIsSafe) {
    throw new RegistryError(
      `${registry}'s token service ${realm.origin} is plain HTTP; retag will not send credentials there. ` +
        `Use an HTTPS realm or name the host with --insecure-registry ${realm.host} if it is on a trusted network`,
      { code: 'UNAUTHORIZED', status: 0, registry },
    );
  }
  const params = new URLSearchParams();
  if (auth.service) params.set('service', auth.service);
  if (credential?.kind === 'identity-token') {
    // an OAuth2 form carries one space-separated scope field (RFC 6749 section 3.3), as docker sends it
    params.set('scope', scopes.join(' '));
  } else {
    for (const scope of scopes) params.append('scope', scope);
  }
  const headers: Record<string, string> = {};
  let method: 'GET' | 'POST' = 'GET';
  let body: string | undefined;
  if (credential?.kind === 'basic') {
    headers.authorization = basicHeader(credential);
  } else if (credential?.kind === 'identity-token') {
    method = 'POST';
    params.set('grant_type', 'refresh_token');
    params.set('refresh_token', credential.token.reveal());
    params.set('client_id', 'retag');
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = params.toString();
  }
  const url = method === 'GET' ? `${realm.origin}${realm.pathname}?${mergeQuery(realm, params)}` : auth.realm;
  const where = { registry, request: { method, url: redactUrl(url) } };
  // Not followed: a redirect would replay the credentials (an identity token in the body) elsewhere.
  const response = await options.transport.send({ method, url, headers, body, registry, signal, maxBodyBytes: 256 * 1024, followRedirects: false });
  if (response.status === 401 || response.status === 403) {
    throw credential ? refusedCredentials(registry, lookup, response.status) : missingCredentials(registry, lookup);
  }
  if (response.status >= 300 && response.status < 400) {
    throw new RegistryError(
      `${registry}'s token service ${realm.origin} answered a redirect (${response.status}); retag does not follow it with credentials. ` +
        'Point the registry at its token service directly',
      { code: 'BAD_RESPONSE', status: response.status, ...where },
    );
  }
  if (response.status < 200 || response.status >= 300) {
    throw new RegistryError(`${registry}'s token service ${realm.origin} answered ${response.status}${retrySuffix(response)}`, {
      code: 'HTTP',
      status: response.status,
      ...where,
    });
  }
  let parsed;
  try {
    parsed = TokenResponseSchema.safeParse(JSON.parse(response.body.toString('utf8')));
  } catch {
    parsed = undefined;
  }
  const token = parsed?.success ? (parsed.data.token ?? parsed.data.access_token) : undefined;
  if (!parsed?.success || !token) {
    throw new RegistryError(`${registry}'s token service ${realm.origin} did not answer a token (expected JSON with "token" or "access_token")`, {
      code: 'BAD_RESPONSE',
      status: response.status,
      ...where,
    });
  }
  const seconds = parsed.data.expires_in && parsed.data.expires_in > 0 ? parsed.data.expires_in : DEFAULT_TOKEN_SECONDS;
  // a token living under 20 s keeps half its life, not none: else every request would fetch one
  const lifetimeMs = seconds * 1000;
  const expiresAt = options.now() + lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2);
  // Only a token shared by several scopes needs to say what it grants.
  return scopes.length > 1 ? { token, expiresAt, access: jwtAccess(token), shared: true } : { token, expiresAt };
}

/** Realm URLs may carry their own query (`?account=x`); ours is appended to it. */
function mergeQuery(realm: URL, params: URLSearchParams): string {
  const merged = new URLSearchParams(realm.search);
  for (const [key, value] of params) merged.append(key, value);
  return merged.toString();
}

/**
 * The `access` claim of a JWT (https://distribution.github.io/distribution/spec/auth/jwt/), or
 * undefined when the token is opaque or has no such claim. Read, never verified: the registry
 * verifies; this only decides whether to ask for a token of the repository's own.
 */
function jwtAccess(token: string): JwtAccess[] | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const parsed = JwtAccessClaimsSchema.safeParse(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
    return parsed.success ? (parsed.data.access ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a token grants every action a scope asks for; an opaque token is trusted (a 401 will tell). */
export function covers(granted: CachedToken, scope: string): boolean {
  if (!granted.access) return true;
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  const type = scope.slice(0, first);
  const name = scope.slice(first + 1, last);
  const wanted = scope.slice(last + 1).split(',');
  return granted.access.some(
    (entry) => entry.type === type && entry.name === name && wanted.every((action) => entry.actions.includes(action) || entry.actions.includes('*')),
  );
}
