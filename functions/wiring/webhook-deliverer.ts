import { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueConsumerOptions } from '../consumers/domain-event-queue.ts';
import { sqsVisibility } from '../consumers/sqs-visibility.ts';
import { createLogger } from '../logger.ts';
import { WebhookStore } from '../store/webhooks.ts';
import { webhookRetryDelaySeconds } from '../webhooks/deliverer.ts';
import { webhookUrlPolicyFrom } from '../webhooks/webhook-url.ts';
import type { WebhookDelivererDependencies } from '../workflows/deliver-webhook.ts';
import { boundedAwsClientConfig, QUEUE_VISIBILITY_CALL_LIMITS } from '../runtime/aws-call-limits.ts';
import type { Environment } from '../runtime/environment.ts';
import { signingKeyFrom } from './signing-keys.ts';
import { openStore, type StoreAccess } from './store-access.ts';

export interface WebhookDelivererFunctionDependencies extends WebhookDelivererDependencies {
  webhooks: WebhookStore;
  queue?: QueueConsumerOptions;
}

/**
 * In AWS, WEBHOOK_QUEUE_URL (set by CDK) is the queue whose failed messages are held back on the retry
 * schedule; a deliverer in Lambda without it refuses to start, as it would retry every 90 s and give up in
 * minutes. Elsewhere (npm start, tests) the local bus brings its own backoff. Its SQS calls run in the time
 * kept back after handling, so they are bounded to fit it (QUEUE_VISIBILITY_CALL_LIMITS): a hung SQS must not
 * keep the batch's failures from being reported, or the whole batch would be delivered again.
 */
const webhookQueueOptions = (env: Environment): { queue?: QueueConsumerOptions } => {
  const queueUrl = env.WEBHOOK_QUEUE_URL;
  if (!queueUrl) {
    if (env.AWS_LAMBDA_FUNCTION_NAME) throw new Error('Invalid configuration: WEBHOOK_QUEUE_URL');
    return {};
  }
  const visibility = sqsVisibility(new SQSClient(boundedAwsClientConfig({}, QUEUE_VISIBILITY_CALL_LIMITS)), queueUrl);
  return { queue: { backoff: { visibility, delaySeconds: webhookRetryDelaySeconds } } };
};

export const webhookDelivererDependencies = async (
  env: Environment,
  store: StoreAccess = openStore(env),
): Promise<WebhookDelivererFunctionDependencies> => ({
  webhooks: new WebhookStore(store.documentClient, store.config.tableName),
  signingKey: await signingKeyFrom('webhook', env),
  urlPolicy: webhookUrlPolicyFrom(env),
  logger: createLogger(env),
  ...webhookQueueOptions(env),
});
