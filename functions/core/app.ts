/**
 * An app's own limits, set by the operator (`npm run app -- limits`) and carried on its token item, so the token
 * lookup the routes already make (and cache) brings them: no call of its own. A field left unset takes the stage's
 * default (APP_RATE_PER_SECOND, APP_RATE_BURST); no daily quota when unset.
 */
export interface AppLimits {
  /** Requests a second over time, every app route together (a token bucket's refill). */
  ratePerSecond?: number;
  /** Requests the app may make at once above its rate (the bucket's size). */
  burst?: number;
  /** New sign requests (initiate and resend) per UTC day. */
  dailyQuota?: number;
}

/** An app that calls the API, as its token identifies it: every request it creates belongs to it alone. */
export interface App {
  appId: string;
  appName: string;
  limits?: AppLimits;
}
