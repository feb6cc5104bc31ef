import { domainEventQueueHandler, type DomainEventQueueHandler } from '../consumers/domain-event-queue.ts';
import { readEnvironment } from '../wiring/environment.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { webhookDelivererDependencies } from '../wiring/webhook-deliverer.ts';
import { deliverEventToWebhook, type WebhookDelivererDependencies } from '../workflows/deliver-webhook.ts';

/** (primary adapter) SQS (filled by an EventBridge rule with every esign-recall event) -> each app's webhook. */
export const createWebhookDeliverer = (deps: WebhookDelivererDependencies): DomainEventQueueHandler =>
  domainEventQueueHandler((event, context) => deliverEventToWebhook(deps, event, context), deps.logger);

export const handler = await lambdaHandler(async () =>
  createWebhookDeliverer(await webhookDelivererDependencies(readEnvironment())),
);
