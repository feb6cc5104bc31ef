import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { and, attr, eq, le, value } from '../core/conditions.ts';
import { expressions } from './expressions.ts';
import { EXPIRY_SHARDS, expiryShardKey, PartitionKeyPrefix, reminderShardKey } from './keys.ts';
import type { Item } from './sign-request-items.ts';
import { Gsi2, Gsi3 } from './table.ts';

interface ShardedIndex {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  shardKey: (shard: number) => string;
}

const EXPIRY_INDEX: ShardedIndex = { ...Gsi2, shardKey: expiryShardKey };
const REMINDER_INDEX: ShardedIndex = { ...Gsi3, shardKey: reminderShardKey };

/**
 * Ids in every shard of a sparse index sorted by `<time>#<id>`, up to `now`, a page at a time as the caller asks
 * for more; it moves on from where the last page ended, so an item the caller could not take out of the index is
 * passed over, never read again in the same run. The expiry and reminder indexes share this shape.
 */
async function* dueInShardedIndex(
  client: DynamoDBDocumentClient,
  tableName: string,
  index: ShardedIndex,
  now: string,
  pageSize: number,
): AsyncGenerator<string> {
  for (let shard = 0; shard < EXPIRY_SHARDS; shard++) {
    let start: Item | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index.indexName,
          ...expressions({
            keyCondition: and(
              eq(attr(index.partitionKey), value(index.shardKey(shard))),
              // '~' sorts after every id character, so what is due exactly at `now` is included.
              le(attr(index.sortKey), value(`${now}#~`)),
            ),
          }),
          Limit: pageSize,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) yield String(item.pk).slice(PartitionKeyPrefix.signRequest.length);
      start = page.LastEvaluatedKey;
    } while (start);
  }
}

/** Ids of open requests whose deadline is at or before `now`, from every shard of the sparse expiry index. */
export const dueForExpiry = (client: DynamoDBDocumentClient, tableName: string, now: string, pageSize = 100) =>
  dueInShardedIndex(client, tableName, EXPIRY_INDEX, now, pageSize);

/** Ids of requests whose automatic reminder is due at or before `now`, from every shard of the reminder index. */
export const dueForReminder = (client: DynamoDBDocumentClient, tableName: string, now: string, pageSize = 100) =>
  dueInShardedIndex(client, tableName, REMINDER_INDEX, now, pageSize);
