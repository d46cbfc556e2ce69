// Bearer tokens for the images of a run: one cached token per registry and scope (token-cache.ts),
// several planned scopes per token request (scope-batching.ts), and what to do with a batch's
// answer for each scope in it.

import { RegistryError } from '../errors.js';
import type { ScopePlan } from './scope-batching.js';
import type { TokenCache } from './token-cache.js';
import { covers } from './token-service.js';
import type { BearerAuth, CachedToken } from './types.js';

/** A token request's answer. `probed`: the batch was refused and this is its first scope's own token. */
export interface BatchAnswer {
  token: CachedToken;
  probed?: boolean;
}

/** Sends one token request (through the credential gate) for `scopes`. */
export type FetchScopes = (registry: string, auth: BearerAuth, scopes: string[], signal?: AbortSignal) => Promise<BatchAnswer>;

export class Tokens {
  /**
   * `needs`: the scope a shared token must cover to serve a scope; the scope itself, or for a run
   * that only reads (a dry-run asking push just to learn the grant) its pull part, so a batch
   * granting the subset the account holds serves every repository in one request.
   */
  constructor(
    private readonly cache: TokenCache,
    private readonly plan: ScopePlan,
    private readonly fetch: FetchScopes,
    private readonly needs: (scope: string) => string = (scope) => scope,
  ) {}

  async token(registry: string, auth: BearerAuth, scope: string, signal?: AbortSignal): Promise<string> {
    const key = `${registry}|${scope}`;
    this.plan.used(registry, scope);
    let entry = this.cache.get(key);
    const fresh = !entry;
    entry ??= this.request(registry, auth, scope, signal);
    this.keepAhead(registry, auth, signal);
    const cached = await entry;
    if (fresh || this.cache.isFresh(cached)) return cached.token;
    if (this.cache.get(key) !== entry) return this.token(registry, auth, scope, signal); // another image renewed it
    return (await this.request(registry, auth, scope, signal)).token;
  }

  /**
   * One token request for `scope` and, when the run was planned, the next planned scopes that
   * have no token yet: every scope's cache entry is set at once, so their images wait for this
   * request instead of starting their own.
   */
  private request(registry: string, auth: BearerAuth, scope: string, signal?: AbortSignal): Promise<CachedToken> {
    const ahead = this.cache.isSolo(`${registry}|${scope}`) ? [] : this.plan.take(registry, scope, (each) => this.cache.has(`${registry}|${each}`));
    const scopes = [scope, ...ahead];
    const shared = this.fetch(registry, auth, scopes, signal);
    const own = (each: string): Promise<CachedToken> => this.fetch(registry, auth, [each], signal).then((answer) => answer.token);
    let mine: Promise<CachedToken> | undefined;
    for (const each of scopes) {
      // A single-scope answer is taken as is: a realm may grant fewer actions than asked, which is
      // not an error until the registry refuses a request. A shared one must cover the scope.
      const entry: Promise<CachedToken> =
        scopes.length === 1
          ? shared.then((answer) => answer.token)
          : shared.then(
              (answer) => {
                // the batch was refused but the credentials were not: the others ask one by one
                if (answer.probed) return each === scope ? answer.token : own(each);
                return covers(answer.token, this.needs(each)) ? answer.token : own(each);
              },
              (error: unknown) => {
                // a realm that limits scopes per request or the URL's length: one request per scope
                if (error instanceof RegistryError && (error.code === 'BAD_RESPONSE' || [400, 413, 414].includes(error.status))) return own(each);
                // refused credentials (the probe said so), an outage: splitting would only multiply the requests
                return Promise.reject(error);
              },
            );
      this.cache.set(`${registry}|${each}`, entry);
      if (each === scope) mine = entry;
    }
    return mine!;
  }

  private keepAhead(registry: string, auth: BearerAuth, signal?: AbortSignal): void {
    const next = this.plan.nextAhead(registry);
    if (next === undefined) return;
    // errors reach the images that wait for these tokens; nothing to handle here
    this.request(registry, auth, next, signal).catch(() => undefined);
    // the first scope of a request is the one asked for; here no image asked yet
    this.plan.markAhead(registry, next);
  }
}
