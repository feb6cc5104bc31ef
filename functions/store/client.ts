import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.ts';
import { boundedAwsClientConfig, STORE_CALL_LIMITS, type AwsClientTarget } from '../runtime/aws-call-limits.ts';

/**
 * Timeouts that abort (STORE_CALL_LIMITS): a stuck store call is cut off and retried by the SDK, and a hung store
 * ends as a 503 in about 8 s (never more than 11.1 s by those limits), inside the function's 15 s timeout.
 * `credentials` are given only for a store that needs placeholders (storeCredentials, wiring/store-access.ts);
 * without them the SDK finds its own.
 */
export const createDynamoClient = (
  config: Pick<Config, 'dynamodbEndpoint' | 'region'>,
  credentials?: AwsClientTarget['credentials'],
): DynamoDBClient =>
  new DynamoDBClient(
    boundedAwsClientConfig(
      {
        region: config.region,
        ...(config.dynamodbEndpoint !== undefined ? { endpoint: config.dynamodbEndpoint } : {}),
        ...(credentials ? { credentials } : {}),
      },
      STORE_CALL_LIMITS,
    ),
  );

/** Shares the client's middleware stack, so whatever observes one observes every store call. */
export const documentClientFor = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
