import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sha256Hex } from '../core/signing-token.ts';
import { isConditionFailed } from './errors.ts';
import { keyInputKey } from './keys.ts';
import { IDEMPOTENCY_TTL_SECONDS, TTL_ATTRIBUTE } from './table.ts';

/** One keyed call of an operation by an app, with its validated input. */
export interface KeyedInput {
  appId: string;
  operation: string;
  key: string;
  input: unknown;
}

/** JSON with every object's fields in one order, so the same fields sent in another order hash alike. */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_field, part: unknown) =>
    part !== null && typeof part === 'object' && !Array.isArray(part)
      ? Object.fromEntries(Object.entries(part).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : part,
  );

const inputHashOf = (call: KeyedInput): string => sha256Hex(canonicalJson(call.input));

/**
 * (secondary adapter) Which input an Idempotency-Key was first used with, per app and operation, kept as long as
 * the key's Powertools record. Powertools remembers an input only while its record lives, and deletes the record
 * when the call fails: after a 503 whose change had landed, a retry with the same key and ANOTHER body would run
 * and be answered with the first call's change. Written before the call runs, and kept when it fails, this
 * record lets that retry be refused as the reuse it is.
 */
export class KeyInputStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Records the call's input as the key's; false when the key was used with another input within the day. */
  async bind(call: KeyedInput, now: Date): Promise<boolean> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keyInputKey(call.appId, call.key, call.operation),
            inputHash: inputHashOf(call),
            [TTL_ATTRIBUTE]: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
          },
          // TTL deletes late: a record past its time is as good as gone.
          ConditionExpression: 'attribute_not_exists(#pk) OR #ttl < :now OR #inputHash = :inputHash',
          ExpressionAttributeNames: { '#pk': 'pk', '#ttl': TTL_ATTRIBUTE, '#inputHash': 'inputHash' },
          ExpressionAttributeValues: { ':now': nowSeconds, ':inputHash': inputHashOf(call) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** Forgets the call's input: a call refused changed nothing, so its key may be used again with another body. */
  async release(call: KeyedInput): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keyInputKey(call.appId, call.key, call.operation),
          ConditionExpression: '#inputHash = :inputHash',
          ExpressionAttributeNames: { '#inputHash': 'inputHash' },
          ExpressionAttributeValues: { ':inputHash': inputHashOf(call) },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }
}
