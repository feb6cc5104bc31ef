import { Duration } from 'aws-cdk-lib';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SERVICE_NAME } from './project-function.ts';

/**
 * The line the publisher logs (Powertools JSON, `level` ERROR) for each stream record it could not publish
 * (functions/handlers/publisher.ts). A contract: the metric filter below counts exactly these lines, and
 * test/infra/publisher-alarms.test.ts runs the publisher to prove it still writes them.
 */
export const PUBLISH_FAILURE_MESSAGE = 'could not publish a stream record';
export const PUBLISH_FAILURES_METRIC = 'PublishFailures';

/**
 * Stream records normally reach the publisher within seconds. A record this old means the publisher has been
 * failing or stalled on a shard for a while; the stream keeps records for 24 hours only, so this leaves time
 * to act before events are lost.
 */
const ITERATOR_AGE_THRESHOLD = Duration.minutes(10);

export interface PublisherAlarmsProps {
  publisher: IFunction;
  logGroup: ILogGroup;
  topic: ITopic;
}

const PERIOD = Duration.minutes(5);

/**
 * A failed publish is reported as a batch item failure, which Lambda does not count as an error, so the
 * function's Errors alarm never sees it. These alarm on what does: the publisher's own failure line, and the
 * age of the oldest record it is still working on (IteratorAge), which grows while a shard is blocked.
 */
export class PublisherAlarms extends Construct {
  readonly publishFailures: Alarm;
  readonly iteratorAge: Alarm;

  constructor(scope: Construct, id: string, props: PublisherAlarmsProps) {
    super(scope, id);
    const failures = new MetricFilter(this, 'PublishFailureFilter', {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.level', '=', 'ERROR'),
        FilterPattern.stringValue('$.message', '=', PUBLISH_FAILURE_MESSAGE),
      ),
      metricNamespace: SERVICE_NAME,
      metricName: PUBLISH_FAILURES_METRIC,
      metricValue: '1',
      // No failure is a 0, not a gap, so the alarm sees "fine" rather than "no data".
      defaultValue: 0,
    });
    const action = new SnsAction(props.topic);
    const alarm = (alarmId: string, metric: Metric, threshold: number, description: string) => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      return created;
    };

    this.publishFailures = alarm(
      'PublishFailures',
      failures.metric({ period: PERIOD, statistic: 'Sum' }),
      1,
      'The publisher could not publish a stream record at least once in 5 minutes (its log: "' +
        PUBLISH_FAILURE_MESSAGE +
        '"). The stream retries it; after the last retry it goes to the dead-letter queue.',
    );
    this.iteratorAge = alarm(
      'IteratorAge',
      props.publisher.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' }),
      ITERATOR_AGE_THRESHOLD.toMilliseconds(),
      `The publisher is working on a stream record older than ${ITERATOR_AGE_THRESHOLD.toMinutes()} minutes: events ` +
        'are late, and the stream drops records after 24 hours. Check the publisher log for its failures.',
    );
  }
}
