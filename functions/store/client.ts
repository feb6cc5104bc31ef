import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.ts';

/** Tight timeouts: a stuck store call should turn into a 503 well inside API Gateway's 30 s, not hang. */
const TIMEOUTS = { connectionTimeout: 1_000, requestTimeout: 3_000 };

export const createDocumentClient = (config: Pick<Config, 'dynamodbEndpoint' | 'region'>): DynamoDBDocumentClient => {
  const local = config.dynamodbEndpoint !== undefined;
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: 3,
    requestHandler: TIMEOUTS,
    ...(local ? { endpoint: config.dynamodbEndpoint } : {}),
    // The embedded store accepts any credentials; real ones are only needed (and found) in AWS.
    ...(local && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
};
