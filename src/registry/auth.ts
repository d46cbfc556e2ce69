// Registry authentication: anonymous, Basic, and the Bearer token flow
// (https://distribution.github.io/distribution/spec/auth/token/).
// The challenge is learnt once per registry (one GET /v2/), tokens once per registry and scope,
// cached until they expire; concurrent images share one in-flight request for each.
// When the run's repositories are planned ahead (plan()), one token request asks for the scopes of
// up to `scopesPerRequest` upcoming repositories at once (the spec allows repeated `scope`
// parameters); a repository the granted token does not cover (read from a JWT's `access` claim, or
// learnt from a 401 for an opaque token) gets a token of its own.

import type { CredentialLookup, CredentialStore } from './credentials.js';
import { RegistryError, redactUrl } from './errors.js';
import type { Secret } from './secret.js';
import { isLoopbackHost } from './reference.js';
import { retrySuffix, type Transport } from './transport.js';
import { parseWwwAuthenticate, type Challenge } from './www-authenticate.js';
import { JwtAccessClaimsSchema, TokenResponseSchema, type JwtAccess } from './wire-schemas.js';

export type Access = 'pull' | 'pull,push';

type RegistryAuth =
  | { scheme: 'none' }
  | { scheme: 'basic' }
  | { scheme: 'bearer'; realm: string; service?: string };
type BearerAuth = Extract<RegistryAuth, { scheme: 'bearer' }>;

interface CachedToken {
  token: string;
  expiresAt: number;
  /** what a JWT says it grants; undefined for an opaque token (trusted until a 401 says otherwise) */
  access?: JwtAccess[];
  /** fetched for several repositories' scopes at once */
  shared?: boolean;
}

export interface AuthenticatorOptions {
  transport: Transport;
  credentials: CredentialStore;
  /** base URL of a registry's API, http or https as the transport rules decide */
  baseUrl(registry: string): string;
  /** hosts where plain HTTP is allowed, so Basic credentials may go there unencrypted */
  isInsecure(host: string): boolean;
  now?: () => number;
  /**
   * Planned repositories whose scopes go into one token request (default 25; 1 asks per
   * repository). Bounded so the realm URL stays well under common 8 KiB request-line limits.
   */
  scopesPerRequest?: number;
}

export const DEFAULT_SCOPES_PER_REQUEST = 25;
/** Scope text per token request, before URL encoding (which adds about a fifth). */
const MAX_SCOPE_CHARS = 4000;

/** Tokens are renewed this long before they expire, so none dies in flight. */
const EXPIRY_MARGIN_MS = 10_000;
/** The token spec's default lifetime when `expires_in` is absent. */
const DEFAULT_TOKEN_SECONDS = 60;

function describeChallenge(challenges: Challenge[]): RegistryAuth | undefined {
  const bearer = challenges.find((c) => c.scheme === 'bearer');
  // A realm retag could not ask (relative, not http(s)) makes the challenge unusable, said as such.
  if (bearer?.params.realm && isHttpUrl(bearer.params.realm)) {
    return { scheme: 'bearer', realm: bearer.params.realm, service: bearer.params.service };
  }
  if (challenges.some((c) => c.scheme === 'basic')) return { scheme: 'basic' };
  return undefined;
}

export class Authenticator {
  private readonly registries = new Map<string, Promise<RegistryAuth>>();
  private readonly tokens = new Map<string, Promise<CachedToken>>();
  private readonly lookups = new Map<string, Promise<CredentialLookup>>();
  /** per registry, scopes the run will need and no token request has asked for yet, in run order */
  private readonly planned = new Map<string, Set<string>>();
  /** per registry, scopes fetched ahead of need whose images have not asked yet */
  private readonly ahead = new Map<string, Set<string>>();
  /** the scheme each registry's /v2/ answered, once known (a later 401 may correct 'none') */
  private readonly schemes = new Map<string, RegistryAuth>();
  /**
   * Registries whose credentials were refused: every later image fails with the same error at
   * once instead of sending the refused credentials again (Docker Hub and LDAP-backed registries
   * count failed logins, and lock accounts over them).
   */
  private readonly refused = new Map<string, RegistryError>();
  /** `registry|scope` keys whose shared token a registry refused: they get tokens of their own */
  private readonly solo = new Set<string>();
  /** token requests made, for the benchmark's figures */
  tokenFetches = 0;

  constructor(private readonly options: AuthenticatorOptions) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /**
   * The credential for a repository: auth files may key one by `host/namespace` (the most
   * specific key wins), so the lookup is per repository; the stores read each file and run each
   * helper once per registry however many repositories ask.
   */
  credentialsFor(registry: string, repository?: string): Promise<CredentialLookup> {
    const key = `${registry}|${repository ?? ''}`;
    let lookup = this.lookups.get(key);
    if (!lookup) {
      lookup = this.options.credentials.lookup(registry, repository);
      this.lookups.set(key, lookup);
    }
    return lookup;
  }

  /** Refusals are remembered per credential: a refused `host/team` entry leaves `host`'s alone. */
  private refusalKey(registry: string, lookup: CredentialLookup): string {
    return `${registry}|${lookup.source ?? ''}`;
  }

  /** One GET /v2/ per registry tells which scheme it wants (the spec's version check). */
  private learn(registry: string, signal?: AbortSignal): Promise<RegistryAuth> {
    let known = this.registries.get(registry);
    if (!known) {
      known = this.ping(registry, signal).then((auth) => {
        this.schemes.set(registry, auth);
        return auth;
      });
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

  /**
   * The repositories a run will visit, in order, so token requests can ask for several at once.
   * Only a hint: a repository never planned still gets its token when first asked for.
   */
  plan(registry: string, repositories: Iterable<string>, access: Access): void {
    if (this.scopesPerRequest() <= 1) return;
    let planned = this.planned.get(registry);
    if (!planned) {
      planned = new Set();
      this.planned.set(registry, planned);
    }
    for (const repository of repositories) planned.add(scopeOf(repository, access));
  }

  private scopesPerRequest(): number {
    return Math.max(1, Math.floor(this.options.scopesPerRequest ?? DEFAULT_SCOPES_PER_REQUEST));
  }

  /**
   * A 401 from a registry whose /v2/ answered without asking for credentials (anonymous pulls,
   * authenticated pushes: Nexus, Artifactory): its challenge now says how to authenticate.
   * True when that changed what authorization() sends, so the request is worth sending again.
   */
  relearn(registry: string, wwwAuthenticate: string | undefined): boolean {
    if (this.schemes.get(registry)?.scheme !== 'none') return false;
    const auth = describeChallenge(parseWwwAuthenticate(wwwAuthenticate));
    if (!auth) return false;
    this.schemes.set(registry, auth);
    this.registries.set(registry, Promise.resolve(auth));
    return true;
  }

  /** A Basic registry answered 401 to these credentials: no later image sends them again. */
  async refuseBasic(registry: string, repository?: string): Promise<RegistryError> {
    const lookup = await this.credentialsFor(registry, repository);
    const error = this.refusedCredentials(registry, lookup, 401);
    this.refused.set(this.refusalKey(registry, lookup), error);
    return error;
  }

  /** The Authorization header for a repository, or undefined for an anonymous registry. */
  async authorization(registry: string, repository: string, access: Access, signal?: AbortSignal): Promise<string | undefined> {
    const auth = await this.learn(registry, signal);
    if (auth.scheme === 'none') return undefined;
    const lookup = await this.credentialsFor(registry, repository);
    const refusal = this.refused.get(this.refusalKey(registry, lookup));
    if (refusal) throw refusal;
    if (auth.scheme === 'basic') {
      if (lookup.credential?.kind !== 'basic') throw this.missingCredentials(registry, lookup);
      return basicHeader(lookup.credential);
    }
    const token = await this.token(registry, auth, scopeOf(repository, access), signal);
    return `Bearer ${token}`;
  }

  /** Forget a token the registry refused (expired early, revoked), so the next call fetches anew. */
  async invalidate(registry: string, repository: string, access: Access): Promise<{ wasShared: boolean }> {
    const key = `${registry}|${scopeOf(repository, access)}`;
    const entry = this.tokens.get(key);
    this.tokens.delete(key);
    this.solo.add(key); // a shared token failed it once: the next one is its own
    const refused = entry ? await entry.catch(() => undefined) : undefined;
    return { wasShared: refused?.shared === true };
  }

  private async token(registry: string, auth: BearerAuth, scope: string, signal?: AbortSignal): Promise<string> {
    const key = `${registry}|${scope}`;
    this.ahead.get(registry)?.delete(scope);
    let entry = this.tokens.get(key);
    const fresh = !entry;
    entry ??= this.request(registry, auth, scope, signal);
    this.keepAhead(registry, auth, signal);
    const cached = await entry;
    if (fresh || cached.expiresAt > this.now()) return cached.token;
    if (this.tokens.get(key) !== entry) return this.token(registry, auth, scope, signal); // another image renewed it
    return (await this.request(registry, auth, scope, signal)).token;
  }

  /**
   * One token request for `scope` and, when the run was planned, the next planned scopes that
   * have no token yet: every scope's cache entry is set at once, so their images wait for this
   * request instead of starting their own.
   */
  private request(registry: string, auth: BearerAuth, scope: string, signal?: AbortSignal): Promise<CachedToken> {
    const ahead = this.solo.has(`${registry}|${scope}`) ? [] : this.takePlanned(registry, scope);
    const scopes = [scope, ...ahead];
    const unused = this.ahead.get(registry) ?? new Set<string>();
    this.ahead.set(registry, unused);
    for (const each of ahead) unused.add(each);
    const shared = this.fetchToken(registry, auth, scopes, signal);
    // A realm that refuses a batch may refuse one repository in it, or the credentials. One
    // request for the first scope alone tells which, without sending refused credentials again
    // for every repository (Docker Hub counts failed logins).
    let probe: Promise<CachedToken> | undefined;
    const probed = (error: unknown): Promise<CachedToken> => {
      if (!(error instanceof RegistryError && error.code === 'UNAUTHORIZED')) return Promise.reject(error);
      probe ??= this.fetchToken(registry, auth, [scope], signal);
      return probe;
    };
    let own: Promise<CachedToken> = shared;
    for (const each of scopes) {
      // A single-scope answer is taken as is: a realm may grant fewer actions than asked, which is
      // not an error until the registry refuses a request. A shared one must cover the scope.
      const entry: Promise<CachedToken> =
        scopes.length === 1
          ? shared
          : shared.then(
              (granted) => (covers(granted, each) ? granted : this.fetchToken(registry, auth, [each], signal)),
              (error: unknown) => {
                if (error instanceof RegistryError && error.code === 'UNAUTHORIZED') {
                  // the probe decides: refused again means the credentials, for every scope
                  return probed(error).then((token) => (each === scope ? token : this.fetchToken(registry, auth, [each], signal)));
                }
                // a realm that limits scopes per request or the URL's length: one request per scope
                if (error instanceof RegistryError && (error.code === 'BAD_RESPONSE' || [400, 413, 414].includes(error.status))) {
                  return this.fetchToken(registry, auth, [each], signal);
                }
                // an outage (5xx after retries, timeouts): splitting would only multiply the requests
                return Promise.reject(error);
              },
            );
      const key = `${registry}|${each}`;
      this.tokens.set(key, entry);
      entry.catch(() => {
        if (this.tokens.get(key) === entry) this.tokens.delete(key);
      });
      if (each === scope) own = entry;
    }
    return own;
  }

  /**
   * A sliding window over the plan: while fewer than one request's worth of fetched tokens are
   * waiting for their images, the next planned scopes are asked for now, so no image stands
   * waiting for a token request at a batch boundary (and tokens are not fetched long before use,
   * which matters where they live 60 s).
   */
  private keepAhead(registry: string, auth: BearerAuth, signal?: AbortSignal): void {
    const planned = this.planned.get(registry);
    if (!planned || planned.size === 0 || (this.ahead.get(registry)?.size ?? 0) >= this.scopesPerRequest()) return;
    const next = planned.values().next().value;
    if (next === undefined) return;
    // errors reach the images that wait for these tokens; nothing to handle here
    this.request(registry, auth, next, signal).catch(() => undefined);
    // the first scope of a request is the one asked for; here no image asked yet
    this.ahead.get(registry)?.add(next);
  }

  /** Up to scopesPerRequest - 1 planned scopes besides `scope` that have no token yet, taken off the plan. */
  private takePlanned(registry: string, scope: string): string[] {
    const planned = this.planned.get(registry);
    if (!planned) return [];
    planned.delete(scope);
    const taken: string[] = [];
    const room = this.scopesPerRequest() - 1;
    let length = scope.length;
    for (const candidate of planned) {
      // long repository names: keep the realm URL well under the common 8 KiB request-line limit
      if (taken.length >= room || length + candidate.length > MAX_SCOPE_CHARS) break;
      length += candidate.length;
      planned.delete(candidate);
      if (!this.tokens.has(`${registry}|${candidate}`)) taken.push(candidate);
    }
    return taken;
  }

  private async fetchToken(registry: string, auth: BearerAuth, scopes: string[], signal?: AbortSignal): Promise<CachedToken> {
    // a batch is asked for with its first repository's credential; a scope it does not cover
    // (another namespace's account) gets a token of its own, asked with that repository's
    const lookup = await this.credentialsFor(registry, repositoryOfScope(scopes[0]!));
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
    // Not followed: a redirect would replay the credentials (an identity token in the body) elsewhere.
    const response = await this.options.transport.send({ method, url, headers, body, registry, signal, maxBodyBytes: 256 * 1024, followRedirects: false });
    if (response.status === 401 || response.status === 403) {
      const error = credential ? this.refusedCredentials(registry, lookup, response.status) : this.missingCredentials(registry, lookup);
      // A single-scope refusal is about the credentials (a batch's may be about one repository
      // in it; its probe is single-scope): remember it for the rest of the run.
      if (scopes.length === 1) this.refused.set(this.refusalKey(registry, lookup), error);
      throw error;
    }
    if (response.status >= 300 && response.status < 400) {
      throw new RegistryError(
        `${registry}'s token service ${realm.origin} answered a redirect (${response.status}); retag does not follow it with credentials. ` +
          'Point the registry at its token service directly',
        { code: 'BAD_RESPONSE', status: response.status, registry, request: { method, url: redactUrl(url) } },
      );
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
    // a token living under 20 s keeps half its life, not none: else every request would fetch one
    const lifetimeMs = seconds * 1000;
    const expiresAt = this.now() + lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2);
    // Only a token shared by several scopes needs to say what it grants.
    return scopes.length > 1 ? { token, expiresAt, access: jwtAccess(token), shared: true } : { token, expiresAt };
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

/** The one place a password is revealed, straight into the header that carries it. */
function basicHeader(credential: { username: string; password: Secret }): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password.reveal()}`).toString('base64')}`;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Realm URLs may carry their own query (`?account=x`); ours is appended to it. */
function mergeQuery(realm: URL, params: URLSearchParams): string {
  const merged = new URLSearchParams(realm.search);
  for (const [key, value] of params) merged.append(key, value);
  return merged.toString();
}

function scopeOf(repository: string, access: Access): string {
  return `repository:${repository}:${access}`;
}

function repositoryOfScope(scope: string): string {
  return scope.slice(scope.indexOf(':') + 1, scope.lastIndexOf(':'));
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
function covers(granted: CachedToken, scope: string): boolean {
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
