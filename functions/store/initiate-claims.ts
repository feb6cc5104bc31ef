import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isConditionFailed } from './errors.ts';
import { initiateClaimKey } from './keys.ts';
import { IDEMPOTENCY_TTL_SECONDS, TTL_ATTRIBUTE } from './table.ts';

/**
 * (secondary adapter) Which request an initiate's Idempotency-Key stands for, kept as long as the key's
 * idempotency record. Powertools remembers an answer only once it is saved: when the store's answers were lost
 * until the call gave up (503), it forgets the key, and the caller's retry would run the initiate again. The
 * claim, written before anything else, lets that retry find the request the first call made instead of making
 * a second one.
 */
export class InitiateClaimStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Claims `key` for request `signRequestId` unless an earlier call holds it; answers the id the key stands for:
   * this one, or the earlier call's. A claim whose own write lost its answer finds itself, so answers its own id.
   */
  async claim(appId: string, key: string, signRequestId: string, now: Date): Promise<string> {
    const itemKey = initiateClaimKey(appId, key);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKey, signRequestId, [TTL_ATTRIBUTE]: nowSeconds + IDEMPOTENCY_TTL_SECONDS },
          // TTL deletes late: a claim past its time is as good as gone.
          ConditionExpression: 'attribute_not_exists(#pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#pk': 'pk', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': nowSeconds },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return signRequestId;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const held = error.Item
        ? unmarshall(error.Item)
        : (await this.client.send(new GetCommand({ TableName: this.tableName, Key: itemKey, ConsistentRead: true })))
            .Item;
      if (typeof held?.signRequestId !== 'string')
        throw new Error('an initiate claim without its request id', { cause: error });
      return held.signRequestId;
    }
  }
}
