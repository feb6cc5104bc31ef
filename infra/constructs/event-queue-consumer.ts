import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type EventPattern, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE, type DomainEventType } from '../../functions/core/events.ts';
import { ProjectFunction } from './project-function.ts';
import type { StoreAccess } from '../../functions/routes.ts';
import { storeAccessStatements } from './store-access.ts';

export interface EventQueueConsumerProps {
  bus: IEventBus;
  table: ITable;
  alarmTopic: ITopic;
  /** File under functions/handlers/ that consumes the queue. */
  handlerFile: string;
  description: string;
  /** Which esign-recall events reach the queue; all of them when unset. */
  detailTypes?: readonly DomainEventType[];
  /** Per kind of item, what the function does with the table (functions/store/keys.ts). */
  storeAccess: StoreAccess;
  /** Deliveries in all, the first included, before a message is parked in the dead-letter queue. */
  maxReceiveCount: number;
  environment?: Record<string, string>;
  /** The environment variable the function finds its own queue's URL in (for ChangeMessageVisibility). */
  queueUrlVariable?: string;
  /** Messages per invocation; 10 (the consumers handle a batch's messages at once) when unset. */
  batchSize?: number;
  /** The most invocations the queue runs at once (SQS event source maximum concurrency, 2 or more). */
  maxConcurrency?: number;
  /** The function's memory, MB; ProjectFunction's default when unset. */
  memorySize?: number;
  /** The function's timeout; ProjectFunction's default when unset. The queue's visibility timeout follows it. */
  timeout?: Duration;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/** As long as SQS keeps anything: time for an operator to find a parked message and redrive it. */
const RETENTION = Duration.days(14);
/** At most 10 messages an invocation, as the consumers handle them all at once (functions/consumers/). */
const DEFAULT_BATCH_SIZE = 10;
/**
 * AWS's advice for a queue feeding a function: a visibility timeout of at least six times the function's
 * timeout, so a message is not handed to a second invocation while the first may still be working on it.
 */
const VISIBILITY_PER_FUNCTION_TIMEOUT = 6;

/**
 * The shape both event consumers share: EventBridge rule on the bus -> SQS queue (with a DLQ) -> a function that
 * reports partial batch failures. A failing message is retried by SQS while the others go on, and parked in the
 * DLQ after `maxReceiveCount` tries, where an alarm reports it. The function gets exactly `storeAccess` on the table.
 */
export class EventQueueConsumer extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly rule: Rule;
  readonly function: ProjectFunction;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: EventQueueConsumerProps) {
    super(scope, id);
    this.function = new ProjectFunction(this, 'Function', {
      handlerFile: props.handlerFile,
      description: props.description,
      environment: { TABLE_NAME: props.table.tableName, ...props.environment },
      ...(props.memorySize === undefined ? {} : { memorySize: props.memorySize }),
      ...(props.timeout === undefined ? {} : { timeout: props.timeout }),
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    for (const statement of storeAccessStatements(props.table, props.storeAccess)) {
      this.function.addToRolePolicy(statement);
    }

    const queueBasics = {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: RETENTION,
      removalPolicy: props.removalPolicy,
    };
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', queueBasics);
    const functionTimeout = this.function.timeout ?? Duration.seconds(3);
    this.queue = new Queue(this, 'Queue', {
      ...queueBasics,
      visibilityTimeout: Duration.seconds(functionTimeout.toSeconds() * VISIBILITY_PER_FUNCTION_TIMEOUT),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });

    // The function holds a failed message back on its own schedule (ChangeMessageVisibility, which the event
    // source's consume grant already includes: no further permission is added for it).
    if (props.queueUrlVariable) this.function.addEnvironment(props.queueUrlVariable, this.queue.queueUrl);

    const eventPattern: EventPattern = {
      source: [EVENT_SOURCE],
      ...(props.detailTypes ? { detailType: [...props.detailTypes] } : {}),
    };
    this.rule = new Rule(this, 'Rule', { eventBus: props.bus, eventPattern, description: props.description });
    // Should EventBridge fail to put an event on the queue (after its own retries, up to 24 h), the event is
    // parked in the same DLQ, so the one alarm covers both hops.
    this.rule.addTarget(new SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue }));

    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? DEFAULT_BATCH_SIZE,
        reportBatchItemFailures: true,
        ...(props.maxConcurrency === undefined ? {} : { maxConcurrency: props.maxConcurrency }),
      }),
    );

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `${props.description}: messages are parked in the dead-letter queue after every retry failed. Inspect them, then redrive.`,
    });
    const action = new SnsAction(props.alarmTopic);
    this.deadLetterAlarm.addAlarmAction(action);
    this.deadLetterAlarm.addOkAction(action);
  }
}
