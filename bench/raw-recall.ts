import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { recallHistoryEntry, recallRecord } from '../functions/core/recall.ts';
import { SignRequestStatus } from '../functions/core/sign-request.ts';
import { isConditionFailed } from '../functions/store/errors.ts';
import { signRequestKey } from '../functions/store/keys.ts';
import { RECALL_REASON } from './events.ts';

/**
 * The baseline: the recall's conditional UpdateItem alone, spelled as SignRequestStore.recall
 * (functions/store/sign-requests.ts) sends it: same key, update, condition and return option. It is copied,
 * not called, because the point is to measure everything the handler adds around this one call.
 * Keep it in step with the store if that write changes. True when the write landed.
 */
export const rawRecall = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  signRequestId: string,
  appId: string,
): Promise<boolean> => {
  const at = new Date().toISOString();
  const record = recallRecord(
    { signRequestId, appId, reason: RECALL_REASON.recallReason, by: RECALL_REASON.recalledBy },
    at,
  );
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: signRequestKey(signRequestId),
        UpdateExpression:
          'SET #status = :cancelled, #recall = :recall, #updatedAt = :at, #version = #version + :one, ' +
          '#history = list_append(#history, :entry) REMOVE #gsi2pk, #gsi2sk',
        ConditionExpression:
          'attribute_exists(#pk) AND #status IN (:pending, :partial) AND #signedCount < #signerCount AND ' +
          '#updatedAt <= :at AND #appId = :appId AND (attribute_not_exists(#expiresAt) OR #expiresAt > :at)',
        ExpressionAttributeNames: {
          '#pk': 'pk',
          '#appId': 'appId',
          '#status': 'status',
          '#recall': 'recall',
          '#updatedAt': 'updatedAt',
          '#version': 'version',
          '#history': 'history',
          '#signedCount': 'signedCount',
          '#signerCount': 'signerCount',
          '#expiresAt': 'expiresAt',
          '#gsi2pk': 'gsi2pk',
          '#gsi2sk': 'gsi2sk',
        },
        ExpressionAttributeValues: {
          ':pending': SignRequestStatus.Pending,
          ':partial': SignRequestStatus.PartiallySigned,
          ':cancelled': SignRequestStatus.Cancelled,
          ':recall': record,
          ':at': at,
          ':one': 1,
          ':entry': [recallHistoryEntry(record)],
          ':appId': appId,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
};
