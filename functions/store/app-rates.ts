import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { LeaseOutcome, LeaseWrite, RateBuckets } from '../core/app-rate.ts';
import { isConditionFailed } from './errors.ts';
import { appRateKey } from './keys.ts';
import { TTL_ATTRIBUTE } from './table.ts';

/** An idle app's bucket is full again long before this; TTL then removes the item (the next lease recreates it). */
const KEPT_SECONDS = 24 * 60 * 60;

const tatOf = (item: Record<string, unknown> | undefined): number | undefined =>
  typeof item?.tat === 'number' ? item.tat : undefined;

/**
 * (secondary adapter) Each app's shared GCRA bucket: one item, `RATE#<appId>`, whose `tat` one conditional
 * UpdateItem moves per lease (functions/core/app-rate.ts says which of the two forms and with which numbers).
 * A refused write comes back with the tat it found: the old item DynamoDB returns with the failure, or, from a
 * store that returns none (the embedded one), one consistent read.
 */
export class AppRateStore implements RateBuckets {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async lease(write: LeaseWrite): Promise<LeaseOutcome> {
    const busy = write.form === 'busy';
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: appRateKey(write.appId),
          UpdateExpression: busy ? 'SET #tat = #tat + :add, #ttl = :ttl' : 'SET #tat = :tat, #ttl = :ttl',
          ConditionExpression: busy ? '#tat > :now AND #tat <= :max' : 'attribute_not_exists(#tat) OR #tat <= :now',
          ExpressionAttributeNames: { '#tat': 'tat', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':now': write.now,
            ':ttl': Math.floor(write.now / 1000) + KEPT_SECONDS,
            ...(busy ? { ':add': write.addMs, ':max': write.busyMaxTat } : { ':tat': write.idleTat }),
          },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const tat = tatOf(Attributes);
      if (tat === undefined) throw new Error('a landed lease returned no tat');
      return { ok: true, tat };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const old = error.Item ? unmarshall(error.Item) : await this.read(write.appId);
      return { ok: false, tat: tatOf(old) };
    }
  }

  private async read(appId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: appRateKey(appId), ConsistentRead: true }),
    );
    return Item;
  }
}
