import { Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type { CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeKey, routes } from '../../functions/routes.ts';
import { ProjectFunction } from './project-function.ts';
import type { RouteFunctions } from './route-functions.ts';

export interface RouteTableApiProps {
  functions: RouteFunctions;
  /** Every route's own ceiling, unless it is a signing route. */
  throttle: Required<ThrottleSettings>;
  /**
   * The ceiling of each route a signer calls (`caller: 'signer'`): anyone with a link, or a guess at one. WAF limits
   * each address; this keeps many addresses together from taking the stage's whole ceiling from the apps.
   */
  signingThrottle: Required<ThrottleSettings>;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * One JSON object per request. `routeKey` (the route's template) and never `path`: a signing path carries the
 * signer's secret token, and logs must never hold a token.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
};

/**
 * An HTTP API whose routes are generated from the route table the local server reads, so the two cannot drift.
 * HTTP, not REST: Lambda proxy is all we use, at under a third of the price per request and with lower latency;
 * REST's extras (API keys, usage plans, request validation) we either do in the function or do not need, and
 * AWS WAF, which an HTTP API cannot carry, sits in front of it on CloudFront (public-edge.ts). The stage's
 * throttles are ceilings that protect the bill (stage-config.ts), not per-caller limits.
 */
export class RouteTableApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** Answers every method the route table does not serve on one of its paths: 405 with `Allow`. */
  readonly unrouted: ProjectFunction;

  constructor(scope: Construct, id: string, props: RouteTableApiProps) {
    super(scope, id);
    this.unrouted = new ProjectFunction(this, 'Unrouted', {
      handlerFile: 'unrouted',
      description: 'esign-recall wrong methods and unknown paths',
      environment: {},
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const unroutedIntegration = new HttpLambdaIntegration('UnroutedIntegration', this.unrouted, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    this.api = new HttpApi(this, 'HttpApi', {
      description: 'esign-recall: sign requests and their recall',
      // Our own stage below, so it can carry throttling and access logs.
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const signingRouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    // A method-specific route beats ANY on the same path, so ANY catches exactly the methods the table does not
    // serve there. No `$default` route: an unknown path (scanners, typos) gets API Gateway's own 404 and invokes
    // nothing. A signer path's ANY route is throttled as its signing routes are: anyone can call it.
    for (const path of new Set(routes.map((route) => route.path))) {
      const anyRoutes = this.api.addRoutes({ path, methods: [HttpMethod.ANY], integration: unroutedIntegration });
      if (routes.some((route) => route.path === path && route.caller === 'signer')) {
        signingRouteSettings[`ANY ${path}`] = {
          ThrottlingRateLimit: props.signingThrottle.rateLimit,
          ThrottlingBurstLimit: props.signingThrottle.burstLimit,
        };
        anyRoutes.forEach((httpRoute) => this.stage.node.addDependency(httpRoute));
      }
      this.acknowledgeOwnAuthorisation(anyRoutes);
    }
    for (const route of routes) {
      const httpRoutes = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(
          // From the route, not the handler: a handler may serve more than one route.
          `${route.method}${route.path.replace(/[^A-Za-z0-9]/g, '')}Integration`,
          props.functions.for(route.handler),
          { payloadFormatVersion: PayloadFormatVersion.VERSION_2_0 },
        ),
      });
      if (route.caller === 'signer') {
        signingRouteSettings[routeKey(route)] = {
          ThrottlingRateLimit: props.signingThrottle.rateLimit,
          ThrottlingBurstLimit: props.signingThrottle.burstLimit,
        };
        // API Gateway refuses route settings for a route key that does not exist yet.
        httpRoutes.forEach((httpRoute) => this.stage.node.addDependency(httpRoute));
      }
      this.acknowledgeOwnAuthorisation(httpRoutes);
    }
    // HttpStage has no per-route settings; the CloudFormation stage takes them as a map by route key.
    (this.stage.node.defaultChild as CfnStage).routeSettings = signingRouteSettings;
  }

  private acknowledgeOwnAuthorisation(httpRoutes: readonly Construct[]): void {
    for (const httpRoute of httpRoutes) {
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions::AwsSolutions-APIG4',
        reason:
          'The function authenticates every call itself, per the API contract: app routes check the app token ' +
          '(in the body, as the KAiZEN API sends it, or as a Bearer header) and answer 401 INVALID_APP_TOKEN; ' +
          'signing routes are authorised by the secret signing token in the path; the unrouted function serves ' +
          'no data (it only refuses). An API Gateway authorizer cannot read a token from the body, and would split ' +
          'one check across two places.',
      });
    }
  }

  get url(): string {
    return this.stage.url;
  }
}
