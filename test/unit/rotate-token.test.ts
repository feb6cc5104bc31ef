import { describe, expect, it } from 'vitest';
import type { AppStore } from '../../functions/store/apps.ts';
import { rotateToken } from '../../infra/admin/rotate.ts';

/** The two calls rotate makes, answered as a store with one live token of app A would. */
const storeWithOneToken: Pick<AppStore, 'rotate' | 'currentTokenHash'> = {
  currentTokenHash: () => Promise.resolve('hash-of-current'),
  rotate: () => Promise.resolve({ ok: true, app: { appId: 'A', appName: 'App A' } }),
};
const now = new Date('2030-01-02T09:30:00.000Z');
const stopsBy = async (graceSeconds: number, cacheTtlMs: number) => {
  const outcome = await rotateToken(storeWithOneToken, { appId: 'A' }, graceSeconds, cacheTtlMs, now);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.printed.OldTokenStopsWorkingBy;
};

describe('when rotate says the old token stops working', () => {
  it('is the cache TTL from now without a grace: a warm function may trust the old token that long', async () => {
    expect(await stopsBy(0, 60_000)).toBe('2030-01-02T09:31:00.000Z');
    expect(await stopsBy(0, 0)).toBe('2030-01-02T09:30:00.000Z');
  });

  it('is the later of the grace and the TTL', async () => {
    expect(await stopsBy(3_600, 60_000)).toBe('2030-01-02T10:30:00.000Z');
    expect(await stopsBy(30, 120_000)).toBe('2030-01-02T09:32:00.000Z');
  });
});
