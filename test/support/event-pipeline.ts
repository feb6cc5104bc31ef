import { config, documentClient, logger } from './dependencies.ts';
import { createPublisher } from '../../functions/handlers/publisher.ts';
import { LocalEventBus, type Subscription } from '../../infra/local/event-bus.ts';
import { installStreamStandIn } from '../../infra/local/stream-stand-in.ts';
import { LocalUndeliveredEvents } from '../../infra/local/undelivered-events.ts';

/**
 * The local event pipeline as npm start runs it: every write to this file's table becomes a stream record,
 * the publisher Lambda turns it into domain events, and the in-process bus delivers them to `subscriptions`.
 */
export const startEventPipeline = (subscriptions: readonly Subscription[] = []) => {
  const bus = new LocalEventBus(subscriptions);
  const undelivered = new LocalUndeliveredEvents();
  const stream = installStreamStandIn(documentClient, {
    endpoint: config.dynamodbEndpoint ?? '',
    region: config.region,
    consume: createPublisher({ sink: bus, undelivered, logger }),
  });
  return {
    bus,
    undelivered,
    /** Waits until every write so far has been published and every delivery has ended. */
    settle: async () => {
      await stream.idle();
      await bus.idle();
    },
    stop: () => stream.uninstall(),
  };
};
