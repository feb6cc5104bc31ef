import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableTokens,
  type AppRate,
  type LeaseOutcome,
  type LeaseWrite,
  type RateBuckets,
} from '../../functions/core/app-rate.ts';
import { AppRateLimiter } from '../../functions/core/app-rate-limiter.ts';

/**
 * The shared buckets in memory, with exactly the two conditional writes functions/store/app-rates.ts makes (the
 * integration test runs the same limiter against the embedded store). Counts the writes.
 */
class MemoryBuckets implements RateBuckets {
  readonly tats = new Map<string, number>();
  writes = 0;

  lease(write: LeaseWrite): Promise<LeaseOutcome> {
    this.writes++;
    const tat = this.tats.get(write.appId);
    if (write.form === 'busy' && tat !== undefined && tat > write.now && tat <= write.busyMaxTat) {
      this.tats.set(write.appId, tat + write.addMs);
      return Promise.resolve({ ok: true, tat: tat + write.addMs });
    }
    if (write.form === 'idle' && (tat === undefined || tat <= write.now)) {
      this.tats.set(write.appId, write.idleTat);
      return Promise.resolve({ ok: true, tat: write.idleTat });
    }
    return Promise.resolve({ ok: false, tat });
  }
}

const APP = { appId: 'app-1', appName: 'Flooding App' };

/** The most admissions any window of the admissions' own span holds, against what the bound allows for it. */
const worstWindowExcess = (admittedAt: number[], rate: AppRate, leaseMs: number): number => {
  let worst = -Infinity;
  for (let i = 0; i < admittedAt.length; i++) {
    for (let j = i; j < admittedAt.length; j++) {
      const span = admittedAt[j]! - admittedAt[i]!;
      const allowed = rate.burst + (rate.ratePerSecond * (span + leaseMs)) / 1000;
      worst = Math.max(worst, j - i + 1 - allowed);
    }
  }
  return worst;
};

/** The most one lease takes: the rate over one lease, at most half the burst (functions/core/app-rate.ts). */
const leaseCap = (rate: AppRate, leaseMs: number) =>
  Math.min(
    Math.max(1, Math.floor((rate.burst + 1) / 2)),
    Math.max(1, Math.ceil((rate.ratePerSecond * leaseMs) / 1000)),
  );

const scenario = fc.record({
  rate: fc.record({ ratePerSecond: fc.integer({ min: 1, max: 50 }), burst: fc.integer({ min: 1, max: 40 }) }),
  leaseMs: fc.integer({ min: 50, max: 2_000 }),
  containers: fc.integer({ min: 1, max: 5 }),
  // Floods (no time between calls), steady calls, and idle gaps longer than a lease, mixed.
  calls: fc.array(
    fc.record({
      container: fc.nat(4),
      afterMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 300, max: 5_000 })),
    }),
    { minLength: 1, maxLength: 300 },
  ),
});

describe('the per-app rate limiter (containers leasing from one shared GCRA bucket, on a fake clock)', () => {
  it('admits at most burst + rate × (w + lease) in any window of w, and refuses only when the bucket cannot give a lease', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ rate, leaseMs, containers, calls }) => {
        let now = 1_700_000_000_000;
        const buckets = new MemoryBuckets();
        const limiters = Array.from(
          { length: containers },
          () => new AppRateLimiter(buckets, { defaults: rate, leaseMs, now: () => now }),
        );
        const admittedAt: number[] = [];
        for (const call of calls) {
          now += call.afterMs;
          const decision = await limiters[call.container % containers]!.take(APP);
          expect(decision.remaining).toBeGreaterThanOrEqual(0);
          expect(decision.remaining).toBeLessThanOrEqual(rate.burst);
          expect(decision.resetSeconds).toBeGreaterThanOrEqual(0);
          if (decision.admitted) {
            admittedAt.push(now);
            continue;
          }
          expect(decision.remaining).toBe(0);
          expect(Number.isInteger(decision.retryAfterSeconds)).toBe(true);
          expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          // Under-admission is bounded: a refusal means the shared bucket cannot give one lease (2k − 1 tokens).
          expect(availableTokens(rate, buckets.tats.get(APP.appId), now)).toBeLessThan(2 * leaseCap(rate, leaseMs) - 1);
        }
        expect(worstWindowExcess(admittedAt, rate, leaseMs)).toBeLessThanOrEqual(1e-9);
      }),
    );
  });

  it('never refuses one container calling at half its rate or slower, whatever its pattern', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ ratePerSecond: fc.integer({ min: 1, max: 50 }), burst: fc.integer({ min: 1, max: 40 }) }),
        fc.integer({ min: 50, max: 2_000 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
        async (rate, leaseMs, extraGaps) => {
          let now = 1_700_000_000_000;
          const limiter = new AppRateLimiter(new MemoryBuckets(), { defaults: rate, leaseMs, now: () => now });
          const slowest = (2 * 1000) / rate.ratePerSecond;
          for (const extra of extraGaps) {
            now += slowest + extra;
            expect((await limiter.take(APP)).admitted).toBe(true);
          }
        },
      ),
    );
  });

  it('tokens a container holds past their lease are not spent: idle containers cannot add their leases to a flood', async () => {
    let now = 1_700_000_000_000;
    const rate = { ratePerSecond: 10, burst: 10 };
    const buckets = new MemoryBuckets();
    const limiters = Array.from(
      { length: 4 },
      () => new AppRateLimiter(buckets, { defaults: rate, leaseMs: 1_000, now: () => now }),
    );
    // Each container leases a chunk with one call, then all sit idle while the bucket refills.
    for (const limiter of limiters) expect((await limiter.take(APP)).admitted).toBe(true);
    // Longer than a lease, shorter than the bucket takes to refill what was leased from it and more.
    now += 1_500;
    let admitted = 0;
    for (let round = 0; round < 50; round++)
      for (const limiter of limiters) if ((await limiter.take(APP)).admitted) admitted++;
    // No time passed during the flood: at most the burst, however many containers held tokens from before.
    expect(admitted).toBe(rate.burst);
  });

  it('a flooding container costs one write per lease and none per refused call', async () => {
    let now = 1_700_000_000_000;
    const buckets = new MemoryBuckets();
    const rate = { ratePerSecond: 10, burst: 20 };
    const limiter = new AppRateLimiter(buckets, { defaults: rate, leaseMs: 1_000, now: () => now });
    let admitted = 0;
    // 10 s of 1,000 calls a second.
    for (let call = 0; call < 10_000; call++) {
      now += 1;
      if ((await limiter.take(APP)).admitted) admitted++;
    }
    // The rate over 10 s plus the burst, within the bound, and most of it.
    expect(admitted).toBeLessThanOrEqual(20 + 10 * 11);
    expect(admitted).toBeGreaterThanOrEqual(10 * 10);
    // Each refill of the burst (about 2 s) is leased in a lease of half of it and its halving tail (10, 5, 2, 1,
    // 1): at most 1 + log2(burst) writes each, never one per call; the 9,900 refused calls cost none.
    expect(buckets.writes).toBeLessThanOrEqual(admitted);
    expect(buckets.writes).toBeLessThanOrEqual(Math.ceil(10 / 1.9 + 1) * (1 + Math.log2(20)));
  });

  it('takes the app’s own limits over the defaults, and refuses with the app’s rate', async () => {
    const now = 1_700_000_000_000;
    const limiter = new AppRateLimiter(new MemoryBuckets(), {
      defaults: { ratePerSecond: 1_000, burst: 1_000 },
      leaseMs: 1_000,
      now: () => now,
    });
    const app = { ...APP, limits: { ratePerSecond: 2, burst: 3 } };
    const decisions = [];
    for (let call = 0; call < 4; call++) decisions.push(await limiter.take(app));
    expect(decisions.map((decision) => decision.admitted)).toEqual([true, true, true, false]);
    expect(decisions[3]).toMatchObject({ rate: { ratePerSecond: 2, burst: 3 }, remaining: 0 });
    // Three tokens of 1/2 s spent: this container tries the bucket again once it can give a lease like its last
    // (2 tokens, so 3 in the bucket: 1.5 s), in whole seconds.
    expect(decisions[3]?.retryAfterSeconds).toBe(2);
    expect(decisions[0]).toMatchObject({ rate: { ratePerSecond: 2, burst: 3 }, resetSeconds: 1 });
  });

  it('keeps at most maxApps apps, forgetting the one seen least recently (whose next call leases again)', async () => {
    const now = 1_700_000_000_000;
    const buckets = new MemoryBuckets();
    const limiter = new AppRateLimiter(buckets, {
      defaults: { ratePerSecond: 100, burst: 100 },
      leaseMs: 1_000,
      maxApps: 2,
      now: () => now,
    });
    const apps = ['a', 'b', 'c'].map((appId) => ({ appId, appName: appId }));
    for (const app of [apps[0]!, apps[1]!, apps[0]!, apps[2]!]) await limiter.take(app);
    // a (seen again after b) is kept, b is forgotten when c arrives: a spends a held token, b leases anew.
    const before = buckets.writes;
    await limiter.take(apps[0]!);
    expect(buckets.writes).toBe(before);
    await limiter.take(apps[1]!);
    // Having forgotten its tat too, it first tries the idle form, which its busy bucket refuses, then the busy one.
    expect(buckets.writes).toBe(before + 2);
  });

  it('apps never share a bucket: one app over its rate leaves another untouched', async () => {
    const now = 1_700_000_000_000;
    const limiter = new AppRateLimiter(new MemoryBuckets(), {
      defaults: { ratePerSecond: 1, burst: 2 },
      leaseMs: 1_000,
      now: () => now,
    });
    const other = { appId: 'app-2', appName: 'Other' };
    for (let call = 0; call < 5; call++) await limiter.take(APP);
    expect((await limiter.take(APP)).admitted).toBe(false);
    expect((await limiter.take(other)).admitted).toBe(true);
  });
});
