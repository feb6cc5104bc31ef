import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { eventBridgeSink } from '../events/event-bridge-sink.ts';
import { createLogger } from '../logger.ts';
import type { PublishDependencies } from '../workflows/publish.ts';
import { boundedAwsClientConfig } from './aws-call-limits.ts';
import type { Environment } from './environment.ts';

/** In AWS: publishes to the bus CDK names in EVENT_BUS_NAME. Needs no table: it reads the stream it is given. */
export const publisherDependencies = (env: Environment): PublishDependencies => {
  const eventBusName = env.EVENT_BUS_NAME;
  // Fail the function's start, not every record, when deployed without its bus.
  if (!eventBusName) throw new Error('Invalid configuration: EVENT_BUS_NAME');
  return {
    sink: eventBridgeSink(new EventBridgeClient(boundedAwsClientConfig()), eventBusName),
    logger: createLogger(env),
  };
};
