import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig, type Config } from '../config.ts';
import { createDynamoClient, documentClientFor } from '../store/client.ts';
import type { Environment } from './environment.ts';

/** The validated configuration and the one DynamoDB client a function's stores share. */
export interface StoreAccess {
  config: Config;
  dynamoClient: DynamoDBClient;
  /** Shares the client's middleware stack, so whatever observes one observes every store call. */
  documentClient: DynamoDBDocumentClient;
}

/** Validates the configuration first, so a missing TABLE_NAME fails here and not on a store call. */
export const openStore = (env: Environment): StoreAccess => {
  const config = loadConfig(env);
  const dynamoClient = createDynamoClient(config);
  return { config, dynamoClient, documentClient: documentClientFor(dynamoClient) };
};
