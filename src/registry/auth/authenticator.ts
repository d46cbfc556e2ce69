// Registry authentication for one run: anonymous, Basic, and the Bearer token flow
// (https://distribution.github.io/distribution/spec/auth/token/), behind one hook, send(), that
// owns the whole 401 exchange. The client hands it a function that sends its request with a given
// Authorization header; send() picks the header, and on a 401 renews a refused token, learns the
// challenge of a registry whose /v2/ was open, or remembers refused credentials.
//
// The scheme is learnt once per registry (one GET /v2/); tokens are cached per registry and scope
// (tokens.ts); a credential is tested by one request before others carry it (credential-gate.ts).

import type { CredentialLookup, CredentialStore } from '../credentials.js';
import { RegistryError, redactUrl } from '../errors.js';
import { retrySuffix, type HttpResponse, type Transport } from '../transport.js';
import { isInsufficientScope, schemeOf } from './challenge.js';
import { missingCredentials, refusedCredentials } from './credential-errors.js';
import { CredentialGate, type Outcome, type Verdict } from './credential-gate.js';
import { ScopePlan } from './scope-batching.js';
import { TokenCache } from './token-cache.js';
import { basicHeader, fetchToken } from './token-service.js';
import { Tokens, type BatchAnswer, type FetchScopes } from './tokens.js';
import { repositoryOfScope, scopeOf, type Access, type AuthTarget, type BearerAuth, type RegistryAuth } from './types.js';

export interface AuthenticatorOptions {
  transport: Transport;
  credentials: CredentialStore;
  /** base URL of a registry's API, http or https as the transport rules decide */
  baseUrl(registry: string): string;
  /** decides http or https for a registry before its first request (tls-policy.ts) */
  settle?(registry: string, signal?: AbortSignal): Promise<void>;
  /** hosts where plain HTTP is allowed, so Basic credentials may go there unencrypted */
  isInsecure(host: string): boolean;
  now?: () => number;
  /** planned repositories whose scopes go into one token request (see scope-batching.ts) */
  scopesPerRequest?: number;
  /**
   * The run only reads (a dry-run) and asks for push only to learn whether it would be granted.
   * A token service that refuses such a request outright (401/403) instead of granting the subset
   * the account holds is then asked for pull alone, and push is reported unchecked (pushUnchecked).
   */
  pushOptional?: boolean;
}

/** Sends the request with this Authorization header (none when undefined). */
export type SendWith = (authorization: string | undefined) => Promise<HttpResponse>;

export class Authenticator {
  private readonly registries = new Map<string, Promise<RegistryAuth>>();
  private readonly lookups = new Map<string, Promise<CredentialLookup>>();
  private readonly gate = new CredentialGate();
  private readonly scopes: ScopePlan;
  private readonly cache: TokenCache;
  private readonly tokens: Tokens;
  /** token requests made, for the benchmark's figures */
  tokenFetches = 0;
  /** per registry, the token service's refusal of a token with push (pushOptional runs only) */
  private readonly pushRefusals = new Map<string, RegistryError>();

  constructor(private readonly options: AuthenticatorOptions) {
    this.scopes = new ScopePlan(options.scopesPerRequest);
    this.cache = new TokenCache(() => this.now());
    const fetchScopes: FetchScopes = (registry, auth, scopes, signal) => this.fetchScopes(registry, auth, scopes, signal);
    this.tokens = new Tokens(this.cache, this.scopes, fetchScopes, options.pushOptional ? pullAlone : undefined);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /**
   * The repositories a run will visit, in order, so token requests can ask for several at once.
   * Only a hint: a repository never planned still gets its token when first asked for.
   */
  plan(registry: string, repositories: Iterable<string>, access: Access): void {
    // a scope that already has a token (apply's push-grant check fetched it) is not planned again
    const scopes = [...repositories].map((repository) => scopeOf(repository, access)).filter((scope) => !this.cache.has(`${registry}|${scope}`));
    this.scopes.plan(registry, scopes);
  }

  /**
   * Sends a request for `target` with the Authorization it needs, and owns the 401 exchange:
   * a refused cached token is renewed once (not when the registry says the token lacks the action
   * and it was the repository's own), a 401 after an open /v2/ teaches the challenge and the
   * request goes again with credentials, refused Basic credentials are remembered and thrown.
   * Any other answer, a final 401 included, is the caller's to read.
   */
  async send(target: AuthTarget, sendWith: SendWith, signal?: AbortSignal): Promise<HttpResponse> {
    const first = await this.attempt(target, sendWith, signal);
    if (first.response.status !== 401) return first.response;
    const challenge = first.response.headers['www-authenticate'];
    if (first.scheme === 'bearer') {
      // a cached token the registry no longer takes (expired early, revoked, shared but not covering this repository)
      const { wasShared } = await this.invalidate(target.registry, target.repository, target.access);
      if (!isInsufficientScope(challenge) || wasShared) return (await this.attempt(target, sendWith, signal)).response;
      return first.response;
    }
    // /v2/ was open but this request wants credentials: sent again as the challenge asks
    if (first.scheme === 'none' && this.relearn(target.registry, challenge)) return (await this.attempt(target, sendWith, signal)).response;
    return first.response;
  }

  private async attempt(target: AuthTarget, sendWith: SendWith, signal?: AbortSignal): Promise<{ scheme: RegistryAuth['scheme']; response: HttpResponse }> {
    const { registry, repository } = target;
    const auth = await this.learn(registry, signal);
    if (auth.scheme !== 'basic') {
      const authorization = await this.authorization(registry, repository, target.access, signal);
      return { scheme: auth.scheme, response: await sendWith(authorization) };
    }
    const lookup = await this.credentialsFor(registry, repository);
    const header = await this.authorization(registry, repository, target.access, signal);
    // Basic credentials refused: the same header again would only count one more failed login.
    const judge = (outcome: Outcome<HttpResponse>): Verdict => {
      if ('error' in outcome) return 'no-verdict';
      return outcome.value.status === 401 ? { refused: refusedCredentials(registry, lookup, 401) } : 'accepted';
    };
    return { scheme: 'basic', response: await this.gate.through(gateKey(registry, lookup), () => sendWith(header), judge) };
  }

  /** The Authorization header for a repository, or undefined for an anonymous registry. */
  async authorization(registry: string, repository: string, access: Access, signal?: AbortSignal): Promise<string | undefined> {
    const auth = await this.learn(registry, signal);
    if (auth.scheme === 'none') return undefined;
    const lookup = await this.credentialsFor(registry, repository);
    const refusal = this.gate.refusal(gateKey(registry, lookup));
    if (refusal) throw refusal;
    if (auth.scheme === 'bearer') return `Bearer ${await this.tokens.token(registry, auth, scopeOf(repository, access), signal)}`;
    if (lookup.credential?.kind !== 'basic') throw missingCredentials(registry, lookup);
    return basicHeader(lookup.credential);
  }

  /**
   * The actions the token for a repository grants, read from its JWT `access` claim; undefined
   * when that cannot be known (anonymous or Basic registry, an opaque token). Fetches the token
   * the run would fetch anyway (pull,push for apply), so a refusal of push is known before any
   * manifest is read: Docker Hub counts every manifest GET as a pull.
   */
  async grantedActions(registry: string, repository: string, access: Access, signal?: AbortSignal): Promise<string[] | undefined> {
    if ((await this.learn(registry, signal)).scheme !== 'bearer') return undefined;
    await this.authorization(registry, repository, access, signal);
    // a pull-only token standing in for pull,push says nothing about push
    if (access === 'pull,push' && this.pushRefusals.has(registry)) return undefined;
    const cached = await this.cache.get(`${registry}|${scopeOf(repository, access)}`)?.catch(() => undefined);
    if (cached?.claims === undefined) return undefined;
    return cached.claims.filter((entry) => entry.type === 'repository' && entry.name === repository).flatMap((entry) => entry.actions);
  }

  /**
   * Why push could not be checked on a registry: its token service refused a token with push and
   * a pull-only one stands in (pushOptional); undefined when push was asked for and answered.
   */
  pushUnchecked(registry: string): RegistryError | undefined {
    return this.pushRefusals.get(registry);
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

  missingCredentials(registry: string, lookup: CredentialLookup): RegistryError {
    return missingCredentials(registry, lookup);
  }

  /** Forget a token the registry refused (expired early, revoked), so the next call fetches anew. */
  invalidate(registry: string, repository: string, access: Access): Promise<{ wasShared: boolean }> {
    return this.cache.invalidate(`${registry}|${scopeOf(repository, access)}`);
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

  /**
   * A 401 from a registry whose /v2/ answered without asking for credentials (anonymous pulls,
   * authenticated pushes: Nexus, Artifactory): its challenge now says how to authenticate.
   * True when that changed what is sent, so the request is worth sending again.
   */
  private relearn(registry: string, wwwAuthenticate: string | undefined): boolean {
    const auth = schemeOf(wwwAuthenticate);
    if (!auth) return false;
    this.registries.set(registry, Promise.resolve(auth));
    return true;
  }

  private async ping(registry: string, signal?: AbortSignal): Promise<RegistryAuth> {
    await this.options.settle?.(registry, signal);
    const url = `${this.options.baseUrl(registry)}/v2/`;
    const response = await this.options.transport.send({ method: 'GET', url, registry, signal });
    const request = { method: 'GET' as const, url: redactUrl(url) };
    if (response.status === 401) {
      const auth = schemeOf(response.headers['www-authenticate']);
      if (auth) return auth;
      throw new RegistryError(`${registry} answered 401 to GET /v2/ without a usable WWW-Authenticate challenge`, { code: 'BAD_RESPONSE', status: 401, registry, request });
    }
    if (response.status >= 200 && response.status < 300) return { scheme: 'none' };
    if (response.status === 404) {
      throw new RegistryError(`${registry} has no registry API at ${redactUrl(url)} (404); check the registry host in the image name`, { code: 'BAD_RESPONSE', status: 404, registry, request });
    }
    throw new RegistryError(`${registry} answered ${response.status}${retrySuffix(response)} to GET /v2/`, {
      code: response.status >= 500 ? 'HTTP' : 'BAD_RESPONSE',
      status: response.status,
      registry,
      request,
    });
  }

  /**
   * One token request for `scopes`, asked with the first scope's repository's credential (a scope
   * of another namespace's account gets a token of its own, asked with that one's), through the
   * credential gate. A realm that refuses a batch may refuse one repository in it, or the
   * credentials: one request for the first scope alone (the probe) tells which, without sending
   * refused credentials again for every repository.
   */
  private async fetchScopes(registry: string, auth: BearerAuth, scopes: string[], signal?: AbortSignal): Promise<BatchAnswer> {
    const lookup = await this.credentialsFor(registry, repositoryOfScope(scopes[0]!));
    const fetch = (asked: string[]) => {
      this.tokenFetches += 1;
      return fetchToken({ transport: this.options.transport, isInsecure: this.options.isInsecure, now: () => this.now() }, { registry, auth, scopes: asked, lookup, signal });
    };
    const withProbe = async (asked: string[]): Promise<BatchAnswer> => {
      try {
        return { token: await fetch(asked) };
      } catch (error) {
        if (!isUnauthorized(error) || asked.length === 1) throw error;
        return { token: await fetch(asked.slice(0, 1)), probed: true };
      }
    };
    const pushOptional = this.options.pushOptional === true && scopes.some(asksPush);
    const attempt = async (): Promise<BatchAnswer> => {
      if (!pushOptional) return withProbe(scopes);
      // this realm refused push once: asking again would only be refused again
      if (this.pushRefusals.has(registry)) return standIn(await withProbe(scopes.map(pullAlone)));
      try {
        return { token: await fetch(scopes) };
      } catch (error) {
        if (!isUnauthorized(error)) throw error;
        // Refused outright rather than granted the subset (some realms do), or the credentials
        // are wrong: one pull-only request for the first scope tells which. Refused again, it is
        // the credentials (judged below), and a wrong password cost two failed logins, as a
        // refused batch and its probe always did (issue 12), not three.
        const probe = await fetch([pullAlone(scopes[0]!)]);
        this.pushRefusals.set(registry, error);
        if (scopes.length === 1) return standIn({ token: probe });
        const batch = await fetch(scopes.map(pullAlone)).then(
          (token): BatchAnswer => ({ token }),
          // one repository of the batch refused: the others ask alone, as after any probe
          (): BatchAnswer => ({ token: probe, probed: true }),
        );
        return standIn(batch);
      }
    };
    // A single-scope refusal (or the probe's) is about the credentials: remembered for the run.
    const judge = (outcome: Outcome<BatchAnswer>): Verdict => {
      if (!('error' in outcome)) return 'accepted';
      return isUnauthorized(outcome.error) ? { refused: outcome.error } : 'no-verdict';
    };
    return this.gate.through(gateKey(registry, lookup), attempt, judge);
  }
}

/** Credentials are judged per credential: a refused `host/team` entry leaves `host`'s alone. */
function gateKey(registry: string, lookup: CredentialLookup): string {
  return `${registry}|${lookup.source ?? ''}`;
}

const asksPush = (scope: string): boolean => scope.endsWith(':pull,push');
const pullAlone = (scope: string): string => (asksPush(scope) ? `${scope.slice(0, -':pull,push'.length)}:pull` : scope);

/**
 * A pull-only token standing in for the pull,push scopes it was fetched for: it is trusted to
 * cover them (no `access`), since the run only reads and the registry judges every request; its
 * claims are kept, so what it grants can still be read.
 */
function standIn(answer: BatchAnswer): BatchAnswer {
  return { ...answer, token: { ...answer.token, access: undefined } };
}

function isUnauthorized(error: unknown): error is RegistryError {
  return error instanceof RegistryError && error.code === 'UNAUTHORIZED';
}
