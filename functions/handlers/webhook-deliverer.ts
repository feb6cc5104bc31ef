import { logger, webhooks } from '../dependencies.ts';
import { loadSigningKey } from '../signing-key.ts';
import { createWebhookDeliverer } from '../webhooks/deliverer.ts';
import { webhookUrlPolicyFrom } from '../webhooks/webhook-url.ts';

/** SQS (filled by an EventBridge rule with every esign-recall event) -> each app's webhook. */
export const handler = createWebhookDeliverer({
  webhooks,
  signingKey: await loadSigningKey(process.env),
  urlPolicy: webhookUrlPolicyFrom(process.env),
  logger,
});
