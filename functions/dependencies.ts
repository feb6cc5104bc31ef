import { loadConfig } from './config.ts';
import { AppTokenCache } from './store/app-token-cache.ts';
import { AppStore } from './store/apps.ts';
import { createDynamoClient, documentClientFor } from './store/client.ts';
import { idempotencyRunner } from './store/idempotency.ts';
import { SignRequestStore } from './store/sign-requests.ts';
import { WebhookStore } from './store/webhooks.ts';

/**
 * Everything a function needs, built once per container at cold start: config (validated, so a missing
 * TABLE_NAME fails here and not on the first request), one DynamoDB client, the stores and the logger.
 */
export const config = loadConfig(process.env);
export const dynamoClient = createDynamoClient(config);
export const documentClient = documentClientFor(dynamoClient);
export const appStore = new AppStore(documentClient, config.tableName);
export const signRequests = new SignRequestStore(documentClient, config.tableName);
export const appTokens = new AppTokenCache((hash) => appStore.findByTokenHash(hash), config.appTokenCacheTtlMs);
export const runIdempotently = idempotencyRunner(dynamoClient, config.tableName);
export { logger } from './logger.ts';
export const webhooks = new WebhookStore(documentClient, config.tableName);
