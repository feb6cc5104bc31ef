import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.ts';

/** Tight timeouts: a stuck store call should turn into a 503 well inside API Gateway's 30 s, not hang. */
const TIMEOUTS = { connectionTimeout: 1_000, requestTimeout: 3_000 };

export const createDynamoClient = (config: Pick<Config, 'dynamodbEndpoint' | 'region'>): DynamoDBClient => {
  const local = config.dynamodbEndpoint !== undefined;
  return new DynamoDBClient({
    region: config.region,
    maxAttempts: 3,
    requestHandler: TIMEOUTS,
    ...(local ? { endpoint: config.dynamodbEndpoint } : {}),
    // The embedded store accepts any credentials; real ones are only needed (and found) in AWS. Deployed bundles
    // find them in Lambda's environment variables only (infra/bundling/env-credentials.ts); everything run from
    // source (npm start, the admin CLI, tests) keeps the SDK's whole default chain, a developer's profile included.
    ...(local && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
};

/** Shares the client's middleware stack, so whatever observes one observes every store call. */
export const documentClientFor = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
