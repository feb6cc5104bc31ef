import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../functions/core/signing-token.ts';
import { AppTokenCache } from '../../functions/store/app-token-cache.ts';
import type { TokenHolder } from '../../functions/store/apps.ts';

const setup = (ttlMs: number) => {
  const known = new Map<string, TokenHolder>([[sha256Hex('good-token'), { app: { appId: 'A1', appName: 'Acme' } }]]);
  const lookups: string[] = [];
  let now = 0;
  const cache = new AppTokenCache(
    (hash) => {
      lookups.push(hash);
      return Promise.resolve(known.get(hash));
    },
    ttlMs,
    () => now,
  );
  return { cache, lookups, known, advance: (ms: number) => (now += ms) };
};

describe('AppTokenCache', () => {
  it('looks a known token up once within its TTL, by hash only', async () => {
    const { cache, lookups } = setup(60_000);
    expect(await cache.find('good-token')).toEqual({ appId: 'A1', appName: 'Acme' });
    expect(await cache.find('good-token')).toEqual({ appId: 'A1', appName: 'Acme' });
    expect(lookups).toEqual([sha256Hex('good-token')]);
  });

  it('honours a revocation once the TTL has passed', async () => {
    const { cache, lookups, known, advance } = setup(60_000);
    await cache.find('good-token');
    known.clear();
    advance(59_999);
    expect(await cache.find('good-token')).toBeDefined();
    advance(2);
    expect(await cache.find('good-token')).toBeUndefined();
    expect(lookups).toHaveLength(2);
  });

  it('never remembers an unknown token, so a token created a moment later works at once', async () => {
    const { cache, lookups, known } = setup(60_000);
    expect(await cache.find('new-token')).toBeUndefined();
    known.set(sha256Hex('new-token'), { app: { appId: 'A2', appName: 'New' } });
    expect(await cache.find('new-token')).toEqual({ appId: 'A2', appName: 'New' });
    expect(lookups).toHaveLength(2);
  });

  it('caches nothing with a TTL of zero', async () => {
    const { cache, lookups } = setup(0);
    await cache.find('good-token');
    await cache.find('good-token');
    expect(lookups).toHaveLength(2);
  });

  it("remembers a token in a rotation's grace period no later than the grace ends", async () => {
    const { cache, lookups, known, advance } = setup(60_000);
    known.set(sha256Hex('rotated'), { app: { appId: 'A3', appName: 'Rotated' }, validUntil: 10_000 });
    expect(await cache.find('rotated')).toEqual({ appId: 'A3', appName: 'Rotated' });
    known.delete(sha256Hex('rotated'));
    advance(9_999);
    expect(await cache.find('rotated')).toBeDefined();
    advance(1);
    // Looked up again at the grace's end, not at the TTL's (60 s): the store says it is over.
    expect(await cache.find('rotated')).toBeUndefined();
    expect(lookups).toHaveLength(2);
  });
});
