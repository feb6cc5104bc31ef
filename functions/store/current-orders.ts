import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PartitionKeyPrefix, signRequestKey } from './keys.ts';
import { TableKeys } from './table.ts';

/**
 * Keys DynamoDB left unread after every retry (it answers a batch in part when a partition is throttled). Its name
 * is one functions/runtime/unavailable.ts knows: the caller gets a 503 to retry, never a page with a wrong group.
 */
class BatchReadUnprocessed extends Error {
  override readonly name = 'BatchReadUnprocessed';
  constructor(readonly unread: number) {
    super(`${unread} keys were left unprocessed by BatchGetItem after every retry`);
  }
}

/** BatchGetItem takes at most 100 keys; a list page holds at most 100 items (contracts/list.ts MAX_LIST_LIMIT). */
const MAX_BATCH_KEYS = 100;
/** Retries of the keys a batch leaves unprocessed, as AWS advises: with exponential backoff, and bounded. */
const UNPROCESSED_RETRIES = 3;
const retryPauseMs = (retry: number) => 50 * 2 ** retry;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Key = ReturnType<typeof signRequestKey>;

/**
 * (secondary adapter) The signing order's group invited now (`currentOrder`) of sign requests, read from their
 * table items: GSI1 does not hold it, and a deployed index's projection cannot be changed (docs/design.md). One
 * BatchGetItem per call, of the key and `currentOrder` alone, eventually consistent like the index it completes.
 */
export class CurrentOrderReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Each id's currentOrder; an id whose item keeps none (made before signing order) or is gone is absent. */
  async of(ids: readonly string[]): Promise<Map<string, number>> {
    const orders = new Map<string, number>();
    // DynamoDB refuses a batch naming one key twice, and one with no key at all.
    const unique = [...new Set(ids)];
    if (unique.length === 0) return orders;
    if (unique.length > MAX_BATCH_KEYS) throw new RangeError(`At most ${MAX_BATCH_KEYS} ids per read`);
    let keys: Key[] = unique.map(signRequestKey);
    for (let retry = 0; ; retry++) {
      const { Responses, UnprocessedKeys } = await this.client.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: {
              Keys: keys,
              ProjectionExpression: '#pk, #sk, #currentOrder',
              ExpressionAttributeNames: {
                '#pk': TableKeys.partitionKey,
                '#sk': TableKeys.sortKey,
                '#currentOrder': 'currentOrder',
              },
            },
          },
        }),
      );
      for (const item of Responses?.[this.tableName] ?? []) {
        if (typeof item.currentOrder === 'number')
          orders.set(String(item.pk).slice(PartitionKeyPrefix.signRequest.length), item.currentOrder);
      }
      keys = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Key[];
      if (keys.length === 0) return orders;
      if (retry === UNPROCESSED_RETRIES) throw new BatchReadUnprocessed(keys.length);
      await pause(retryPauseMs(retry));
    }
  }
}
