import { setImmediate as nextTurn } from 'node:timers/promises';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import type { LeaseWrite, RateBuckets } from '../../functions/core/app-rate.ts';
import { AppRateLimiter } from '../../functions/core/app-rate-limiter.ts';
import { AppRateStore } from '../../functions/store/app-rates.ts';
import { config, documentClient } from '../support/dependencies.ts';

const RATE = { ratePerSecond: 20, burst: 20 };
const LEASE_MS = 1_000;
const CONTAINERS = 4;
const FLOOD_MS = 2_500;

/** One container: its own limiter on the shared table, its own clock reading (the instant each decision used). */
const container = (buckets: RateBuckets) => {
  let lastNow = 0;
  const limiter = new AppRateLimiter(buckets, {
    defaults: RATE,
    leaseMs: LEASE_MS,
    now: () => (lastNow = Date.now()),
  });
  return { limiter, decidedAt: () => lastNow };
};

describe('the per-app rate limit, several containers against one table (the embedded store)', () => {
  it('admits no more than burst + rate × (w + lease) in any window of w, with one write per lease and none per refusal', async () => {
    const store = new AppRateStore(documentClient, config.tableName);
    const writes: LeaseWrite[] = [];
    const counted: RateBuckets = { lease: (write) => (writes.push(write), store.lease(write)) };
    const app = { appId: ulid(), appName: 'Flooding App' };
    const admittedAt: number[] = [];
    let refused = 0;
    const retryAfters = new Set<number>();
    const until = Date.now() + FLOOD_MS;
    // Every container calls as fast as it can, all at once, for the whole flood.
    await Promise.all(
      Array.from({ length: CONTAINERS }, async () => {
        const { limiter, decidedAt } = container(counted);
        while (Date.now() < until) {
          const decision = await limiter.take(app);
          if (decision.admitted) admittedAt.push(decidedAt());
          else {
            refused++;
            retryAfters.add(decision.retryAfterSeconds);
          }
          await nextTurn();
        }
      }),
    );
    admittedAt.sort((a, b) => a - b);

    let worst = -Infinity;
    for (let i = 0; i < admittedAt.length; i++) {
      for (let j = i; j < admittedAt.length; j++) {
        const allowed = RATE.burst + (RATE.ratePerSecond * (admittedAt[j]! - admittedAt[i]! + LEASE_MS)) / 1000;
        worst = Math.max(worst, j - i + 1 - allowed);
      }
    }
    console.log(
      `rate limit, ${CONTAINERS} containers flooding one app for ${FLOOD_MS} ms at ${RATE.ratePerSecond}/s (burst ` +
        `${RATE.burst}): ${admittedAt.length} admitted, ${refused} refused, ${writes.length} lease writes`,
    );
    expect(worst).toBeLessThanOrEqual(0);
    // The flood was refused (its refusals carry a Retry-After of whole seconds), and it was no trickle: its
    // containers together got at least the burst.
    expect(refused).toBeGreaterThan(0);
    expect([...retryAfters].every((seconds) => Number.isInteger(seconds) && seconds >= 1)).toBe(true);
    expect(admittedAt.length).toBeGreaterThanOrEqual(RATE.burst);
    // Refused calls cost no write: the writes are a few per lease, far fewer than the calls.
    expect(writes.length).toBeLessThan(admittedAt.length + refused);
    expect(writes.length).toBeLessThanOrEqual(admittedAt.length * 2);
  });

  it('learns the bucket from a refused lease through a consistent read, where the store returns no old item', async () => {
    const store = new AppRateStore(documentClient, config.tableName);
    const app = { appId: ulid(), appName: 'Learning App' };
    const now = Date.now();
    const fillBucket = {
      appId: app.appId,
      form: 'idle' as const,
      now,
      addMs: 20 * 50,
      busyMaxTat: now,
      idleTat: now + 20 * 50,
    };
    expect(await store.lease(fillBucket)).toEqual({ ok: true, tat: now + 1_000 });
    // The bucket is not idle now: the same idle write is refused, and says where the bucket stands.
    expect(await store.lease(fillBucket)).toEqual({ ok: false, tat: now + 1_000 });
    // A busy write that fits lands on top of it.
    expect(await store.lease({ ...fillBucket, form: 'busy', addMs: 50, busyMaxTat: now + 2_000 })).toEqual({
      ok: true,
      tat: now + 1_050,
    });
  });
});
