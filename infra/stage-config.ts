import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import type { SenderIdentity } from './constructs/mail-identity.ts';

const STAGES = ['dev', 'prod'] as const;
type Stage = (typeof STAGES)[number];

const positiveNumber = () => z.coerce.number({ error: 'must be a number' }).positive('must be positive');
const wholePositive = () => positiveNumber().int('must be a whole number');
/** AWS WAF's bounds for a rate-based rule's limit (requests per evaluation window, per address). */
const wafLimit = () => wholePositive().min(10, "must be at least 10 (AWS WAF's minimum)").max(2_000_000_000);

/**
 * CDK context (`-c key=value`, or cdk.json) the app reads. Values from `-c` arrive as strings, hence the
 * coercion. Limits left unset take the stage's default (STAGE_DEFAULTS).
 */
const ContextSchema = z.object({
  stage: z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` }).default('dev'),
  // The region the service runs in: CloudFront's web ACL lives in us-east-1 whatever this is (docs/design.md).
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region, e.g. eu-west-1')
    .optional(),
  throttleRateLimit: positiveNumber().optional(),
  throttleBurstLimit: wholePositive().optional(),
  signingThrottleRateLimit: positiveNumber().optional(),
  signingThrottleBurstLimit: wholePositive().optional(),
  signingLimitPerAddress: wafLimit().optional(),
  unauthenticatedLimitPerAddress: wafLimit().optional(),
  limitPerAddress: wafLimit().optional(),
  appRatePerSecond: positiveNumber().optional(),
  appRateBurst: wholePositive().optional(),
  appLimitAlarmThreshold: wholePositive().optional(),
  alarmEmail: z.email({ error: 'must be an email address' }).optional(),
  notifyFromAddress: z.email({ error: 'must be an email address' }).optional(),
  sesIdentityArn: z
    .string()
    .regex(/^arn:aws[\w-]*:ses:[\w-]+:\d{12}:identity\/.+$/, 'must be an SES identity ARN')
    .optional(),
  notifyFromDomain: z
    .string()
    .regex(
      /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
      'must be a domain name, e.g. example.com',
    )
    .transform((domain) => domain.toLowerCase())
    .optional(),
  notifyHostedZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{1,32}$/, 'must be a Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ')
    .optional(),
  // An existing Secrets Manager secret holding the sealing key, to use instead of the stack's placeholder: its
  // complete ARN (with the six characters Secrets Manager appends), so the grant names exactly that secret.
  sealingKeySecretArn: z
    .string()
    .regex(
      /^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/,
      'must be the complete ARN of a Secrets Manager secret (ending in -XXXXXX)',
    )
    .optional(),
  // The account's SES sending quota (the SES console's "maximum send rate"); SES's default when unset.
  sesMessagesPerSecond: z.coerce.number({ error: 'must be a number' }).positive('must be positive').optional(),
});

interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

/** The window AWS WAF counts each address's requests over: the `...PerAddress` limits are per this many seconds. */
const WAF_WINDOW_SECONDS = 300;

/** Where the service runs when neither -c region nor the CLI's CDK_DEFAULT_REGION (your AWS profile's) says. */
const DEFAULT_REGION = 'eu-west-1';

/**
 * Each stage's limits unless the context says otherwise (docs/deploy-and-operate.md explains each figure).
 * - throttle: API Gateway's ceiling for the whole stage, per route: what protects the bill (a flood of accepted
 *   calls costs Lambda and DynamoDB money), far below the account's 10,000 rps; no longer what one client meets
 *   first, since WAF limits each address and the functions limit each app.
 * - signingThrottle: the signing routes' own ceiling, so callers with (or guessing) links from many addresses at
 *   once cannot take the whole stage ceiling from the apps.
 * - the `...PerAddress` limits: AWS WAF rate-based rules, requests per address per 5 minutes. A signer makes a few
 *   requests (page, sign), so 300 lets an office of dozens of signers behind one NAT address through while one
 *   address guessing links gets 1 a second; the open routes (docs, OpenAPI, verify) are read a few times a visit.
 *   The all-routes rule must stay above what one app may send at its own rate from one address.
 * - appRate: each app's default rate (requests a second) and burst in the functions (APP_RATE_PER_SECOND/BURST).
 * - appLimitAlarmThreshold: refusals for an app's rate or quota, per 5 minutes, before the alarm fires.
 */
const STAGE_DEFAULTS = {
  dev: {
    throttle: { rateLimit: 50, burstLimit: 100 },
    signingThrottle: { rateLimit: 10, burstLimit: 20 },
    signingLimitPerAddress: 300,
    unauthenticatedLimitPerAddress: 100,
    limitPerAddress: 6_000,
    appRate: { perSecond: 10, burst: 20 },
    appLimitAlarmThreshold: 50,
  },
  prod: {
    throttle: { rateLimit: 500, burstLimit: 1_000 },
    signingThrottle: { rateLimit: 100, burstLimit: 200 },
    signingLimitPerAddress: 300,
    unauthenticatedLimitPerAddress: 300,
    limitPerAddress: 12_000,
    appRate: { perSecond: 20, burst: 40 },
    appLimitAlarmThreshold: 100,
  },
} as const satisfies Record<Stage, unknown>;

/** AWS WAF rate-based rules in front of the API (infra/constructs/edge-web-acl.ts): per address, per window. */
export interface EdgeLimits {
  /** Requests per address per window on /v1/signing/... */
  signingLimitPerAddress: number;
  /** Requests per address per window on the routes anyone may call unauthenticated: /docs, /openapi.json, /v1/verify. */
  unauthenticatedLimitPerAddress: number;
  /** Requests per address per window on everything: stops garbage floods before any function runs. */
  limitPerAddress: number;
  windowSeconds: number;
}

export interface StageConfig {
  stage: Stage;
  /** Where the service's stack is deployed (its web ACL is in us-east-1, as CloudFront requires). */
  region: string;
  /** prod keeps the table (RETAIN + deletion protection) and its logs; dev is torn down with `cdk destroy`. */
  retainData: boolean;
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
  /** Every route's default: each route is throttled on its own at this rate and burst. */
  throttle: Throttle;
  /** The signing routes' own throttle, never looser than `throttle`. */
  signingThrottle: Throttle;
  edge: EdgeLimits;
  /** Each app's default rate in the functions: APP_RATE_PER_SECOND and APP_RATE_BURST on the app routes. */
  appRate: { perSecond: number; burst: number };
  /** An app's rate and quota refusals per 5 minutes at which the alarm fires. */
  appLimitAlarmThreshold: number;
  /** Subscribed to the alarm topic when given; the topic works without it (subscribe later in the console). */
  alarmEmail?: string;
  /** The operator's existing secret holding the sealing key; unset, the stack creates one holding a placeholder. */
  sealingKeySecretArn?: string;
  /** Mail is sent through SES when the stage names an address and the identity it is sent from. */
  signerEmail?: { fromAddress: string; identity: SenderIdentity; messagesPerSecond?: number };
}

const read = (node: Node, key: string): unknown => {
  const value: unknown = node.tryGetContext(key);
  // `-c alarmEmail=` passes an empty string: treat it as "not set" rather than an invalid address.
  return value === '' ? undefined : value;
};

/** Reads and validates the context once, so a typo in `-c stage=prd` fails the synth instead of deploying dev. */
export const stageConfigFrom = (node: Node): StageConfig => {
  const parsed = ContextSchema.safeParse({
    stage: read(node, 'stage'),
    region: read(node, 'region'),
    throttleRateLimit: read(node, 'throttleRateLimit'),
    throttleBurstLimit: read(node, 'throttleBurstLimit'),
    signingThrottleRateLimit: read(node, 'signingThrottleRateLimit'),
    signingThrottleBurstLimit: read(node, 'signingThrottleBurstLimit'),
    signingLimitPerAddress: read(node, 'signingLimitPerAddress'),
    unauthenticatedLimitPerAddress: read(node, 'unauthenticatedLimitPerAddress'),
    limitPerAddress: read(node, 'limitPerAddress'),
    appRatePerSecond: read(node, 'appRatePerSecond'),
    appRateBurst: read(node, 'appRateBurst'),
    appLimitAlarmThreshold: read(node, 'appLimitAlarmThreshold'),
    alarmEmail: read(node, 'alarmEmail'),
    notifyFromAddress: read(node, 'notifyFromAddress'),
    sesIdentityArn: read(node, 'sesIdentityArn'),
    sesMessagesPerSecond: read(node, 'sesMessagesPerSecond'),
    notifyFromDomain: read(node, 'notifyFromDomain'),
    notifyHostedZoneId: read(node, 'notifyHostedZoneId'),
    sealingKeySecretArn: read(node, 'sealingKeySecretArn'),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `-c ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid CDK context: ${problems.join('; ')}`);
  }
  const context = parsed.data;
  const { stage, alarmEmail, notifyFromAddress, sesMessagesPerSecond, sealingKeySecretArn } = context;
  const defaults = STAGE_DEFAULTS[stage];
  const identity = senderIdentityOf(context);
  const throttle = {
    rateLimit: context.throttleRateLimit ?? defaults.throttle.rateLimit,
    burstLimit: context.throttleBurstLimit ?? defaults.throttle.burstLimit,
  };
  const signingThrottle = {
    rateLimit: context.signingThrottleRateLimit ?? defaults.signingThrottle.rateLimit,
    burstLimit: context.signingThrottleBurstLimit ?? defaults.signingThrottle.burstLimit,
  };
  // Looser would defeat the point: the routes anyone can call must give way before the apps' routes do.
  if (signingThrottle.rateLimit > throttle.rateLimit || signingThrottle.burstLimit > throttle.burstLimit) {
    throw new Error(
      'Invalid CDK context: -c signingThrottleRateLimit and -c signingThrottleBurstLimit must not exceed ' +
        '-c throttleRateLimit and -c throttleBurstLimit (the signing routes are throttled tighter than the app routes)',
    );
  }
  const appRate = {
    perSecond: context.appRatePerSecond ?? defaults.appRate.perSecond,
    burst: context.appRateBurst ?? defaults.appRate.burst,
  };
  const edge = edgeLimitsOf(context, defaults, appRate.perSecond);
  const retainData = stage === 'prod';
  return {
    stage,
    retainData,
    removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logRetention: retainData ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_WEEK,
    region: context.region ?? process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION,
    throttle,
    signingThrottle,
    edge,
    appRate,
    appLimitAlarmThreshold: context.appLimitAlarmThreshold ?? defaults.appLimitAlarmThreshold,
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(sealingKeySecretArn ? { sealingKeySecretArn } : {}),
    ...(notifyFromAddress && identity
      ? {
          signerEmail: {
            fromAddress: notifyFromAddress,
            identity,
            ...(sesMessagesPerSecond === undefined ? {} : { messagesPerSecond: sesMessagesPerSecond }),
          },
        }
      : {}),
  };
};

/**
 * The WAF limits, each no looser than the all-routes rule (which would otherwise block first), and the all-routes
 * rule above what one app may send at its own rate from one address in a window: an app within its rate must
 * meet its own 429 (with the rate headers), not WAF's.
 */
const edgeLimitsOf = (
  context: { signingLimitPerAddress?: number; unauthenticatedLimitPerAddress?: number; limitPerAddress?: number },
  defaults: (typeof STAGE_DEFAULTS)[Stage],
  appRatePerSecond: number,
): EdgeLimits => {
  const edge = {
    signingLimitPerAddress: context.signingLimitPerAddress ?? defaults.signingLimitPerAddress,
    unauthenticatedLimitPerAddress: context.unauthenticatedLimitPerAddress ?? defaults.unauthenticatedLimitPerAddress,
    limitPerAddress: context.limitPerAddress ?? defaults.limitPerAddress,
    windowSeconds: WAF_WINDOW_SECONDS,
  };
  if (edge.signingLimitPerAddress > edge.limitPerAddress || edge.unauthenticatedLimitPerAddress > edge.limitPerAddress)
    throw new Error(
      `Invalid CDK context: -c signingLimitPerAddress (${edge.signingLimitPerAddress}) and ` +
        `-c unauthenticatedLimitPerAddress (${edge.unauthenticatedLimitPerAddress}) must not exceed ` +
        `-c limitPerAddress (${edge.limitPerAddress}), the rule on every route`,
    );
  const appWindow = Math.ceil(appRatePerSecond * WAF_WINDOW_SECONDS);
  if (edge.limitPerAddress < appWindow)
    throw new Error(
      `Invalid CDK context: -c limitPerAddress (${edge.limitPerAddress} per ${WAF_WINDOW_SECONDS} s) must be at ` +
        `least what one app may send at -c appRatePerSecond in that time (${appWindow}), or WAF blocks an app ` +
        'before its own rate limit answers it',
    );
  return edge;
};

/**
 * The identity mail is sent from: one the stack creates for -c notifyFromDomain, or one made elsewhere
 * (-c sesIdentityArn), never both (two identities would leave it unclear which one signs and is granted).
 * Either needs -c notifyFromAddress, and a created domain must be the address's own domain: SES refuses a From
 * on a domain it has not verified, and DKIM signs for the identity's domain only.
 */
const senderIdentityOf = (context: {
  notifyFromAddress?: string | undefined;
  sesIdentityArn?: string | undefined;
  notifyFromDomain?: string | undefined;
  notifyHostedZoneId?: string | undefined;
}): SenderIdentity | undefined => {
  const { notifyFromAddress, sesIdentityArn, notifyFromDomain, notifyHostedZoneId } = context;
  if (sesIdentityArn !== undefined && notifyFromDomain !== undefined)
    throw new Error(
      'Invalid CDK context: give -c notifyFromDomain (an SES identity this stack creates) or -c sesIdentityArn ' +
        '(one made elsewhere), not both',
    );
  if (notifyHostedZoneId !== undefined && notifyFromDomain === undefined)
    throw new Error("Invalid CDK context: -c notifyHostedZoneId needs -c notifyFromDomain (the zone's domain)");
  const named = sesIdentityArn ?? notifyFromDomain;
  if ((notifyFromAddress === undefined) !== (named === undefined))
    throw new Error(
      'Invalid CDK context: give -c notifyFromAddress with -c notifyFromDomain or -c sesIdentityArn, or none of them',
    );
  if (notifyFromDomain !== undefined) {
    const addressDomain = notifyFromAddress?.slice(notifyFromAddress.lastIndexOf('@') + 1).toLowerCase();
    if (addressDomain !== notifyFromDomain)
      throw new Error(
        `Invalid CDK context: -c notifyFromAddress must be an address of -c notifyFromDomain (${notifyFromDomain}), ` +
          `not of ${addressDomain ?? 'another domain'}`,
      );
    return {
      domain: notifyFromDomain,
      ...(notifyHostedZoneId === undefined ? {} : { hostedZoneId: notifyHostedZoneId }),
    };
  }
  return sesIdentityArn === undefined ? undefined : { arn: sesIdentityArn };
};
