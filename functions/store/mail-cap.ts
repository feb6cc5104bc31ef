import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './errors.ts';
import { mailCapKey } from './keys.ts';
import { TTL_ATTRIBUTE } from './table.ts';

/** Seconds from `at` to the next UTC midnight, when the cap starts again (a Retry-After). */
export const secondsToNextUtcDay = (at: string): number => {
  const now = Date.parse(at);
  const next = Date.parse(`${at.slice(0, 10)}T00:00:00.000Z`) + 86_400_000;
  return Math.max(1, Math.ceil((next - now) / 1000));
};

/** A day's counter outlives its day by one, then TTL removes it. */
const KEPT_SECONDS = 2 * 24 * 60 * 60;

/**
 * (secondary adapter) Each app's e-mails per UTC day: the item `MAILCAP#<appId>` / `<yyyy-mm-dd>` with a count
 * `n`. Taking is one conditional `ADD`: it lands only while the count stays within the cap, so concurrent calls
 * can never together pass it. One attempt per call, as every store adapter.
 */
export class MailCapStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    readonly dailyCap: number,
  ) {}

  /** Counts `count` e-mails for the app on `at`'s UTC day; false (and nothing counted) when that would pass the cap. */
  async take(appId: string, count: number, at: string): Promise<boolean> {
    if (count <= 0) return true;
    if (count > this.dailyCap) return false;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mailCapKey(appId, at.slice(0, 10)),
          UpdateExpression: 'ADD #n :count SET #ttl = if_not_exists(#ttl, :ttl)',
          ConditionExpression: 'attribute_not_exists(#n) OR #n <= :room',
          ExpressionAttributeNames: { '#n': 'n', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':count': count,
            ':room': this.dailyCap - count,
            ':ttl': Math.floor(Date.parse(at) / 1000) + KEPT_SECONDS,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** Gives back what a call took and then did not send (its write was refused). */
  async giveBack(appId: string, count: number, at: string): Promise<void> {
    if (count <= 0) return;
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mailCapKey(appId, at.slice(0, 10)),
          UpdateExpression: 'ADD #n :minus',
          ConditionExpression: 'attribute_exists(#n)',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':minus': -count },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailed(error)) throw error;
      });
  }
}
