// Registry authentication: anonymous, Basic, and the Bearer token flow
// (https://distribution.github.io/distribution/spec/auth/token/).
// The challenge is learnt once per registry (one GET /v2/), tokens once per registry and scope,
// cached until they expire; concurrent images share one in-flight request for each.

import type { CredentialLookup, CredentialStore } from './credentials.js';
import { RegistryError, redactUrl } from './errors.js';
import { isLoopbackHost } from './reference.js';
import { retrySuffix, type Transport } from './transport.js';
import { parseWwwAuthenticate, type Challenge } from './www-authenticate.js';
import { TokenResponseSchema } from './wire-schemas.js';

export type Access = 'pull' | 'pull,push';

type RegistryAuth =
  | { scheme: 'none' }
  | { scheme: 'basic' }
  | { scheme: 'bearer'; realm: string; service?: string };

interface CachedToken {
  token: string;
  expiresAt: number;
}

export interface AuthenticatorOptions {
  transport: Transport;
  credentials: CredentialStore;
  /** base URL of a registry's API, http or https as the transport rules decide */
  baseUrl(registry: string): string;
  /** hosts where plain HTTP is allowed, so Basic credentials may go there unencrypted */
  isInsecure(host: string): boolean;
  now?: () => number;
}

/** Tokens are renewed this long before they expire, so none dies in flight. */
const EXPIRY_MARGIN_MS = 10_000;
/** The token spec's default lifetime when `expires_in` is absent. */
const DEFAULT_TOKEN_SECONDS = 60;

function describeChallenge(challenges: Challenge[]): RegistryAuth | undefined {
  const bearer = challenges.find((c) => c.scheme === 'bearer');
  if (bearer?.params.realm) return { scheme: 'bearer', realm: bearer.params.realm, service: bearer.params.service };
  if (challenges.some((c) => c.scheme === 'basic')) return { scheme: 'basic' };
  return undefined;
}

export class Authenticator {
  private readonly registries = new Map<string, Promise<RegistryAuth>>();
  private readonly tokens = new Map<string, Promise<CachedToken>>();
  private readonly lookups = new Map<string, Promise<CredentialLookup>>();
  /** token requests made, for the benchmark's figures */
  tokenFetches = 0;

  constructor(private readonly options: AuthenticatorOptions) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  credentialsFor(registry: string): Promise<CredentialLookup> {
    let lookup = this.lookups.get(registry);
    if (!lookup) {
      lookup = this.options.credentials.lookup(registry);
      this.lookups.set(registry, lookup);
    }
    return lookup;
  }

  /** One GET /v2/ per registry tells which scheme it wants (the spec's version check). */
  private learn(registry: string, signal?: AbortSignal): Promise<RegistryAuth> {
    let known = this.registries.get(registry);
    if (!known) {
      known = this.ping(registry, signal);
      this.registries.set(registry, known);
      // a failed ping must not poison the registry for the rest of the run
      known.catch(() => this.registries.delete(registry));
    }
    return known;
  }

  private async ping(registry: string, signal?: AbortSignal): Promise<RegistryAuth> {
    const url = `${this.options.baseUrl(registry)}/v2/`;
    const response = await this.options.transport.send({ method: 'GET', url, registry, signal });
    if (response.status === 401) {
      const auth = describeChallenge(parseWwwAuthenticate(response.headers['www-authenticate']));
      if (auth) return auth;
      throw new RegistryError(`${registry} answered 401 to GET /v2/ without a usable WWW-Authenticate challenge`, {
        code: 'BAD_RESPONSE',
        status: 401,
        registry,
        request: { method: 'GET', url: redactUrl(url) },
      });
    }
    if (response.status >= 200 && response.status < 300) return { scheme: 'none' };
    if (response.status === 404) {
      throw new RegistryError(`${registry} has no registry API at ${redactUrl(url)} (404); check the registry host in the image name`, {
        code: 'BAD_RESPONSE',
        status: 404,
        registry,
        request: { method: 'GET', url: redactUrl(url) },
      });
    }
    throw new RegistryError(`${registry} answered ${response.status}${retrySuffix(response)} to GET /v2/`, {
      code: response.status >= 500 ? 'HTTP' : 'BAD_RESPONSE',
      status: response.status,
      registry,
      request: { method: 'GET', url: redactUrl(url) },
    });
  }

  /** The Authorization header for a repository, or undefined for an anonymous registry. */
  async authorization(registry: string, repository: string, access: Access, signal?: AbortSignal): Promise<string | undefined> {
    const auth = await this.learn(registry, signal);
    if (auth.scheme === 'none') return undefined;
    if (auth.scheme === 'basic') {
      const lookup = await this.credentialsFor(registry);
      if (lookup.credential?.kind !== 'basic') throw this.missingCredentials(registry, lookup);
      const { username, password } = lookup.credential;
      return `Basic ${Buffer.from(`${username}:${password.reveal()}`).toString('base64')}`;
    }
    const token = await this.token(registry, auth, `repository:${repository}:${access}`, signal);
    return `Bearer ${token}`;
  }

  /** Forget a token the registry refused (expired early, revoked), so the next call fetches anew. */
  invalidate(registry: string, repository: string, access: Access): void {
    this.tokens.delete(`${registry}|repository:${repository}:${access}`);
  }

  private async token(registry: string, auth: Extract<RegistryAuth, { scheme: 'bearer' }>, scope: string, signal?: AbortSignal): Promise<string> {
    const key = `${registry}|${scope}`;
    let entry = this.tokens.get(key);
    if (entry) {
      const cached = await entry;
      if (cached.expiresAt > this.now()) return cached.token;
      if (this.tokens.get(key) !== entry) return this.token(registry, auth, scope, signal); // another image renewed it
    }
    entry = this.fetchToken(registry, auth, scope, signal);
    this.tokens.set(key, entry);
    entry.catch(() => {
      if (this.tokens.get(key) === entry) this.tokens.delete(key);
    });
    return (await entry).token;
  }

  private async fetchToken(registry: string, auth: Extract<RegistryAuth, { scheme: 'bearer' }>, scope: string, signal?: AbortSignal): Promise<CachedToken> {
    const lookup = await this.credentialsFor(registry);
    const realm = new URL(auth.realm);
    // Basic credentials travel to the realm only where they cannot be read on the way.
    const realmIsSafe = realm.protocol === 'https:' || isLoopbackHost(realm.host) || this.options.isInsecure(realm.host);
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
    params.append('scope', scope);
    const headers: Record<string, string> = {};
    let method: 'GET' | 'POST' = 'GET';
    let body: string | undefined;
    if (credential?.kind === 'basic') {
      headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password.reveal()}`).toString('base64')}`;
    } else if (credential?.kind === 'identity-token') {
      // Docker's identitytoken is an OAuth2 refresh token: https://distribution.github.io/distribution/spec/auth/oauth/
      method = 'POST';
      params.set('grant_type', 'refresh_token');
      params.set('refresh_token', credential.token.reveal());
      params.set('client_id', 'retag');
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = params.toString();
    }
    const url = method === 'GET' ? `${realm.origin}${realm.pathname}?${mergeQuery(realm, params)}` : auth.realm;
    this.tokenFetches += 1;
    const response = await this.options.transport.send({ method, url, headers, body, registry, signal, maxBodyBytes: 256 * 1024 });
    if (response.status === 401 || response.status === 403) {
      throw credential ? this.refusedCredentials(registry, lookup, response.status) : this.missingCredentials(registry, lookup);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new RegistryError(`${registry}'s token service ${realm.origin} answered ${response.status}${retrySuffix(response)}`, {
        code: 'HTTP',
        status: response.status,
        registry,
        request: { method, url: redactUrl(url) },
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
        registry,
        request: { method, url: redactUrl(url) },
      });
    }
    const seconds = parsed.data.expires_in && parsed.data.expires_in > 0 ? parsed.data.expires_in : DEFAULT_TOKEN_SECONDS;
    return { token, expiresAt: this.now() + seconds * 1000 - EXPIRY_MARGIN_MS };
  }

  missingCredentials(registry: string, lookup: CredentialLookup): RegistryError {
    const where = lookup.searched.length > 0 ? lookup.searched.join(', ') : 'nowhere';
    return new RegistryError(
      `${registry} requires credentials and none were found (looked in: ${where}); ` +
        `run \`docker login ${registry}\` or pass --username NAME --password-stdin`,
      { code: 'UNAUTHORIZED', status: 401, registry },
    );
  }

  refusedCredentials(registry: string, lookup: CredentialLookup, status: number): RegistryError {
    return new RegistryError(
      `${registry} refused the credentials from ${lookup.source ?? 'the configured store'} (${status}); ` +
        `check the user name and password or token, or log in again with \`docker login ${registry}\``,
      { code: 'UNAUTHORIZED', status, registry },
    );
  }
}

/** Realm URLs may carry their own query (`?account=x`); ours is appended to it. */
function mergeQuery(realm: URL, params: URLSearchParams): string {
  const merged = new URLSearchParams(realm.search);
  for (const [key, value] of params) merged.append(key, value);
  return merged.toString();
}
