import type { AppRate } from './core/app-rate.ts';
import { ORIGIN_VERIFY_ENV } from './http/origin-verify-names.ts';
import * as z from './zod.ts';

/** The name both `npm start` and `npm run app` use for the local table, so the two meet without setup. */
export const LOCAL_TABLE_NAME = 'esign-recall-local';

/** How long a warm function trusts a token it has looked up, unless APP_TOKEN_CACHE_TTL_SECONDS says otherwise. */
export const DEFAULT_APP_TOKEN_CACHE_TTL_SECONDS = 60;

/**
 * An app's rate when it has none of its own (`npm run app -- limits`): 10 requests a second, bursts of 20. Set
 * per stage from CDK context; every app route, all together, counts against it.
 */
export const DEFAULT_APP_RATE_PER_SECOND = 10;
export const DEFAULT_APP_RATE_BURST = 20;
/** How long a container may spend the rate tokens it leased: the limiter's error is the rate times this. */
const DEFAULT_APP_RATE_LEASE_MS = 1000;

const ConfigSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1, 'TABLE_NAME must name the DynamoDB table')),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  REQUEST_NO_PREFIX: z._default(
    z.string().check(z.regex(/^[A-Za-z0-9]{1,20}$/, 'REQUEST_NO_PREFIX must be 1-20 letters or digits')),
    'KAiZEN',
  ),
  APP_TOKEN_CACHE_TTL_SECONDS: z._default(
    z.coerce.number().check(z.int(), z.gte(0), z.lte(300)),
    DEFAULT_APP_TOKEN_CACHE_TTL_SECONDS,
  ),
  SIGNING_BASE_URL: z.optional(z.url()),
  MAX_BODY_BYTES: z._default(z.coerce.number().check(z.int(), z.positive()), 1024 * 1024),
  MAIL_DAILY_CAP: z._default(z.coerce.number().check(z.int(), z.positive()), 10_000),
  APP_RATE_PER_SECOND: z._default(
    z.coerce.number().check(z.positive('APP_RATE_PER_SECOND must be above 0'), z.lte(100_000)),
    DEFAULT_APP_RATE_PER_SECOND,
  ),
  APP_RATE_BURST: z._default(
    z.coerce.number().check(z.int('APP_RATE_BURST must be a whole number'), z.gte(1), z.lte(100_000)),
    DEFAULT_APP_RATE_BURST,
  ),
  APP_RATE_LEASE_MS: z._default(z.coerce.number().check(z.int(), z.gte(10), z.lte(60_000)), DEFAULT_APP_RATE_LEASE_MS),
  [ORIGIN_VERIFY_ENV]: z.optional(z.string()),
});

export interface Config {
  tableName: string;
  /** Set for the embedded store or any other DynamoDB-compatible endpoint; unset means real AWS. */
  dynamodbEndpoint?: string;
  region: string;
  requestNoPrefix: string;
  appTokenCacheTtlMs: number;
  /** Where signers open their links; unset means the API's own URL, taken from each request. */
  signingBaseUrl?: string;
  maxBodyBytes: number;
  /** E-mails one app may cause per UTC day (functions/store/mail-cap.ts). */
  mailDailyCap: number;
  /** The per-app rate for apps without their own (functions/core/app-rate-limiter.ts). */
  appRate: AppRate;
  /** How long a container may spend leased rate tokens. */
  appRateLeaseMs: number;
  /**
   * Whether every HTTP API event provably came through CloudFront: the function checks CloudFront's origin header
   * (ORIGIN_VERIFY_HEADER_VALUE is set, http/origin-verify.ts). Only then is the viewer's address read from
   * X-Forwarded-For (http/caller-evidence.ts); otherwise it is API Gateway's sourceIp.
   */
  behindCloudFront: boolean;
}

/** Read once at cold start: a missing or malformed setting fails the container at init, not a request. */
export const loadConfig = (env: NodeJS.ProcessEnv): Config => {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  const c = parsed.data;
  return {
    tableName: c.TABLE_NAME,
    region: c.AWS_REGION,
    requestNoPrefix: c.REQUEST_NO_PREFIX,
    appTokenCacheTtlMs: c.APP_TOKEN_CACHE_TTL_SECONDS * 1000,
    maxBodyBytes: c.MAX_BODY_BYTES,
    mailDailyCap: c.MAIL_DAILY_CAP,
    appRate: { ratePerSecond: c.APP_RATE_PER_SECOND, burst: c.APP_RATE_BURST },
    appRateLeaseMs: c.APP_RATE_LEASE_MS,
    // The same test as originVerified's: a non-empty value switches the origin check on.
    behindCloudFront: (c[ORIGIN_VERIFY_ENV] ?? '') !== '',
    ...(c.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: c.DYNAMODB_ENDPOINT } : {}),
    ...(c.SIGNING_BASE_URL ? { signingBaseUrl: c.SIGNING_BASE_URL.replace(/\/+$/, '') } : {}),
  };
};
