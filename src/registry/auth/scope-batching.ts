// Which scopes go into one token request. When the run's repositories are planned ahead (plan()),
// one request asks for the scopes of up to `scopesPerRequest` upcoming repositories at once (the
// token spec allows repeated `scope` parameters), and a sliding window keeps one request's worth
// of tokens fetched ahead of the images. Bookkeeping only; tokens.ts sends.

/** Scope text per token request, before URL encoding (which adds about a fifth). */
const MAX_SCOPE_CHARS = 4000;

export const DEFAULT_SCOPES_PER_REQUEST = 25;

export class ScopePlan {
  /** per registry, scopes the run will need and no token request has asked for yet, in run order */
  private readonly planned = new Map<string, Set<string>>();
  /** per registry, scopes fetched ahead of need whose images have not asked yet */
  private readonly ahead = new Map<string, Set<string>>();

  /**
   * Planned repositories whose scopes go into one token request (default 25; 1 asks per
   * repository). Bounded so the realm URL stays well under common 8 KiB request-line limits.
   */
  readonly scopesPerRequest: number;

  constructor(scopesPerRequest?: number) {
    this.scopesPerRequest = Math.max(1, Math.floor(scopesPerRequest ?? DEFAULT_SCOPES_PER_REQUEST));
  }

  /** The scopes a run will need, in order. Only a hint: a scope never planned is asked for when needed. */
  plan(registry: string, scopes: Iterable<string>): void {
    if (this.scopesPerRequest <= 1) return;
    let planned = this.planned.get(registry);
    if (!planned) {
      planned = new Set();
      this.planned.set(registry, planned);
    }
    for (const scope of scopes) planned.add(scope);
  }

  /** An image asked for this scope's token: it is no longer waiting ahead. */
  used(registry: string, scope: string): void {
    this.ahead.get(registry)?.delete(scope);
  }

  /**
   * Up to scopesPerRequest - 1 planned scopes to ask for with `scope`, taken off the plan and
   * counted as fetched ahead; `known` tells which already have a token.
   */
  take(registry: string, scope: string, known: (scope: string) => boolean): string[] {
    const planned = this.planned.get(registry);
    if (!planned) return [];
    planned.delete(scope);
    const taken: string[] = [];
    const room = this.scopesPerRequest - 1;
    let length = scope.length;
    for (const candidate of planned) {
      // long repository names: keep the realm URL well under the common 8 KiB request-line limit
      if (taken.length >= room || length + candidate.length > MAX_SCOPE_CHARS) break;
      length += candidate.length;
      planned.delete(candidate);
      if (!known(candidate)) taken.push(candidate);
    }
    const ahead = this.ahead.get(registry) ?? new Set<string>();
    this.ahead.set(registry, ahead);
    for (const each of taken) ahead.add(each);
    return taken;
  }

  /**
   * The sliding window: while fewer than one request's worth of fetched tokens wait for their
   * images, the next planned scope to ask for now (so no image stands waiting for a token request
   * at a batch boundary, and tokens are not fetched long before use, which matters where they
   * live 60 s). It counts as ahead: no image asked for it yet.
   */
  nextAhead(registry: string): string | undefined {
    const planned = this.planned.get(registry);
    if (!planned || planned.size === 0 || (this.ahead.get(registry)?.size ?? 0) >= this.scopesPerRequest) return undefined;
    return planned.values().next().value;
  }

  markAhead(registry: string, scope: string): void {
    const ahead = this.ahead.get(registry) ?? new Set<string>();
    this.ahead.set(registry, ahead);
    ahead.add(scope);
  }
}
