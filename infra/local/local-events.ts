import type { DomainEvent } from '../../functions/core/events.ts';
import { createPublisher } from '../../functions/handlers/publisher.ts';
import { createSignerNotifier } from '../../functions/handlers/signer-notifier.ts';
import { createWebhookDeliverer } from '../../functions/handlers/webhook-deliverer.ts';
import { createLogger } from '../../functions/logger.ts';
import { OutboxNotifier } from '../../functions/notifications/outbox-notifier.ts';
import type { SignerNotification } from '../../functions/notifications/notifier.ts';
import { NOTIFICATION_MAX_RECEIVE_COUNT } from '../../functions/notifications/signer-notifier.ts';
import { SignRequestStore } from '../../functions/store/sign-requests.ts';
import { WEBHOOK_MAX_RECEIVE_COUNT } from '../../functions/webhooks/deliverer.ts';
import type { Environment } from '../../functions/wiring/environment.ts';
import type { StoreAccess } from '../../functions/wiring/store-access.ts';
import { webhookDelivererDependencies } from '../../functions/wiring/webhook-deliverer.ts';
import { LocalEventBus, type DeadLetter, type Subscription } from './event-bus.ts';
import { installStreamStandIn } from './stream-stand-in.ts';

export interface LocalEventsOptions {
  /** The settings the functions run with here; the deliverer takes its signing key and URL rules from them. */
  env: Environment;
  /** The store the HTTP functions write to: its writes are the stream this publishes. */
  store: StoreAccess;
  /** Waits before the n-th redelivery: base * 2^(n-1). */
  backoffBaseMs: number;
  onEvent?: (event: DomainEvent) => void;
  onNotification?: (notification: SignerNotification) => void;
  onDeadLetter?: (letter: DeadLetter) => void;
}

/**
 * What AWS wires with a stream, a bus, two rules and two queues, in this process: every write to the table
 * becomes a stream record for the publisher Lambda runs, and its events reach the webhook deliverer and the
 * signer notifier Lambda runs, with the same redelivery counts as the queues in infra/constructs.
 */
export const startLocalEvents = async (options: LocalEventsOptions) => {
  const { env, store } = options;
  const logger = createLogger(env);
  const outbox = new OutboxNotifier(options.onNotification);
  const subscriptions: Subscription[] = [
    {
      name: 'webhooks',
      matches: () => true,
      consumer: createWebhookDeliverer(await webhookDelivererDependencies(env, store)),
      maxReceiveCount: WEBHOOK_MAX_RECEIVE_COUNT,
      backoffBaseMs: options.backoffBaseMs,
    },
    {
      name: 'signer-notifications',
      matches: (event) => event.type === 'SignRequestRecalled',
      // As the notifier Lambda runs, with the outbox in place of SES.
      consumer: createSignerNotifier({
        signRequests: new SignRequestStore(store.documentClient, store.config.tableName),
        notifier: outbox,
        logger,
      }),
      maxReceiveCount: NOTIFICATION_MAX_RECEIVE_COUNT,
      backoffBaseMs: options.backoffBaseMs,
    },
  ];
  const bus = new LocalEventBus(subscriptions, options.onDeadLetter);
  const publish = createPublisher({
    sink: {
      publish: async (events) => {
        for (const event of events) options.onEvent?.(event);
        await bus.publish(events);
      },
    },
    logger,
  });
  const stream = installStreamStandIn(store.documentClient, {
    endpoint: store.config.dynamodbEndpoint ?? '',
    region: store.config.region,
    consume: publish,
  });
  return {
    bus,
    outbox,
    settle: async () => {
      await stream.idle();
      await bus.idle();
    },
    stop: () => stream.uninstall(),
  };
};
