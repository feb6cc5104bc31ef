import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PartitionKeyPrefix } from '../../functions/store/keys.ts';
import { ProjectFunction } from './project-function.ts';
import { PublisherAlarms } from './publisher-alarms.ts';

export interface EventPublishingProps {
  table: ITable;
  alarmTopic: ITopic;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * Table stream -> publisher function -> the service's own event bus. Only sign request items reach the
 * function (a stream filter on the key), in batches; a failing record is retried on its own (partial batch
 * failures, bisection), and after the last retry its location goes to a dead-letter queue, which alarms, while
 * the stream moves on. Nothing else writes to the bus, so an event on it always stands for a committed write.
 */
export class EventPublishing extends Construct {
  readonly bus: EventBus;
  readonly function: ProjectFunction;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  /** The full content of events the publisher could not publish, for `npm run app -- replay-events`. */
  readonly undeliveredEvents: Queue;
  readonly undeliveredEventsAlarm: Alarm;
  /** Publish failures and stream iterator age: a failed publish is no Lambda error, so it needs its own. */
  readonly publisherAlarms: PublisherAlarms;

  constructor(scope: Construct, id: string, props: EventPublishingProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { description: 'esign-recall domain events (functions/core/events.ts)' });
    this.function = new ProjectFunction(this, 'Publisher', {
      handlerFile: 'publisher',
      description: 'esign-recall stream -> domain events',
      environment: { EVENT_BUS_NAME: this.bus.eventBusName },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.bus.grantPutEventsTo(this.function);

    // Kept as long as SQS keeps anything, well past the stream's 24 hours: time to notice and replay.
    this.undeliveredEvents = new Queue(this, 'UndeliveredEvents', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    this.function.addEnvironment('UNDELIVERED_EVENTS_QUEUE_URL', this.undeliveredEvents.queueUrl);
    // SendMessage alone (it covers SendMessageBatch): the publisher never reads or deletes what it kept.
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.undeliveredEvents.queueArn] }),
    );

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 5,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetterQueue),
        filters: [
          FilterCriteria.filter({
            dynamodb: { Keys: { pk: { S: FilterRule.beginsWith(PartitionKeyPrefix.signRequest) } } },
          }),
        ],
      }),
    );

    const role = this.function.role;
    if (role) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams, which the stream event source mapping needs, has no resource-level permissions, ' +
          'so IAM accepts it only on "*". The stream reads themselves (DescribeStream, GetRecords, ' +
          "GetShardIterator) are granted on this table's stream ARN alone.",
      });
    }
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter destination (the stream source's onFailure): it receives the location " +
        'of records the publisher gave up on. A dead-letter queue of its own would only move the problem; the ' +
        'alarm below reports any message in it.',
    });

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: 'Stream records the publisher gave up on: their events were not published. Redrive them.',
    });
    this.deadLetterAlarm.addAlarmAction(new SnsAction(props.alarmTopic));

    Validations.of(this.undeliveredEvents).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is itself where failed events are parked: no function consumes it (only the replay-events ' +
        'command, run by an operator), so nothing could fail on it to be dead-lettered; its alarm reports any message.',
    });
    this.undeliveredEventsAlarm = new Alarm(this, 'UndeliveredEventsAlarm', {
      metric: this.undeliveredEvents.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'Events the publisher could not publish are kept in the undelivered-events queue (14 days). Once the bus ' +
        'accepts events again, run: npm run app -- replay-events --queue-url <UndeliveredEventsQueueUrl> --event-bus <EventBusName>.',
    });
    this.undeliveredEventsAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
    this.undeliveredEventsAlarm.addOkAction(new SnsAction(props.alarmTopic));
    this.deadLetterAlarm.addOkAction(new SnsAction(props.alarmTopic));
    this.publisherAlarms = new PublisherAlarms(this, 'PublisherAlarms', {
      publisher: this.function,
      logGroup: this.function.logGroup,
      topic: props.alarmTopic,
    });
  }
}
