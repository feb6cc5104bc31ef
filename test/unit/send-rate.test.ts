import { describe, expect, it } from 'vitest';
import { SendRate, type SendRateClock } from '../../functions/notifications/send-rate.ts';

/** A clock that only moves when the code under test sleeps: rates are proven by arithmetic, not by timing. */
const manualClock = (): SendRateClock & { slept: number[]; at: () => number } => {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    slept,
    at: () => now,
  };
};

describe('the send rate (token bucket)', () => {
  it('sends 14 a second at 14 a second: 141 sends take 10 s on the clock', async () => {
    const clock = manualClock();
    const rate = new SendRate(14, clock);
    const start = clock.at();
    for (let send = 0; send < 141; send++) expect(await rate.take()).toBe(true);
    // The first goes at once, each of the other 140 waits 1/14 s (rounded up to a whole ms).
    const elapsed = clock.at() - start;
    expect(elapsed).toBeGreaterThanOrEqual(10_000);
    expect(elapsed).toBeLessThanOrEqual(10_000 + 140);
  });

  it('never lets more than perSecond sends into any one-second window', async () => {
    const clock = manualClock();
    const rate = new SendRate(7, clock);
    const sentAt: number[] = [];
    for (let send = 0; send < 50; send++) {
      await rate.take();
      sentAt.push(clock.at());
    }
    const busiestWindow = Math.max(
      ...sentAt.map((at) => sentAt.filter((other) => other >= at && other < at + 1000).length),
    );
    expect(busiestWindow).toBe(7);
  });

  it('saves up no more than one send while idle', async () => {
    const clock = manualClock();
    const rate = new SendRate(5, clock);
    await rate.take();
    await clock.sleep(60_000);
    clock.slept.length = 0;
    await rate.take();
    expect(clock.slept).toEqual([]);
    await rate.take();
    expect(clock.slept).toEqual([200]);
  });

  it('answers false, taking nothing and waiting for nothing, when the next token comes after the deadline', async () => {
    const clock = manualClock();
    const rate = new SendRate(2, clock);
    await rate.take();
    expect(await rate.take(clock.at() + 499)).toBe(false);
    expect(clock.slept).toEqual([]);
    expect(await rate.take(clock.at() + 500)).toBe(true);
    expect(clock.slept).toEqual([500]);
  });

  it('refuses a rate of zero or less', () => {
    expect(() => new SendRate(0)).toThrow(/above 0/);
  });
});
