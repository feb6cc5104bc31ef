import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig, type Config } from '../config.ts';
import { createDynamoClient, documentClientFor } from '../store/client.ts';
import type { AwsClientTarget } from '../runtime/aws-call-limits.ts';
import type { Environment } from '../runtime/environment.ts';

/** The validated configuration and the one DynamoDB client a function's stores share. */
export interface StoreAccess {
  config: Config;
  dynamoClient: DynamoDBClient;
  /** Shares the client's middleware stack, so whatever observes one observes every store call. */
  documentClient: DynamoDBDocumentClient;
}

/**
 * Placeholder credentials whenever a store endpoint is set (DYNAMODB_ENDPOINT) and AWS_ACCESS_KEY_ID is not: the
 * embedded store accepts any, and these are never real ones. Otherwise none are given and the SDK finds them:
 * deployed bundles in Lambda's environment variables only (infra/bundling/env-credentials.ts); everything run
 * from source (npm start, the admin CLI, tests) through the SDK's whole default chain. So an endpoint that needs
 * real credentials (a real DynamoDB behind a proxy) needs AWS_ACCESS_KEY_ID set: a profile alone is not used.
 */
export const storeCredentials = (
  endpoint: string | undefined,
  env: Environment,
): AwsClientTarget['credentials'] | undefined =>
  endpoint !== undefined && !env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;

/** Validates the configuration first, so a missing TABLE_NAME fails here and not on a store call. */
export const openStore = (env: Environment): StoreAccess => {
  const config = loadConfig(env);
  const dynamoClient = createDynamoClient(config, storeCredentials(config.dynamodbEndpoint, env));
  return { config, dynamoClient, documentClient: documentClientFor(dynamoClient) };
};
