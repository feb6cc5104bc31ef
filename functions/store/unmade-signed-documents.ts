import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SignRequestStatus, type SignRequest } from '../core/sign-request.ts';
import { PartitionKeyPrefix } from './keys.ts';
import { fromItem, isSignRequestItem } from './sign-request-items.ts';

/** Items read per Scan call (before the filter): each call stays small, however large the items. */
const ITEMS_PER_CALL = 100;

/**
 * (secondary adapter, for the operator) The completed requests that have no signed document recorded, of every
 * app or of one, a page at a time. A consistent Scan of the whole table with a filter: run by hand, rarely (the
 * backfill of `npm run app -- make-signed-documents`), where reading every item is acceptable and the app list
 * index is not (eventually consistent, and it holds no `signedDocument`).
 */
export async function* completedWithoutSignedDocument(
  client: DynamoDBDocumentClient,
  tableName: string,
  appId?: string,
): AsyncGenerator<SignRequest[]> {
  const pages = paginateScan(
    { client, pageSize: ITEMS_PER_CALL },
    {
      TableName: tableName,
      FilterExpression:
        'begins_with(pk, :prefix) AND sk = :meta AND #status = :completed AND attribute_not_exists(signedDocument)' +
        (appId === undefined ? '' : ' AND appId = :appId'),
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':prefix': PartitionKeyPrefix.signRequest,
        ':meta': 'META',
        ':completed': SignRequestStatus.Completed,
        ...(appId === undefined ? {} : { ':appId': appId }),
      },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    const requests = (page.Items ?? []).filter(isSignRequestItem).map(fromItem);
    if (requests.length > 0) yield requests;
  }
}
