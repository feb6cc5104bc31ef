import type { App, AppLimits } from './app.ts';

/** An app's rate as the limiter applies it: requests a second over time, and how many it may make at once. */
export interface AppRate {
  ratePerSecond: number;
  burst: number;
}

/** The app's own limits where it has them (`npm run app -- limits`), the stage's defaults otherwise. */
export const appRateOf = (app: App, defaults: AppRate): AppRate => {
  const own: AppLimits = app.limits ?? {};
  return { ratePerSecond: own.ratePerSecond ?? defaults.ratePerSecond, burst: own.burst ?? defaults.burst };
};

/**
 * GCRA (the generic cell rate algorithm): the shared bucket is one number, `tat`, the theoretical arrival time
 * (ms since the epoch) at which the bucket would be full again. Taking k tokens at `now` moves it to
 * max(tat, now) + k·T, and is allowed while that stays within burst·T of now. T is the emission interval.
 */
const emissionMs = (rate: AppRate): number => 1000 / rate.ratePerSecond;

/** Float slack, so 20 tokens of 50 ms fit in 1,000 ms whatever the last bit of a sum says. */
const EPSILON_MS = 1e-6;

/** Whole tokens the shared bucket holds at `now` if its tat is `tat` (undefined: never used, so full). */
export const availableTokens = (rate: AppRate, tat: number | undefined, now: number): number => {
  const interval = emissionMs(rate);
  const used = Math.max(0, (tat ?? now) - now);
  const free = Math.floor((rate.burst * interval - used + EPSILON_MS) / interval);
  return Math.min(rate.burst, Math.max(0, free));
};

/**
 * The most tokens one lease may take from a bucket holding `available`: half of them, rounded up (one of one).
 * A lease always leaves the bucket at least one token fewer than it took, so containers arriving one after
 * another each find some (half, a quarter, ...), and no single lease strands the whole burst in one container.
 */
export const largestLease = (available: number): number => Math.max(1, Math.floor((available + 1) / 2));

/** The tokens the bucket must hold for a lease of `tokens` to pass (the inverse of largestLease). */
export const tokensForLease = (tokens: number): number => 2 * tokens - 1;

/** When the bucket will hold `tokens` whole tokens again (ms since the epoch), given its tat. */
export const instantWithTokens = (rate: AppRate, tat: number, tokens: number): number =>
  tat - (rate.burst - tokens) * emissionMs(rate);

/** Whole seconds until the bucket is full again (the X-RateLimit-Reset header). */
export const secondsUntilFull = (tat: number | undefined, now: number): number =>
  Math.max(0, Math.ceil(((tat ?? now) - now) / 1000));

/**
 * The two conditional writes a lease can be, because DynamoDB has no max() in an update: `busy` when the bucket
 * is not full (tat > now: tat += k·T, allowed while the bucket holds 2k − 1 tokens, see largestLease), `idle`
 * when it is (tat <= now or no item: tat = now + k·T; the limiter never asks more than largestLease(burst)).
 * Exactly one of the two forms applies to any stored tat; each is a GCRA step, stricter by the half.
 */
export type LeaseForm = 'busy' | 'idle';

export const leaseFormFor = (tat: number | undefined, now: number): LeaseForm =>
  tat !== undefined && tat > now ? 'busy' : 'idle';

/** One lease as the store writes it; every number in ms, computed here so the store adapter decides nothing. */
export interface LeaseWrite {
  appId: string;
  form: LeaseForm;
  now: number;
  /** k·T: what the lease adds to tat. */
  addMs: number;
  /** busy: the largest tat that still holds 2k − 1 tokens (largestLease), now + (burst − (2k − 1))·T. */
  busyMaxTat: number;
  /** idle: the tat after the lease, now + k·T. */
  idleTat: number;
}

export const leaseWrite = (appId: string, rate: AppRate, form: LeaseForm, tokens: number, now: number): LeaseWrite => {
  const interval = emissionMs(rate);
  return {
    appId,
    form,
    now,
    addMs: tokens * interval,
    busyMaxTat: now + (rate.burst - tokensForLease(tokens)) * interval + EPSILON_MS,
    idleTat: now + tokens * interval,
  };
};

/** What a lease write did: landed (tat after it), or refused by its condition (tat as it stood, if any). */
export type LeaseOutcome = { ok: true; tat: number } | { ok: false; tat: number | undefined };

/** (port) The shared buckets, one per app: functions/store/app-rates.ts in the table. */
export interface RateBuckets {
  lease(write: LeaseWrite): Promise<LeaseOutcome>;
}
