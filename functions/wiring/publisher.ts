import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { eventBridgeSink } from '../events/event-bridge-sink.ts';
import { undeliveredEventsQueue } from '../events/undelivered-queue.ts';
import { createLogger } from '../logger.ts';
import type { PublishDependencies } from '../workflows/publish.ts';
import { boundedAwsClientConfig } from '../runtime/aws-call-limits.ts';
import type { Environment } from '../runtime/environment.ts';

/**
 * In AWS: publishes to the bus CDK names in EVENT_BUS_NAME, and keeps what it could not publish in the queue
 * UNDELIVERED_EVENTS_QUEUE_URL. Needs no table: it reads the stream it is given.
 */
export const publisherDependencies = (env: Environment): PublishDependencies => {
  const eventBusName = env.EVENT_BUS_NAME;
  // Fail the function's start, not every record, when deployed without its bus.
  if (!eventBusName) throw new Error('Invalid configuration: EVENT_BUS_NAME');
  const undeliveredQueueUrl = env.UNDELIVERED_EVENTS_QUEUE_URL;
  if (!undeliveredQueueUrl) throw new Error('Invalid configuration: UNDELIVERED_EVENTS_QUEUE_URL');
  return {
    sink: eventBridgeSink(new EventBridgeClient(boundedAwsClientConfig()), eventBusName),
    undelivered: undeliveredEventsQueue(new SQSClient(boundedAwsClientConfig()), undeliveredQueueUrl),
    logger: createLogger(env),
  };
};
