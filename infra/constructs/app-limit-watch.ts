import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  CfnInsightRule,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The codes the access log line (message `request`, functions/http/route.ts) carries when an app is refused for
 * its own limit: over its rate, or over its daily quota of new requests. The line also names the app (`appId`).
 */
export const APP_LIMIT_CODES = ['RATE_LIMITED', 'DAILY_QUOTA_EXCEEDED'] as const;

const PERIOD = Duration.minutes(5);

export interface AppLimitWatchProps {
  stage: string;
  /** The log groups of the functions that serve app routes: where the refusals are logged. */
  logGroups: readonly ILogGroup[];
  /** Refusals of one app per 5 minutes at which the alarm fires. */
  threshold: number;
  topic: ITopic;
}

/**
 * How the operator sees apps that meet their limits: a metric counting every refusal for an app's rate or quota
 * (namespace `esign-recall/<stage>`, `AppLimitRefusals`), a Contributor Insights rule that ranks the apps (and
 * codes) behind them, and an alarm when one app alone is refused `threshold` times in 5 minutes. Per app, not in
 * total: a hundred apps each meeting their limit now and then is the limiter working; one app meeting it all the
 * time is a client to call (or a limit to raise with `npm run app -- limits`).
 */
export class AppLimitWatch extends Construct {
  readonly metricFilters: MetricFilter[];
  readonly insightRule: CfnInsightRule;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: AppLimitWatchProps) {
    super(scope, id);
    const namespace = `esign-recall/${props.stage}`;
    const pattern = FilterPattern.all(
      FilterPattern.stringValue('$.message', '=', 'request'),
      FilterPattern.any(...APP_LIMIT_CODES.map((code) => FilterPattern.stringValue('$.code', '=', code))),
    );
    this.metricFilters = props.logGroups.map(
      (logGroup, index) =>
        new MetricFilter(this, `Refusals${index}`, {
          logGroup,
          metricNamespace: namespace,
          metricName: 'AppLimitRefusals',
          filterPattern: pattern,
          metricValue: '1',
        }),
    );

    const ruleName = `esign-recall-${props.stage}-apps-at-their-limit`;
    this.insightRule = new CfnInsightRule(this, 'AppsAtTheirLimit', {
      ruleName,
      ruleState: 'ENABLED',
      ruleBody: Stack.of(this).toJsonString({
        Schema: { Name: 'CloudWatchLogRule', Version: 1 },
        LogGroupNames: props.logGroups.map((logGroup) => logGroup.logGroupName),
        LogFormat: 'JSON',
        Contribution: {
          Keys: ['$.appId', '$.code'],
          Filters: [
            { Match: '$.message', In: ['request'] },
            { Match: '$.code', In: [...APP_LIMIT_CODES] },
          ],
        },
        AggregateOn: 'Count',
      }),
    });

    this.alarm = new Alarm(this, 'AppAtItsLimit', {
      // The count of the rule's top contributor: the one app (and code) refused most in the period.
      metric: new MathExpression({
        expression: `INSIGHT_RULE_METRIC('${ruleName}', 'MaxContributorValue')`,
        usingMetrics: {},
        label: 'Refusals of the app refused most (5 minutes)',
        period: PERIOD,
      }),
      threshold: props.threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        `One app was refused for its rate or daily quota ${props.threshold} times or more in 5 minutes. ` +
        `Contributor Insights rule ${ruleName} names it; docs/deploy-and-operate.md says what to do.`,
    });
    this.alarm.node.addDependency(this.insightRule);
    const action = new SnsAction(props.topic);
    this.alarm.addAlarmAction(action);
    this.alarm.addOkAction(action);
  }
}
