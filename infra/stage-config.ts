import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import type { SenderIdentity } from './constructs/mail-identity.ts';

const STAGES = ['dev', 'prod'] as const;
type Stage = (typeof STAGES)[number];

/**
 * CDK context (`-c key=value`, or cdk.json) the app reads. Values from `-c` arrive as strings, hence the
 * coercion. The throttle defaults are deliberately far below the account's 10,000 rps: a new service should
 * refuse a flood with 429s long before it runs up a DynamoDB bill. The signing routes, which anyone on the
 * internet can call (a link is the only credential), have a tighter throttle of their own, so a flood of forged
 * links is refused there without using up what the apps' routes may take.
 */
const ContextSchema = z.object({
  stage: z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` }).default('dev'),
  throttleRateLimit: z.coerce.number({ error: 'must be a number' }).positive('must be positive').default(50),
  throttleBurstLimit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .positive('must be positive')
    .default(100),
  signingThrottleRateLimit: z.coerce.number({ error: 'must be a number' }).positive('must be positive').default(10),
  signingThrottleBurstLimit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .positive('must be positive')
    .default(20),
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
  // The account's SES sending quota (the SES console's "maximum send rate"); SES's default when unset.
  sesMessagesPerSecond: z.coerce.number({ error: 'must be a number' }).positive('must be positive').optional(),
});

interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

export interface StageConfig {
  stage: Stage;
  /** prod keeps the table (RETAIN + deletion protection) and its logs; dev is torn down with `cdk destroy`. */
  retainData: boolean;
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
  /** Every route's default: each route is throttled on its own at this rate and burst. */
  throttle: Throttle;
  /** The signing routes' own throttle, never looser than `throttle`. */
  signingThrottle: Throttle;
  /** Subscribed to the alarm topic when given; the topic works without it (subscribe later in the console). */
  alarmEmail?: string;
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
    throttleRateLimit: read(node, 'throttleRateLimit'),
    throttleBurstLimit: read(node, 'throttleBurstLimit'),
    signingThrottleRateLimit: read(node, 'signingThrottleRateLimit'),
    signingThrottleBurstLimit: read(node, 'signingThrottleBurstLimit'),
    alarmEmail: read(node, 'alarmEmail'),
    notifyFromAddress: read(node, 'notifyFromAddress'),
    sesIdentityArn: read(node, 'sesIdentityArn'),
    sesMessagesPerSecond: read(node, 'sesMessagesPerSecond'),
    notifyFromDomain: read(node, 'notifyFromDomain'),
    notifyHostedZoneId: read(node, 'notifyHostedZoneId'),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `-c ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid CDK context: ${problems.join('; ')}`);
  }
  const { stage, alarmEmail, notifyFromAddress, sesMessagesPerSecond } = parsed.data;
  const identity = senderIdentityOf(parsed.data);
  const throttle = { rateLimit: parsed.data.throttleRateLimit, burstLimit: parsed.data.throttleBurstLimit };
  const signingThrottle = {
    rateLimit: parsed.data.signingThrottleRateLimit,
    burstLimit: parsed.data.signingThrottleBurstLimit,
  };
  // Looser would defeat the point: the routes anyone can call must give way before the apps' routes do.
  if (signingThrottle.rateLimit > throttle.rateLimit || signingThrottle.burstLimit > throttle.burstLimit) {
    throw new Error(
      'Invalid CDK context: -c signingThrottleRateLimit and -c signingThrottleBurstLimit must not exceed ' +
        '-c throttleRateLimit and -c throttleBurstLimit (the signing routes are throttled tighter than the app routes)',
    );
  }
  const retainData = stage === 'prod';
  return {
    stage,
    retainData,
    removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logRetention: retainData ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_WEEK,
    throttle,
    signingThrottle,
    ...(alarmEmail ? { alarmEmail } : {}),
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
