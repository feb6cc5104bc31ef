import * as z from './zod.ts';

/** The name both `npm start` and `npm run app` use for the local table, so the two meet without setup. */
export const LOCAL_TABLE_NAME = 'esign-recall-local';

/** How long a warm function trusts a token it has looked up, unless APP_TOKEN_CACHE_TTL_SECONDS says otherwise. */
export const DEFAULT_APP_TOKEN_CACHE_TTL_SECONDS = 60;

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
    ...(c.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: c.DYNAMODB_ENDPOINT } : {}),
    ...(c.SIGNING_BASE_URL ? { signingBaseUrl: c.SIGNING_BASE_URL.replace(/\/+$/, '') } : {}),
  };
};
