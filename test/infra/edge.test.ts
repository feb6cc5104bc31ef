import { describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_ENV, ORIGIN_VERIFY_HEADER } from '../../functions/http/origin-verify-names.ts';
import { routes, type HandlerName } from '../../functions/routes.ts';
import { APP_LIMIT_CODES } from '../../infra/constructs/app-limit-watch.ts';
import { SIGNING_PATH_PREFIX, UNAUTHENTICATED_PATH_PREFIXES } from '../../infra/constructs/edge-web-acl.ts';
import { resourceOf, resourcesOfType, synthStack, templateJson, type Synthesized } from './synth.ts';

interface Rule {
  Name: string;
  Priority: number;
  Action?: { Block?: { CustomResponse?: { ResponseCode: number; CustomResponseBodyKey: string } } };
  OverrideAction?: unknown;
  Statement: {
    RateBasedStatement?: {
      Limit: number;
      EvaluationWindowSec: number;
      AggregateKeyType: string;
      ScopeDownStatement?: unknown;
    };
    ManagedRuleGroupStatement?: { VendorName: string; Name: string };
  };
  VisibilityConfig: { CloudWatchMetricsEnabled: boolean; SampledRequestsEnabled: boolean; MetricName: string };
}

interface WebAclProperties {
  Scope: string;
  DefaultAction: unknown;
  Rules: Rule[];
  CustomResponseBodies: Record<string, { ContentType: string; Content: string }>;
  VisibilityConfig: Rule['VisibilityConfig'];
}

const webAclOf = (built: Synthesized) => {
  const acls = resourcesOfType(built.edgeTemplate, 'AWS::WAFv2::WebACL');
  expect(acls).toHaveLength(1);
  const [logicalId, acl] = acls[0]!;
  return { logicalId, properties: acl.Properties as unknown as WebAclProperties };
};

const ruleOf = (built: Synthesized, name: string): Rule => {
  const rule = webAclOf(built).properties.Rules.find((candidate) => candidate.Name === name);
  if (!rule) throw new Error(`No rule ${name}`);
  return rule;
};

/** The URI prefixes a rate rule's scope-down matches, one byte match or an OR of them. */
const scopedPrefixes = (rule: Rule): string[] => {
  interface ByteMatch {
    ByteMatchStatement: { FieldToMatch: unknown; PositionalConstraint: string; SearchString: string };
  }
  const scope = rule.Statement.RateBasedStatement?.ScopeDownStatement as
    ByteMatch | { OrStatement: { Statements: ByteMatch[] } } | undefined;
  if (!scope) return [];
  const matches = 'OrStatement' in scope ? scope.OrStatement.Statements : [scope];
  for (const match of matches) {
    expect(match.ByteMatchStatement.FieldToMatch).toEqual({ UriPath: {} });
    expect(match.ByteMatchStatement.PositionalConstraint).toBe('STARTS_WITH');
  }
  return matches.map((match) => match.ByteMatchStatement.SearchString);
};

const dev = synthStack();
const prod = synthStack({ stage: 'prod' });

describe('the web ACL in front of the API', () => {
  it('is made in us-east-1 (CloudFront takes CLOUDFRONT-scope web ACLs only, made only there), in a stack of its own', () => {
    expect(dev.stack.edgeStack.region).toBe('us-east-1');
    expect(dev.stack.edgeStack.stackName).toBe('EsignRecallEdge-dev');
    expect(prod.stack.edgeStack.stackName).toBe('EsignRecallEdge-prod');
    expect(dev.stack.dependencies).toContain(dev.stack.edgeStack);
    expect(webAclOf(dev).properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
  });

  it.each([
    ['dev', dev, { signing: 300, unauthenticated: 100, all: 6000 }],
    ['prod', prod, { signing: 300, unauthenticated: 300, all: 12000 }],
  ] as const)(
    'limits each client address per 5 minutes on %s: signing routes, unauthenticated routes, everything',
    (_stage, built, limits) => {
      const rate = (name: string) => ruleOf(built, name).Statement.RateBasedStatement;
      expect(rate('SigningPerAddress')).toMatchObject({
        Limit: limits.signing,
        EvaluationWindowSec: 300,
        AggregateKeyType: 'IP',
      });
      expect(rate('UnauthenticatedPerAddress')).toMatchObject({
        Limit: limits.unauthenticated,
        EvaluationWindowSec: 300,
        AggregateKeyType: 'IP',
      });
      expect(rate('AllRoutesPerAddress')).toMatchObject({
        Limit: limits.all,
        EvaluationWindowSec: 300,
        AggregateKeyType: 'IP',
      });
    },
  );

  it('scopes the signing rule to /v1/signing/ and the unauthenticated rule to /docs, /openapi.json, /v1/verify and /verify', () => {
    expect(scopedPrefixes(ruleOf(dev, 'SigningPerAddress'))).toEqual(['/v1/signing/']);
    expect(scopedPrefixes(ruleOf(dev, 'UnauthenticatedPerAddress')).sort()).toEqual(
      ['/docs', '/openapi.json', '/v1/verify', '/verify'].sort(),
    );
    expect(scopedPrefixes(ruleOf(dev, 'AllRoutesPerAddress'))).toEqual([]);
  });

  it('covers every route anyone may call without an app token with a scoped rule', () => {
    for (const route of routes.filter((candidate) => candidate.caller !== 'app')) {
      const prefixes = route.caller === 'signer' ? [SIGNING_PATH_PREFIX] : UNAUTHENTICATED_PATH_PREFIXES;
      expect(
        prefixes.some((prefix) => route.path.startsWith(prefix)),
        `${route.method} ${route.path}`,
      ).toBe(true);
    }
  });

  it('answers an address over a limit 429 RATE_LIMITED in the API envelope, with Retry-After', () => {
    const { properties } = webAclOf(dev);
    for (const name of ['SigningPerAddress', 'UnauthenticatedPerAddress', 'AllRoutesPerAddress']) {
      const response = ruleOf(dev, name).Action?.Block?.CustomResponse;
      expect(response, name).toEqual({
        ResponseCode: 429,
        CustomResponseBodyKey: 'RateLimited',
        ResponseHeaders: [{ Name: 'Retry-After', Value: '300' }],
      });
    }
    const body = properties.CustomResponseBodies.RateLimited;
    expect(body?.ContentType).toBe('APPLICATION_JSON');
    const envelope = JSON.parse(body?.Content ?? '{}') as { FailRules: { Code: string; Message: string }[] };
    expect(envelope).toMatchObject({ FailRules: [{ Code: 'RATE_LIMITED' }], Data: null });
    expect(envelope.FailRules).toHaveLength(1);
    expect(envelope.FailRules[0]?.Message).toMatch(/Retry-After/);
  });

  it('blocks known bad inputs and known bad sources with AWS managed groups, and not the common rule set (8 KB bodies)', () => {
    const managed = webAclOf(dev)
      .properties.Rules.flatMap((rule) => (rule.Statement.ManagedRuleGroupStatement ? [rule] : []))
      .map((rule) => {
        expect(rule.OverrideAction).toEqual({ None: {} });
        return rule.Statement.ManagedRuleGroupStatement;
      });
    expect(managed).toEqual(
      expect.arrayContaining([
        { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' },
        { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' },
      ]),
    );
    expect(managed.map((group) => group?.Name)).not.toContain('AWSManagedRulesCommonRuleSet');
  });

  it('publishes CloudWatch metrics and samples for the web ACL and every rule, each under its own name', () => {
    const { properties } = webAclOf(dev);
    const configs = [properties.VisibilityConfig, ...properties.Rules.map((rule) => rule.VisibilityConfig)];
    for (const config of configs)
      expect(config).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
    expect(new Set(configs.map((config) => config.MetricName)).size).toBe(configs.length);
  });

  it('logs what it blocks to an aws-waf-logs- group, never a path (signing tokens) nor Authorization', () => {
    const [[, logging] = []] = resourcesOfType(dev.edgeTemplate, 'AWS::WAFv2::LoggingConfiguration');
    expect(logging?.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [webAclOf(dev).logicalId, 'Arn'] });
    const redacted = logging?.Properties.RedactedFields as unknown[];
    expect(redacted).toContainEqual({ UriPath: {} });
    expect(redacted).toContainEqual({ SingleHeader: { Name: 'authorization' } });
    dev.edgeTemplate.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-esign-recall-dev' });
  });

  it('takes its limits from the CDK context', () => {
    const tuned = synthStack({
      signingLimitPerAddress: '50',
      unauthenticatedLimitPerAddress: '40',
      limitPerAddress: '9000',
    });
    expect(ruleOf(tuned, 'SigningPerAddress').Statement.RateBasedStatement?.Limit).toBe(50);
    expect(ruleOf(tuned, 'UnauthenticatedPerAddress').Statement.RateBasedStatement?.Limit).toBe(40);
    expect(ruleOf(tuned, 'AllRoutesPerAddress').Statement.RateBasedStatement?.Limit).toBe(9000);
  });
});

describe('CloudFront in front of the HTTP API', () => {
  const distributionOf = (built: Synthesized) => {
    const distributions = resourcesOfType(built.template, 'AWS::CloudFront::Distribution');
    expect(distributions).toHaveLength(1);
    const [logicalId, distribution] = distributions[0]!;
    return {
      logicalId,
      config: (distribution.Properties as { DistributionConfig: Record<string, unknown> }).DistributionConfig,
    };
  };
  const { config, logicalId: distributionId } = distributionOf(dev);
  const origin = (config.Origins as Record<string, unknown>[])[0]!;
  const behavior = config.DefaultCacheBehavior as Record<string, unknown>;
  const secretRef = { Ref: dev.logicalId(dev.stack.edge.originVerify) };
  const dynamicReference = { 'Fn::Join': ['', ['{{resolve:secretsmanager:', secretRef, ':SecretString:::}}']] };

  it("applies the edge stack's web ACL, read across regions from that stack's output", () => {
    const reference = config.WebACLId as {
      'Fn::GetStackOutput': { StackName: string; Region: string; OutputName: string };
    };
    expect(reference['Fn::GetStackOutput']).toMatchObject({ StackName: 'EsignRecallEdge-dev', Region: 'us-east-1' });
    const output = templateJson(dev.edgeTemplate).Outputs?.[reference['Fn::GetStackOutput'].OutputName];
    expect(output?.Value).toEqual({ 'Fn::GetAtt': [webAclOf(dev).logicalId, 'Arn'] });
  });

  it('forwards every method, header but Host, and query string to the HTTP API over TLS 1.2, caching nothing', () => {
    expect(origin.DomainName).toEqual({
      'Fn::Select': [1, { 'Fn::Split': ['://', { 'Fn::GetAtt': [dev.logicalId(dev.stack.api.api), 'ApiEndpoint'] }] }],
    });
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(behavior).toMatchObject({
      // Managed-CachingDisabled and Managed-AllViewerExceptHostHeader.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      ViewerProtocolPolicy: 'https-only',
    });
    expect([...(behavior.AllowedMethods as string[])].sort()).toEqual(
      ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].sort(),
    );
  });

  it('adds the secret origin header, resolved from Secrets Manager at deploy time (never in the template)', () => {
    expect(origin.OriginCustomHeaders).toEqual([{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: dynamicReference }]);
  });

  it('gives every function API Gateway invokes, and only those, the value to expect', () => {
    const apiFunctions = new Set(
      [...dev.stack.functions.byHandler.values(), dev.stack.api.unrouted].map((fn) => dev.logicalId(fn)),
    );
    expect(apiFunctions.size).toBe(new Set(routes.map((route) => route.handler)).size + 1);
    const functions = resourcesOfType(dev.template, 'AWS::Lambda::Function');
    for (const [id, fn] of functions) {
      const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
      if (apiFunctions.has(id)) expect(variables?.[ORIGIN_VERIFY_ENV], id).toEqual(dynamicReference);
      else expect(variables ?? {}, id).not.toHaveProperty(ORIGIN_VERIFY_ENV);
    }
  });

  const publicUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']] };

  it('is the public base URL: the ApiUrl output and the base of the signing links initiate, resend and a signer change hand out', () => {
    dev.template.hasOutput('ApiUrl', { Value: publicUrl });
    for (const handler of ['initiate', 'resend', 'edit-signer'] as const) {
      const fn = resourceOf(dev.template, dev.logicalId(dev.stack.functions.for(handler)));
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.SIGNING_BASE_URL).toEqual(
        publicUrl,
      );
    }
  });

  it('is the base of the links the mailer puts in mail', () => {
    const mailing = synthStack({
      notifyFromAddress: 'esign@example.com',
      sesIdentityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
    });
    const mailer = resourceOf(mailing.template, mailing.logicalId(mailing.stack.mailer!.consumer.function));
    const distribution = distributionOf(mailing).logicalId;
    expect(
      (mailer.Properties.Environment as { Variables: Record<string, unknown> }).Variables.SIGNING_BASE_URL,
    ).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/']],
    });
  });

  it('puts the service in the region -c region names, the web ACL staying in us-east-1', () => {
    const elsewhere = synthStack({ region: 'ap-southeast-2' });
    expect(elsewhere.stack.region).toBe('ap-southeast-2');
    expect(elsewhere.stack.edgeStack.region).toBe('us-east-1');
  });
});

describe('the stage ceilings and the per-app defaults', () => {
  const stageOf = (built: Synthesized) => resourcesOfType(built.template, 'AWS::ApiGatewayV2::Stage')[0]![1].Properties;
  const signingKey = 'GET /v1/signing/{signingToken}';

  it.each([
    ['dev', dev, { rate: 50, burst: 100, signingRate: 10, signingBurst: 20 }],
    ['prod', prod, { rate: 500, burst: 1000, signingRate: 100, signingBurst: 200 }],
  ] as const)('sizes the throttles that protect the bill per stage: %s', (_stage, built, ceiling) => {
    const stage = stageOf(built);
    expect(stage.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: ceiling.rate,
      ThrottlingBurstLimit: ceiling.burst,
    });
    expect((stage.RouteSettings as Record<string, unknown>)[signingKey]).toEqual({
      ThrottlingRateLimit: ceiling.signingRate,
      ThrottlingBurstLimit: ceiling.signingBurst,
    });
  });

  const appHandlers = new Set<HandlerName>(
    routes.filter((route) => route.caller === 'app').map((route) => route.handler),
  );
  const variablesOf = (built: Synthesized, handler: HandlerName) =>
    (
      resourceOf(built.template, built.logicalId(built.stack.functions.for(handler))).Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;

  it.each([
    ['dev', dev, { perSecond: '10', burst: '20' }],
    ['prod', prod, { perSecond: '20', burst: '40' }],
    [
      '-c appRatePerSecond=2.5 -c appRateBurst=7',
      synthStack({ appRatePerSecond: '2.5', appRateBurst: '7' }),
      { perSecond: '2.5', burst: '7' },
    ],
  ] as const)('gives every function serving an app route the app rate defaults: %s', (_case, built, rate) => {
    expect(appHandlers.size).toBeGreaterThan(0);
    for (const route of routes) {
      const variables = variablesOf(built, route.handler);
      if (appHandlers.has(route.handler))
        expect(variables, route.handler).toMatchObject({
          APP_RATE_PER_SECOND: rate.perSecond,
          APP_RATE_BURST: rate.burst,
        });
      else {
        expect(variables, route.handler).not.toHaveProperty('APP_RATE_PER_SECOND');
        expect(variables, route.handler).not.toHaveProperty('APP_RATE_BURST');
      }
    }
  });
});

describe('watching the apps that meet their limits', () => {
  const appHandlers = [...new Set(routes.filter((route) => route.caller === 'app').map((route) => route.handler))];
  const logGroupRefs = appHandlers.map((handler) => ({
    Ref: dev.logicalId(dev.stack.functions.for(handler).logGroup),
  }));

  it("counts every refusal for an app's rate or quota in each app-route function's log", () => {
    const filters = resourcesOfType(dev.template, 'AWS::Logs::MetricFilter').filter(([, filter]) =>
      JSON.stringify(filter.Properties.MetricTransformations).includes('AppLimitRefusals'),
    );
    expect(filters.map(([, filter]) => filter.Properties.LogGroupName)).toEqual(expect.arrayContaining(logGroupRefs));
    expect(filters).toHaveLength(logGroupRefs.length);
    for (const [, filter] of filters) {
      expect(filter.Properties.MetricTransformations).toEqual([
        { MetricNamespace: 'esign-recall/dev', MetricName: 'AppLimitRefusals', MetricValue: '1' },
      ]);
      const pattern = filter.Properties.FilterPattern as string;
      expect(pattern).toContain('$.message = "request"');
      for (const code of APP_LIMIT_CODES) expect(pattern).toContain(`$.code = "${code}"`);
    }
  });

  const rules = resourcesOfType(dev.template, 'AWS::CloudWatch::InsightRule');

  it('ranks the apps behind those refusals with a Contributor Insights rule keyed on $.appId', () => {
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0]!;
    expect(rule.Properties).toMatchObject({ RuleName: 'esign-recall-dev-apps-at-their-limit', RuleState: 'ENABLED' });
    // The body is JSON with the log group names as CloudFormation references: joined here with each reference
    // written as its logical id, then read.
    const joined = rule.Properties.RuleBody as { 'Fn::Join': ['', (string | { Ref: string })[]] };
    const text = joined['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : part.Ref)).join('');
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toMatchObject({
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogFormat: 'JSON',
      AggregateOn: 'Count',
      Contribution: {
        Keys: ['$.appId', '$.code'],
        Filters: [
          { Match: '$.message', In: ['request'] },
          { Match: '$.code', In: [...APP_LIMIT_CODES] },
        ],
      },
    });
    expect([...(body.LogGroupNames as string[])].sort()).toEqual(logGroupRefs.map((ref) => ref.Ref).sort());
  });

  it.each([
    ['dev', dev, 50],
    ['prod', prod, 100],
    ['-c appLimitAlarmThreshold=7', synthStack({ appLimitAlarmThreshold: '7' }), 7],
  ] as const)('alarms the topic when one app is refused often in 5 minutes: %s', (_case, built, threshold) => {
    const alarm = resourcesOfType(built.template, 'AWS::CloudWatch::Alarm').find(([, candidate]) =>
      JSON.stringify(candidate.Properties.Metrics ?? []).includes('INSIGHT_RULE_METRIC'),
    )?.[1];
    expect(alarm).toBeDefined();
    const stage = built.stack.node.tryGetContext('stage') === 'prod' ? 'prod' : 'dev';
    expect(alarm?.Properties).toMatchObject({
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: built.logicalId(built.stack.alarmTopic.topic) }],
    });
    expect(JSON.stringify(alarm?.Properties.Metrics)).toContain(
      `INSIGHT_RULE_METRIC('esign-recall-${stage}-apps-at-their-limit', 'MaxContributorValue')`,
    );
  });
});

describe('bad limits in the CDK context', () => {
  it.each([
    [{ signingLimitPerAddress: '5' }, /-c signingLimitPerAddress: must be at least 10/],
    [{ limitPerAddress: 'many' }, /-c limitPerAddress: must be a number/],
    [{ unauthenticatedLimitPerAddress: '20.5' }, /-c unauthenticatedLimitPerAddress: must be a whole number/],
    [
      { signingLimitPerAddress: '7000' },
      /-c signingLimitPerAddress \(7000\).*must not exceed -c limitPerAddress \(6000\)/,
    ],
    [{ limitPerAddress: '1000' }, /-c limitPerAddress \(1000 per 300 s\) must be at least what one app may send/],
    [{ appRatePerSecond: 'fast' }, /-c appRatePerSecond: must be a number/],
    [{ appRatePerSecond: '0' }, /-c appRatePerSecond: must be positive/],
    [{ appRateBurst: '1.5' }, /-c appRateBurst: must be a whole number/],
    [{ appLimitAlarmThreshold: '-1' }, /-c appLimitAlarmThreshold: must be positive/],
    [{ region: 'mars' }, /-c region: must be an AWS region/],
  ])('fails the synth with a message naming the setting: %o', (context, message) => {
    expect(() => synthStack(context)).toThrow(message);
  });
});
