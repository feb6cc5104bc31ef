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

  /**
   * Counts as many of `count` e-mails as still fit the app's cap on `at`'s UTC day, and answers how many: all of
   * them in one write when they fit, else what the day has left (read from the item by a write that adds 0: the
   * mailer is granted UpdateItem on these items, nothing more), taken by a second conditional write. Exact under
   * concurrency as take is: a count that stopped fitting meanwhile is read again, up to three rounds, after which
   * it counts none (the safe side). At most five writes to the item, however large `count` is.
   */
  async takeUpTo(appId: string, count: number, at: string): Promise<number> {
    let wanted = Math.min(count, this.dailyCap);
    for (let round = 0; round < 3 && wanted > 0; round++) {
      if (await this.take(appId, wanted, at)) return wanted;
      if (round < 2) wanted = Math.min(wanted, this.dailyCap - (await this.used(appId, at)));
    }
    return 0;
  }

  /** The app's count on `at`'s UTC day, by an `ADD 0` that answers it (and makes the day's item if missing). */
  private async used(appId: string, at: string): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: mailCapKey(appId, at.slice(0, 10)),
        UpdateExpression: 'ADD #n :zero SET #ttl = if_not_exists(#ttl, :ttl)',
        ExpressionAttributeNames: { '#n': 'n', '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':zero': 0, ':ttl': Math.floor(Date.parse(at) / 1000) + KEPT_SECONDS },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const n: unknown = Attributes?.n;
    return typeof n === 'number' ? n : 0;
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
