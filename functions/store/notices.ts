import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { noticeKey } from './keys.ts';
import { isConditionFailed } from './errors.ts';
import { TTL_ATTRIBUTE } from './table.ts';

/**
 * `sent`: accepted by the mail service. `refused`: refused for good (a rejected or invalid address). `capped`:
 * dropped, the app having reached its daily mail cap.
 */
export type NoticeOutcome = 'sent' | 'refused' | 'capped';

/**
 * Kept longer than any message can live (14 days on the queue, counted from its first send, then the same in
 * the dead-letter queue): a redriven recall is still recognised, and nobody hears of it twice.
 */
const KEPT_SECONDS = 30 * 24 * 60 * 60;

/**
 * (secondary adapter) Whom the mailer has told of which event: the item `NOTICE#<eventId>` /
 * `<recipient hash>`, with its outcome and a TTL. One attempt per call, as every store adapter.
 */
export class NoticeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** What was recorded for this recipient of this event, if anything. */
  async outcomeOf(eventId: string, recipient: string): Promise<NoticeOutcome | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: noticeKey(eventId, recipient), ConsistentRead: true }),
    );
    const outcome: unknown = Item?.outcome;
    return outcome === 'sent' || outcome === 'refused' || outcome === 'capped' ? outcome : undefined;
  }

  /** Records the outcome; a second record of the same recipient changes nothing (first one wins). */
  async record(eventId: string, recipient: string, outcome: NoticeOutcome, at: string): Promise<void> {
    await this.client
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...noticeKey(eventId, recipient),
            outcome,
            at,
            [TTL_ATTRIBUTE]: Math.floor(Date.parse(at) / 1000) + KEPT_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailed(error)) throw error;
      });
  }
}
