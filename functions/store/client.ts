import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.ts';

/**
 * Tight timeouts that abort: a stuck store call is cut off, retried by the SDK (3 attempts), and ends as a 503
 * within about 10 s, well inside the function's timeout. Without `throwOnRequestTimeout` the installed handler
 * only logs a warning when requestTimeout passes and keeps waiting.
 */
const TIMEOUTS = { connectionTimeout: 1_000, requestTimeout: 2_500, throwOnRequestTimeout: true };

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
