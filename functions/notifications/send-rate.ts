import { setTimeout as delay } from 'node:timers/promises';

export interface SendRateClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const BUCKET_SIZE = 1;

const systemClock: SendRateClock = { now: () => Date.now(), sleep: (ms) => delay(ms) };

/**
 * A token bucket holding the mailer to the mail service's send rate: `perSecond` tokens a second, at most one
 * saved up, so sends are evenly spaced and no one-second window ever holds more than `perSecond` of them (a
 * bigger bucket would let a burst and its refill double the rate within a second, which SES throttles). Each
 * send takes a token, waiting for one when the bucket is empty, but never past the caller's deadline: then it
 * answers false and takes nothing, so the caller leaves the rest for its retry instead of being stopped mid-send.
 */
export class SendRate {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly clock: SendRateClock = systemClock,
  ) {
    if (!(perSecond > 0)) throw new Error('A send rate must be above 0 messages per second');
    this.tokens = BUCKET_SIZE;
    this.updatedAt = clock.now();
  }

  /** Takes one token, waiting as long as needed; false (and no token) if that would be past `deadline` (epoch ms). */
  async take(deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return true;
      }
      const waitMs = Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
      if (this.clock.now() + waitMs > deadline) return false;
      await this.clock.sleep(waitMs);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(BUCKET_SIZE, this.tokens + ((now - this.updatedAt) * this.perSecond) / 1000);
    this.updatedAt = now;
  }
}
