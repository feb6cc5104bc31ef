import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RouteFunctions } from './route-functions.ts';
import { metricOperation, type StoreAction } from './store-access.ts';

export interface ServiceAlarmsProps {
  stage: IHttpStage;
  functions: RouteFunctions;
  /** Functions that serve no route (the publisher, the consumers, the scheduled jobs), by what they do. */
  otherFunctions: ReadonlyMap<string, IFunction>;
  table: ITable;
  /** The operations the functions make: SystemErrors has an Operation dimension and no table-wide total. */
  storeActions: readonly StoreAction[];
  topic: ITopic;
}

const PERIOD = Duration.minutes(5);
/** Percent of requests answered 5xx in a period before we page. */
const API_5XX_PERCENT = 5;

/**
 * Alarms on what is always our fault: 5xx answers, function errors (a crash, timeout or failed init; the
 * envelope middleware turns handled errors into responses, so anything counted here escaped it), throttles, and
 * DynamoDB system errors. Not on 4xx or DynamoDB UserErrors: refusals and lost recall races are the contract
 * working, and UserErrors counts every 400 in the account and region, not just ours.
 */
export class ServiceAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    const add = (alarmId: string, metric: IMetric, threshold: number, description: string) => {
      const alarm = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No traffic is not an outage: a quiet API must not sit in INSUFFICIENT_DATA or alarm.
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    };

    add(
      'Api5xxRate',
      new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.stage.metricServerError({ period: PERIOD, statistic: 'Sum' }),
          requests: props.stage.metricCount({ period: PERIOD, statistic: 'Sum' }),
        },
        label: 'API 5xx (% of requests)',
        period: PERIOD,
      }),
      API_5XX_PERCENT,
      `${API_5XX_PERCENT}% or more of API requests answered 5xx in 5 minutes. Check the functions' logs by x-request-id.`,
    );

    const functions = new Map<string, IFunction>([...props.functions.byHandler, ...props.otherFunctions]);
    for (const [handler, fn] of functions) {
      const name = handler.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
      add(
        `${name}Errors`,
        fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        1,
        `The ${handler} function failed (crash, timeout or init error) at least once in 5 minutes.`,
      );
      add(
        `${name}Throttles`,
        fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        1,
        `The ${handler} function was throttled: the account's or region's concurrency limit was reached.`,
      );
    }

    add(
      'StoreSystemErrors',
      props.table.metricSystemErrorsForOperations({
        operations: props.storeActions.map(metricOperation),
        period: PERIOD,
      }),
      1,
      'DynamoDB failed requests on its side (HTTP 500). The SDK retries them; what failed every retry reached callers as 503 SERVICE_UNAVAILABLE.',
    );
  }
}
