import type { App } from './app.ts';
import {
  appRateOf,
  availableTokens,
  instantWithTokens,
  largestLease,
  leaseFormFor,
  leaseWrite,
  secondsUntilFull,
  tokensForLease,
  type AppRate,
  type RateBuckets,
} from './app-rate.ts';

/** What the limiter decided for one call, and what its X-RateLimit headers say. */
export interface RateDecision {
  admitted: boolean;
  rate: AppRate;
  /** Whole tokens left as this container sees them: its own leased ones and the shared bucket as last seen. */
  remaining: number;
  /** Whole seconds until the shared bucket is full again, as this container last saw it. */
  resetSeconds: number;
  /** On a refusal: whole seconds (>= 1) until this container will try the shared bucket again. */
  retryAfterSeconds: number;
}

export interface RateLimiterOptions {
  /** The stage's rate for apps without their own (APP_RATE_PER_SECOND, APP_RATE_BURST). */
  defaults: AppRate;
  /** How long a leased token may be used (APP_RATE_LEASE_MS): what bounds the overshoot, rate × this. */
  leaseMs: number;
  /** Apps whose state one container keeps; the least recently seen is forgotten first. */
  maxApps?: number;
  now?: () => number;
}

/** One app as this container sees it. */
interface Holding {
  rate: AppRate;
  /** Leased tokens not yet used, good until `validUntil`. */
  tokens: number;
  validUntil: number;
  /** The size the last lease asked for (0: none yet) and how many tokens of the last one were used. */
  wanted: number;
  used: number;
  /** The shared tat as last learned (after this container's own lease, or from a refusal). */
  knownTat: number | undefined;
  /** Until then every call is refused here with no store call: the bucket cannot have the tokens before. */
  limitedUntil: number;
  /** The lease under way, which other calls of this container wait for instead of leasing beside it. */
  leasing: Promise<void> | undefined;
}

/** Lease attempts per call: the predicted form, then the one the learned tat calls for, then once more on a race. */
const MAX_ATTEMPTS = 3;

/**
 * The per-app rate limiter one container (a Lambda execution environment, or the local server) runs. The rate
 * itself lives in one shared GCRA bucket per app (functions/store/app-rates.ts); the container leases tokens
 * from it in chunks and spends them locally, so a warm call holding a token costs no store call. A leased token
 * expires `leaseMs` after its lease, unused or not, which is what bounds the error (docs/design.md, "Per-app
 * rate limits"): admissions in any window of w ms are at most burst + rate·(w + leaseMs), however many
 * containers serve the app. An app over its rate is refused here, with no store call, until the bucket can
 * have the tokens again.
 */
export class AppRateLimiter {
  private readonly holdings = new Map<string, Holding>();
  private readonly now: () => number;
  private readonly maxApps: number;

  constructor(
    private readonly buckets: RateBuckets,
    private readonly options: RateLimiterOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.maxApps = options.maxApps ?? 1_000;
  }

  /** Spends one token of the app's rate, leasing more when this container holds none. */
  async take(app: App): Promise<RateDecision> {
    const holding = this.holdingOf(app);
    for (;;) {
      const now = this.now();
      if (now < holding.limitedUntil) return this.refused(holding, now, holding.limitedUntil);
      if (holding.tokens > 0 && now < holding.validUntil) {
        holding.tokens -= 1;
        holding.used += 1;
        return this.admitted(holding, now);
      }
      if (holding.leasing) {
        // Its failure is its own caller's answer; this call tries again for itself.
        await holding.leasing.catch(() => undefined);
        continue;
      }
      let decision: RateDecision | undefined;
      holding.leasing = this.lease(app.appId, holding, now).then((result) => {
        decision = result;
      });
      try {
        await holding.leasing;
      } finally {
        holding.leasing = undefined;
      }
      if (decision) return decision;
    }
  }

  /** The most tokens one lease takes: what the app may use in one lease's life at its rate, at most half a burst. */
  private leaseCap(rate: AppRate): number {
    return Math.min(
      largestLease(rate.burst),
      Math.max(1, Math.ceil((rate.ratePerSecond * this.options.leaseMs) / 1000)),
    );
  }

  /**
   * About what this container used of its last lease: twice it when it ran out before the lease expired (it is
   * busy), what it used when the lease expired first (it is quieter). A first lease takes half the cap, so a
   * fresh container's next few calls find tokens and a second container still finds half a lease.
   */
  private nextLeaseSize(holding: Holding, now: number): number {
    const cap = this.leaseCap(holding.rate);
    if (holding.wanted === 0) return Math.ceil(cap / 2);
    const ranOut = now < holding.validUntil;
    return Math.min(cap, Math.max(1, ranOut ? 2 * holding.wanted : holding.used));
  }

  private async lease(appId: string, holding: Holding, now: number): Promise<RateDecision> {
    const { rate } = holding;
    const wanted = this.nextLeaseSize(holding, now);
    // The tat last learned is a floor of the stored one (others only move it on), so what it says the bucket
    // holds is at most what it does: too little for a lease is certain, and costs no write.
    const predicted = holding.knownTat === undefined ? rate.burst : availableTokens(rate, holding.knownTat, now);
    let tokens = Math.min(wanted, largestLease(predicted));
    let form = leaseFormFor(holding.knownTat, now);
    for (let attempt = predicted < 1 ? MAX_ATTEMPTS : 0; attempt < MAX_ATTEMPTS; attempt++) {
      const outcome = await this.buckets.lease(leaseWrite(appId, rate, form, tokens, now));
      holding.knownTat = outcome.tat;
      if (outcome.ok) {
        holding.tokens = tokens - 1;
        holding.used = 1;
        holding.wanted = wanted;
        holding.validUntil = now + this.options.leaseMs;
        return this.admitted(holding, now);
      }
      const available = availableTokens(rate, outcome.tat, now);
      if (available < 1) break;
      // The bucket has tokens, fewer than wanted or in the other form: ask for what it can give.
      tokens = Math.min(wanted, largestLease(available));
      form = leaseFormFor(outcome.tat, now);
    }
    holding.tokens = 0;
    // Demand outran the bucket: the next lease asks for as much again, not for the crumbs the last one got.
    holding.wanted = wanted;
    holding.used = wanted;
    // Over the rate: wait until the bucket can give a whole lease of the size wanted, so a flooding container
    // leases about once per lease, not once per token. Lost races alone (the bucket had tokens) block nothing.
    const retryAt =
      holding.knownTat === undefined
        ? now
        : instantWithTokens(rate, holding.knownTat, Math.min(tokensForLease(wanted), rate.burst));
    if (retryAt > now) holding.limitedUntil = retryAt;
    return this.refused(holding, now, retryAt);
  }

  private admitted(holding: Holding, now: number): RateDecision {
    const shared = availableTokens(holding.rate, holding.knownTat, now);
    return {
      admitted: true,
      rate: holding.rate,
      remaining: Math.min(holding.rate.burst, holding.tokens + shared),
      resetSeconds: secondsUntilFull(holding.knownTat, now),
      retryAfterSeconds: 0,
    };
  }

  private refused(holding: Holding, now: number, retryAt: number): RateDecision {
    return {
      admitted: false,
      rate: holding.rate,
      remaining: 0,
      resetSeconds: secondsUntilFull(holding.knownTat, now),
      retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)),
    };
  }

  /** The app's state here, fresh when its limits changed (the token cache brought new ones) or it was forgotten. */
  private holdingOf(app: App): Holding {
    const rate = appRateOf(app, this.options.defaults);
    const known = this.holdings.get(app.appId);
    this.holdings.delete(app.appId);
    const holding =
      known && known.rate.ratePerSecond === rate.ratePerSecond && known.rate.burst === rate.burst
        ? known
        : {
            rate,
            tokens: 0,
            validUntil: 0,
            wanted: 0,
            used: 0,
            knownTat: known?.knownTat,
            limitedUntil: 0,
            leasing: undefined,
          };
    // Re-inserted, so the map's first key is the app seen least recently: the one forgotten when it is full.
    this.holdings.set(app.appId, holding);
    if (this.holdings.size > this.maxApps) {
      const oldest = this.holdings.keys().next().value;
      if (oldest !== undefined) this.holdings.delete(oldest);
    }
    return holding;
  }
}
