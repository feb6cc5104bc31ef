import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Upload } from '../core/upload.ts';
import { isConditionFailed } from './errors.ts';
import { uploadRecordKey } from './keys.ts';
import { TTL_ATTRIBUTE } from './table.ts';

/** The table's TTL removes an upload's item a day after nobody may use it any more. */
const KEEP_AFTER_USE_BY_SECONDS = 24 * 60 * 60;

/** What claiming an upload for a request found: it is this request's now, or another's, or it is not there. */
export type UploadUse = { ok: true } | { ok: false; usedBy: string | undefined };

const uploadOf = (item: Record<string, unknown> | undefined): Upload | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...upload } = item;
  return upload as unknown as Upload;
};

/** (secondary adapter) The apps' uploads: one item each, keyed by app and id (keys.ts `uploadRecordKey`). */
export class UploadStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Records a new upload; its id is a ULID drawn a moment ago, so an item under it can only be this one. */
  async create(upload: Upload): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...uploadRecordKey(upload.appId, upload.documentId),
          ...upload,
          [TTL_ATTRIBUTE]: Math.floor(Date.parse(upload.useBy) / 1000) + KEEP_AFTER_USE_BY_SECONDS,
        },
      }),
    );
  }

  /** The app's own upload; another app's id finds nothing, exactly as an unknown one. */
  async get(appId: string, documentId: string): Promise<Upload | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: uploadRecordKey(appId, documentId), ConsistentRead: true }),
    );
    return uploadOf(Item);
  }

  /**
   * The one-use rule, in one conditional write: the upload becomes request `signRequestId`'s unless another
   * request has it. The same request may claim it again (an Idempotency-Key retry, or the SDK's own retry of a
   * write whose answer was lost), and keeps its first time. `abandoned`: the request an abandoned claim names
   * (core/upload.ts), taken over only if it still holds the upload, with a fresh claim time.
   */
  async use(
    appId: string,
    documentId: string,
    signRequestId: string,
    at: string,
    abandoned?: string,
  ): Promise<UploadUse> {
    const key = uploadRecordKey(appId, documentId);
    const mayTakeOver = abandoned !== undefined && abandoned !== signRequestId;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: mayTakeOver
            ? 'SET #usedBy = :id, #usedAt = :at'
            : 'SET #usedBy = :id, #usedAt = if_not_exists(#usedAt, :at)',
          ConditionExpression: mayTakeOver
            ? 'attribute_exists(#pk) AND #usedBy = :abandoned'
            : 'attribute_exists(#pk) AND (attribute_not_exists(#usedBy) OR #usedBy = :id)',
          ExpressionAttributeNames: { '#pk': 'pk', '#usedBy': 'usedBy', '#usedAt': 'usedAt' },
          ExpressionAttributeValues: {
            ':id': signRequestId,
            ':at': at,
            ...(mayTakeOver ? { ':abandoned': abandoned } : {}),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { ok: true };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      // The embedded store returns no old item on a refused write: read it, consistently.
      const held = error.Item ? unmarshall(error.Item) : await this.get(appId, documentId);
      const usedBy: unknown = held?.usedBy;
      // A takeover whose write landed but whose answer was lost finds the upload this request's own.
      if (usedBy === signRequestId) return { ok: true };
      return { ok: false, usedBy: typeof usedBy === 'string' ? usedBy : undefined };
    }
  }
}
