import { ArnFormat, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { EdgeLimits } from '../stage-config.ts';

/** Where the routes anyone may call without an app token start (the signer's link is the only credential). */
export const SIGNING_PATH_PREFIX = '/v1/signing/';
/**
 * The routes anyone may call unauthenticated besides the signing routes: the API's description, its docs page
 * (and the page's script under /docs/), the document check (/v1/verify) and its page (/verify).
 */
export const UNAUTHENTICATED_PATH_PREFIXES = ['/docs', '/openapi.json', '/v1/verify', '/verify'] as const;

/** The key of the 429 body in the web ACL's custom response bodies. */
const RATE_LIMITED_BODY = 'RateLimited';

/** WAF's 429, in the API's own envelope, so a client reads it as it reads the functions' refusals. */
const rateLimitedBody = (windowSeconds: number): string =>
  JSON.stringify({
    FailRules: [
      {
        Code: 'RATE_LIMITED',
        Message: `Too many requests from your address: retry after ${windowSeconds} seconds (see Retry-After)`,
      },
    ],
    Data: null,
  });

export interface EdgeWebAclProps {
  stage: string;
  limits: EdgeLimits;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const uriStartsWith = (prefix: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    searchString: prefix,
    // As API Gateway will route it: `/v1/%73igning/...` or `/v1//signing/` must not slip past the scope-down.
    textTransformations: [
      { priority: 0, type: 'URL_DECODE' },
      { priority: 1, type: 'NORMALIZE_PATH' },
    ],
  },
});

/**
 * The AWS WAF web ACL CloudFront applies before any request reaches API Gateway (scope CLOUDFRONT, so it must be
 * created in us-east-1: infra/stacks/esign-recall-edge-stack.ts). Per client address (the address CloudFront saw,
 * not a header a client could forge): a limit on the signing routes, one on the unauthenticated routes, and a
 * looser one on every route; over a limit the address gets 429 RATE_LIMITED in the envelope with Retry-After, for
 * the rest of the window. Two AWS managed groups block known-bad sources and inputs with WAF's plain 403.
 * Not AWSManagedRulesCommonRuleSet: its SizeRestrictions_BODY blocks bodies over 8 KB, and initiate's bodies will
 * carry documents of several MB.
 */
export class EdgeWebAcl extends Construct {
  readonly webAcl: CfnWebACL;
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps) {
    super(scope, id);
    const { limits, stage } = props;
    const prefix = `esign-recall-${stage}`;
    const rateLimited: CfnWebACL.RuleActionProperty = {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: RATE_LIMITED_BODY,
          // An upper bound: once the address stops, its count over the window falls to zero within a window.
          responseHeaders: [{ name: 'Retry-After', value: String(limits.windowSeconds) }],
        },
      },
    };
    const perAddress = (
      name: string,
      priority: number,
      limit: number,
      scopeDown: CfnWebACL.StatementProperty | undefined,
    ): CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: rateLimited,
      statement: {
        rateBasedStatement: {
          limit,
          evaluationWindowSec: limits.windowSeconds,
          aggregateKeyType: 'IP',
          ...(scopeDown ? { scopeDownStatement: scopeDown } : {}),
        },
      },
      visibilityConfig: visibility(`${prefix}-${name}`),
    });
    const managed = (name: string, priority: number): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(`${prefix}-${name}`),
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `${prefix}-edge`,
      description: `esign-recall ${stage} - per-address limits and managed rules in front of the API`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${prefix}-edge`),
      customResponseBodies: {
        [RATE_LIMITED_BODY]: { contentType: 'APPLICATION_JSON', content: rateLimitedBody(limits.windowSeconds) },
      },
      rules: [
        // Sources AWS has seen attack (bots, scanners): blocked before they count against anyone's limit.
        managed('AWSManagedRulesAmazonIpReputationList', 0),
        perAddress('SigningPerAddress', 10, limits.signingLimitPerAddress, uriStartsWith(SIGNING_PATH_PREFIX)),
        perAddress('UnauthenticatedPerAddress', 20, limits.unauthenticatedLimitPerAddress, {
          orStatement: { statements: UNAUTHENTICATED_PATH_PREFIXES.map(uriStartsWith) },
        }),
        perAddress('AllRoutesPerAddress', 30, limits.limitPerAddress, undefined),
        // Request patterns known to exploit software (Log4j, Java deserialisation, localhost Host headers...).
        managed('AWSManagedRulesKnownBadInputsRuleSet', 40),
      ],
    });

    // WAF requires this prefix; a CLOUDFRONT web ACL logs to a group in us-east-1, which this stack is in.
    this.logs = new LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${prefix}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF takes the group's ARN without the `:*` CDK's logGroupArn ends with.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logs.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // A signing path carries the signer's secret token, and Authorization an app's token: never in a log.
      redactedFields: [{ uriPath: {} }, { singleHeader: { Name: 'authorization' } }, { queryString: {} }],
      // Only what WAF refused: the allowed traffic is in API Gateway's access log already.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }],
          },
        ],
      },
    });
  }
}
