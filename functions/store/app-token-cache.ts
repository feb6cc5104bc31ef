import { sha256Hex } from '../core/signing-token.ts';
import type { App } from '../core/app.ts';
import type { TokenHolder } from './apps.ts';

/**
 * Remembers which app a token belongs to for a short time, so a warm recall costs one store call (its
 * conditional write). Revoking a token therefore takes effect within `ttlMs` in every warm container.
 * Unknown tokens are not remembered: a token created a moment ago works at once. Keys are token hashes,
 * so no token is held in memory longer than its request. A token in a rotation's grace period is remembered only
 * until its `validUntil`: the cache never stretches the grace the operator chose. The app's limits come with it
 * (they are stored on the token item), so a change by `npm run app -- limits` also takes effect within `ttlMs`
 * in every warm container.
 */
export class AppTokenCache {
  private readonly entries = new Map<string, { app: App; until: number }>();

  constructor(
    private readonly lookup: (tokenHash: string) => Promise<TokenHolder | undefined>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 1_000,
  ) {}

  async find(token: string): Promise<App | undefined> {
    const key = sha256Hex(token);
    const cached = this.entries.get(key);
    if (cached && cached.until > this.now()) return cached.app;
    this.entries.delete(key);
    const holder = await this.lookup(key);
    if (!holder) return undefined;
    const until = Math.min(this.now() + this.ttlMs, holder.validUntil ?? Infinity);
    if (until > this.now()) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { app: holder.app, until });
    }
    return holder.app;
  }
}
