import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { expiryIndexKey, signRequestKey } from '../../functions/store/keys.ts';
import { fromItem } from '../../functions/store/sign-request-items.ts';
import { config, documentClient } from './dependencies.ts';

/**
 * Every sign request item of an app, read straight from the table (a consistent scan, every page), not through
 * any function or index: what tests count to prove that exactly one request was made, whatever failed where.
 */
export const storedRequestsOf = async (appId: string): Promise<SignRequest[]> => {
  const requests: SignRequest[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({
        TableName: config.tableName,
        FilterExpression: 'begins_with(pk, :sr) AND appId = :appId',
        ExpressionAttributeValues: { ':sr': 'SR#', ':appId': appId },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    requests.push(...(page.Items ?? []).map(fromItem));
    start = page.LastEvaluatedKey;
  } while (start);
  return requests;
};

/** The ids of an app's sign request items, sorted (ULIDs sort by creation time). */
export const storedRequestIdsOf = async (appId: string): Promise<string[]> =>
  (await storedRequestsOf(appId)).map((request) => request.id).sort();

/**
 * Moves a request's deadline (and its expiry index key) a minute into the past, straight in the table: a test
 * reaches "past its deadline, the expiry job not yet run" at once, instead of waiting for a real deadline to pass.
 */
export const moveDeadlineIntoThePast = async (id: string): Promise<string> => {
  const expiresAt = new Date(Date.now() - 60_000).toISOString();
  const { gsi2sk } = expiryIndexKey(expiresAt, id);
  await documentClient.send(
    new UpdateCommand({
      TableName: config.tableName,
      Key: signRequestKey(id),
      UpdateExpression: 'SET expiresAt = :expiresAt, gsi2sk = :gsi2sk',
      ConditionExpression: 'attribute_exists(expiresAt)',
      ExpressionAttributeValues: { ':expiresAt': expiresAt, ':gsi2sk': gsi2sk },
    }),
  );
  return expiresAt;
};
