// Tokens per `registry|scope`, shared by every image of the run: concurrent images wait for one
// in-flight request instead of starting their own, and a token serves until shortly before it
// expires (token-service.ts sets the margin).

import type { CachedToken } from './types.js';

export class TokenCache {
  private readonly entries = new Map<string, Promise<CachedToken>>();
  /** keys whose shared token a registry refused: they get tokens of their own from then on */
  private readonly solo = new Set<string>();

  constructor(private readonly now: () => number) {}

  get(key: string): Promise<CachedToken> | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** A failed request leaves no entry behind: the next image asks again. */
  set(key: string, entry: Promise<CachedToken>): void {
    this.entries.set(key, entry);
    entry.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
  }

  isFresh(token: CachedToken): boolean {
    return token.expiresAt > this.now();
  }

  isSolo(key: string): boolean {
    return this.solo.has(key);
  }

  /** Forget a token the registry refused; whether it was a shared one decides if a new one may help. */
  async invalidate(key: string): Promise<{ wasShared: boolean }> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    this.solo.add(key); // a shared token failed it once: the next one is its own
    const refused = entry ? await entry.catch(() => undefined) : undefined;
    return { wasShared: refused?.shared === true };
  }
}
