import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SignRequest } from '../../functions/core/sign-request.ts';
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
