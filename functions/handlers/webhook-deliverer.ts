import {
  domainEventQueueHandler,
  type DomainEventQueueHandler,
  type QueueConsumerOptions,
} from '../consumers/domain-event-queue.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { webhookDelivererDependencies } from '../wiring/webhook-deliverer.ts';
import { deliverEventToWebhook, type WebhookDelivererDependencies } from '../workflows/deliver-webhook.ts';

/**
 * (primary adapter) SQS (filled by an EventBridge rule with every esign-recall event) -> each app's webhook.
 * `queue` carries the per-delivery deadline and the backoff (functions/webhooks/deliverer.ts).
 */
export const createWebhookDeliverer = (
  deps: WebhookDelivererDependencies & { queue?: QueueConsumerOptions },
): DomainEventQueueHandler =>
  domainEventQueueHandler((event, context) => deliverEventToWebhook(deps, event, context), deps.logger, deps.queue);

export const handler = await lambdaHandler(async () =>
  createWebhookDeliverer(await webhookDelivererDependencies(readEnvironment())),
);
