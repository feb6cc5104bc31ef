import type { DomainEvent } from '../../functions/core/events.ts';
import { config, documentClient, logger, signRequests, webhooks } from '../../functions/dependencies.ts';
import { createPublisher } from '../../functions/handlers/publisher.ts';
import { OutboxNotifier } from '../../functions/notifications/outbox-notifier.ts';
import type { SignerNotification } from '../../functions/notifications/notifier.ts';
import { createSignerNotifier, NOTIFICATION_MAX_RECEIVE_COUNT } from '../../functions/notifications/signer-notifier.ts';
import { createWebhookDeliverer, WEBHOOK_MAX_RECEIVE_COUNT } from '../../functions/webhooks/deliverer.ts';
import { webhookUrlPolicyFrom } from '../../functions/webhooks/webhook-url.ts';
import { LocalEventBus, type DeadLetter, type Subscription } from './event-bus.ts';
import { installStreamStandIn } from './stream-stand-in.ts';

export interface LocalEventsOptions {
  signingKey: Buffer;
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
export const startLocalEvents = (options: LocalEventsOptions) => {
  const outbox = new OutboxNotifier(options.onNotification);
  const subscriptions: Subscription[] = [
    {
      name: 'webhooks',
      matches: () => true,
      consumer: createWebhookDeliverer({
        webhooks,
        signingKey: options.signingKey,
        urlPolicy: webhookUrlPolicyFrom(process.env),
        logger,
      }),
      maxReceiveCount: WEBHOOK_MAX_RECEIVE_COUNT,
      backoffBaseMs: options.backoffBaseMs,
    },
    {
      name: 'signer-notifications',
      matches: (event) => event.type === 'SignRequestRecalled',
      consumer: createSignerNotifier({ signRequests, notifier: outbox, logger }),
      maxReceiveCount: NOTIFICATION_MAX_RECEIVE_COUNT,
      backoffBaseMs: options.backoffBaseMs,
    },
  ];
  const bus = new LocalEventBus(subscriptions, options.onDeadLetter);
  const publish = createPublisher({
    publish: async (events) => {
      for (const event of events) options.onEvent?.(event);
      await bus.publish(events);
    },
  });
  const stream = installStreamStandIn(documentClient, {
    endpoint: config.dynamodbEndpoint ?? '',
    region: config.region,
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
