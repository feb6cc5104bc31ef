import { createLogger } from '../logger.ts';
import { WebhookStore } from '../store/webhooks.ts';
import { webhookUrlPolicyFrom } from '../webhooks/webhook-url.ts';
import type { WebhookDelivererDependencies } from '../workflows/deliver-webhook.ts';
import type { Environment } from './environment.ts';
import { signingKeyFrom } from './signing-keys.ts';
import { openStore, type StoreAccess } from './store-access.ts';

export interface WebhookDelivererFunctionDependencies extends WebhookDelivererDependencies {
  webhooks: WebhookStore;
}

export const webhookDelivererDependencies = async (
  env: Environment,
  store: StoreAccess = openStore(env),
): Promise<WebhookDelivererFunctionDependencies> => ({
  webhooks: new WebhookStore(store.documentClient, store.config.tableName),
  signingKey: await signingKeyFrom('webhook', env),
  urlPolicy: webhookUrlPolicyFrom(env),
  logger: createLogger(env),
});
