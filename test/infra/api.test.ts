import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routeKey, routes } from '../../functions/routes.ts';
import { resourceOf, resourcesOfType, synthStack } from './synth.ts';

describe('the API', () => {
  const { template, stack, logicalId } = synthStack();
  const apiRoutes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route');

  it('is an HTTP API', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
  });

  const paths = [...new Set(routes.map((route) => route.path))];

  it('has exactly the routes of the route table, plus ANY on each of its paths: a route added, changed or removed on one side fails here', () => {
    const deployed = apiRoutes.map(([, route]) => route.Properties.RouteKey).sort();
    expect(deployed).toEqual([...routes.map(routeKey), ...paths.map((path) => `ANY ${path}`)].sort());
  });

  it.each(paths)('ANY %s (every method the table does not serve there) invokes the unrouted function', (path) => {
    const match = apiRoutes.find(([, apiRoute]) => apiRoute.Properties.RouteKey === `ANY ${path}`);
    const target = match?.[1].Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    expect(resourceOf(template, target['Fn::Join'][1][1].Ref).Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(stack.api.unrouted), 'Arn'] },
    });
  });

  it('lets the unrouted function touch no table, secret or queue: it only refuses', () => {
    const role = resourceOf(template, logicalId(stack.api.unrouted)).Properties.Role as { 'Fn::GetAtt': [string] };
    const policies = resourcesOfType(template, 'AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties.Roles).includes(role['Fn::GetAtt'][0]),
    );
    const actions = policies.flatMap(([, policy]) =>
      (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap(
        (statement) => statement.Action,
      ),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((action) => action.startsWith('logs:'))).toBe(true);
  });

  it.each(routes.map((route) => [routeKey(route), route] as const))(
    '%s invokes its own handler function through a payload 2.0 Lambda proxy',
    (key, route) => {
      const match = apiRoutes.find(([, apiRoute]) => apiRoute.Properties.RouteKey === key);
      expect(match, `no API route ${key}`).toBeDefined();
      const target = match?.[1].Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integrationId = target['Fn::Join'][1][1].Ref;
      expect(resourceOf(template, integrationId).Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [logicalId(stack.functions.for(route.handler)), 'Arn'] },
      });
    },
  );

  it('lets the signer’s page and its forms through untouched: no CORS rules, no authorizer on the signing routes', () => {
    // The page's forms post to its own origin, so no CORS preflight or header is involved; the payload 2.0 proxy
    // hands Accept, Content-Type and the body (base64 when API Gateway chooses) to the function as they arrived.
    const apis = resourcesOfType(template, 'AWS::ApiGatewayV2::Api');
    expect(apis).toHaveLength(1);
    expect(apis[0]![1].Properties).not.toHaveProperty('CorsConfiguration');
    for (const key of signingRouteKeys) {
      const route = apiRoutes.find(([, apiRoute]) => apiRoute.Properties.RouteKey === key)?.[1];
      expect(route?.Properties.AuthorizationType ?? 'NONE', key).toBe('NONE');
    }
  });

  it('never serves the local mailbox (or anything under /local) nor the local home page at /: npm start alone does', () => {
    expect(routes.some((route) => route.path.startsWith('/local'))).toBe(false);
    for (const [, route] of apiRoutes) {
      expect(String(route.Properties.RouteKey)).not.toContain('/local');
      expect(String(route.Properties.RouteKey)).not.toMatch(/ \/$/);
    }
  });

  it('has no catch-all route: unknown paths get API Gateway 404s without invoking a function', () => {
    expect(apiRoutes.map(([, route]) => route.Properties.RouteKey)).not.toContain('$default');
  });

  it('throttles the stage with the default burst and rate', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
    });
  });

  it('takes burst and rate from the CDK context', () => {
    const tuned = synthStack({ throttleRateLimit: '20', throttleBurstLimit: '40' });
    tuned.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingBurstLimit: 40, ThrottlingRateLimit: 20 },
    });
  });

  const signingRouteKeys = routes.filter((route) => route.caller === 'signer').map(routeKey);
  // Each signer path's ANY route (the wrong methods there) is as open to anyone as its signing routes.
  const signerPaths = [...new Set(routes.filter((route) => route.caller === 'signer').map((route) => route.path))];
  const throttledKeys = [...signingRouteKeys, ...signerPaths.map((path) => `ANY ${path}`)];
  const stageOf = (t: typeof template) => resourcesOfType(t, 'AWS::ApiGatewayV2::Stage')[0]![1];

  it('throttles the signing routes, which anyone can call, on their own and tighter than the app routes', () => {
    expect(signingRouteKeys.sort()).toEqual([
      'GET /v1/signing/{signingToken}',
      'GET /v1/signing/{signingToken}/document',
      'POST /v1/signing/{signingToken}/code',
      'POST /v1/signing/{signingToken}/decline',
      'POST /v1/signing/{signingToken}/proof',
      'POST /v1/signing/{signingToken}/sign',
    ]);
    const stage = stageOf(template);
    expect(stage.Properties.RouteSettings).toEqual(
      Object.fromEntries(throttledKeys.map((key) => [key, { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }])),
    );
    const defaults = stage.Properties.DefaultRouteSettings as {
      ThrottlingRateLimit: number;
      ThrottlingBurstLimit: number;
    };
    expect(10).toBeLessThan(defaults.ThrottlingRateLimit);
    expect(20).toBeLessThan(defaults.ThrottlingBurstLimit);
  });

  it('deploys the signing routes before the stage that names them in its route settings', () => {
    const dependsOn = (resourceOf(template, logicalId(stack.api.stage)) as { DependsOn?: string[] }).DependsOn ?? [];
    const routeIds = apiRoutes
      .filter(([, route]) => throttledKeys.includes(route.Properties.RouteKey as string))
      .map(([id]) => id);
    expect(routeIds).toHaveLength(throttledKeys.length);
    for (const id of routeIds) expect(dependsOn).toContain(id);
  });

  it("takes the signing routes' burst and rate from the CDK context", () => {
    const tuned = synthStack({ signingThrottleRateLimit: '2', signingThrottleBurstLimit: '4' });
    expect(stageOf(tuned.template).Properties.RouteSettings).toEqual(
      Object.fromEntries(throttledKeys.map((key) => [key, { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 }])),
    );
  });

  it("refuses a signing throttle looser than the app routes' throttle", () => {
    expect(() => synthStack({ signingThrottleRateLimit: '60' })).toThrow(/must not exceed -c throttleRateLimit/);
    expect(() => synthStack({ throttleBurstLimit: '10' })).toThrow(/signingThrottleBurstLimit .*must not exceed/);
    expect(() => synthStack({ signingThrottleBurstLimit: '1.5' })).toThrow(/must be a whole number/);
  });

  it('writes one JSON access log line per request, naming the route template and never the path', () => {
    const [[, stage] = []] = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
    const settings = stage?.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [logicalId(stack.api.accessLogs), 'Arn'] });
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
    // A signing path carries the signer's secret token.
    expect(Object.values(format).join(' ')).not.toMatch(/\$context\.(path|rawPath)\b/);
  });

  it('outputs its URL', () => {
    template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });
});
