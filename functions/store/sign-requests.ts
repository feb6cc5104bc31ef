import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { recallHistoryEntry, recallRecord, recallRefusal, type RecallCommand } from '../core/recall.ts';
import { SignRequestStatus, SignerStatus, type HistoryEntry, type SignRequest } from '../core/sign-request.ts';
import type { FirstViewPlan, SignaturePlan, SignerChange } from '../core/signing.ts';
import { isConditionFailed } from './errors.ts';
import { EXPIRY_SHARDS, expiryShardKey, signRequestKey } from './keys.ts';
import { fromItem, toItem, type Item } from './sign-request-items.ts';
import { Gsi2 } from './table.ts';

/** Names for every attribute a write touches: `status` is a reserved word, and one style reads best. */
const NAMES = {
  '#pk': 'pk',
  '#appId': 'appId',
  '#status': 'status',
  '#recall': 'recall',
  '#history': 'history',
  '#version': 'version',
  '#updatedAt': 'updatedAt',
  '#signers': 'signers',
  '#expiresAt': 'expiresAt',
  '#gsi2pk': Gsi2.partitionKey,
  '#gsi2sk': Gsi2.sortKey,
} as const;

/** A closed request leaves the expiry index, which therefore holds only open requests with a deadline. */
const LEAVE_EXPIRY_INDEX = 'REMOVE #gsi2pk, #gsi2sk';

const OPEN = { ':pending': SignRequestStatus.Pending, ':partial': SignRequestStatus.PartiallySigned };
const STILL_OPEN = '#status IN (:pending, :partial)';

/**
 * (secondary adapter) The sign request items. Every state change is ONE conditional UpdateItem on the
 * request's one item, so no change needs a transaction and none can be half-done.
 */
export class SignRequestStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Creates never overwrite: a second item with the same id is refused by the store itself. */
  async create(request: SignRequest): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: toItem(request),
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': NAMES['#pk'] },
      }),
    );
  }

  async get(id: string): Promise<SignRequest | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: signRequestKey(id), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  /**
   * The recall: one conditional write decides it. If the condition fails, the item as it stood decides which
   * refusal to give (returned with the failure by DynamoDB; read consistently where a store does not return it).
   */
  async recall(command: RecallCommand, at: string): Promise<void> {
    const record = recallRecord(command, at);
    try {
      await this.close(command.signRequestId, {
        status: SignRequestStatus.Cancelled,
        at,
        entry: recallHistoryEntry(record),
        condition: '#appId = :appId',
        names: { '#appId': NAMES['#appId'], '#recall': NAMES['#recall'] },
        values: { ':appId': command.appId, ':recall': record },
        assignments: '#recall = :recall',
      });
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const current = error.Item ? fromItem(unmarshall(error.Item)) : await this.get(command.signRequestId);
      throw recallRefusal(current, command.appId);
    }
  }

  /**
   * Expiry: the same one conditional write as a recall, for a request whose deadline has passed and that is
   * still open. False when it had already closed (signed, recalled or expired) or is not due.
   */
  async expire(id: string, now: string): Promise<boolean> {
    try {
      await this.close(id, {
        status: SignRequestStatus.Expired,
        at: now,
        entry: { at: now, event: 'EXPIRED' },
        condition: '#expiresAt <= :now',
        names: { '#expiresAt': NAMES['#expiresAt'] },
        values: { ':now': now },
      });
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** Ids of open requests whose deadline is at or before `now`, from every shard of the sparse expiry index. */
  async dueForExpiry(now: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    for (let shard = 0; shard < EXPIRY_SHARDS && ids.length < limit; shard++) {
      let start: Item | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: Gsi2.indexName,
            KeyConditionExpression: '#gsi2pk = :shard AND #gsi2sk <= :upTo',
            ExpressionAttributeNames: { '#gsi2pk': NAMES['#gsi2pk'], '#gsi2sk': NAMES['#gsi2sk'] },
            // '~' sorts after every id character, so requests due exactly at `now` are included.
            ExpressionAttributeValues: { ':shard': expiryShardKey(shard), ':upTo': `${now}#~` },
            Limit: limit - ids.length,
            ExclusiveStartKey: start,
          }),
        );
        ids.push(...(page.Items ?? []).map((item) => String(item.pk).slice('SR#'.length)));
        start = page.LastEvaluatedKey;
      } while (start && ids.length < limit);
    }
    return ids;
  }

  /** Moves an open request to a final state with its history entry: the one write shared by recall and expiry. */
  private async close(
    id: string,
    change: {
      status: SignRequestStatus;
      at: string;
      entry: HistoryEntry;
      condition: string;
      names: Record<string, string>;
      values: Item;
      assignments?: string;
    },
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: signRequestKey(id),
        UpdateExpression:
          `SET #status = :closed, ${change.assignments ? `${change.assignments}, ` : ''}#updatedAt = :at, ` +
          `#version = #version + :one, #history = list_append(#history, :entry) ${LEAVE_EXPIRY_INDEX}`,
        ConditionExpression: `attribute_exists(#pk) AND ${STILL_OPEN} AND ${change.condition}`,
        ExpressionAttributeNames: {
          '#pk': NAMES['#pk'],
          '#status': NAMES['#status'],
          '#updatedAt': NAMES['#updatedAt'],
          '#version': NAMES['#version'],
          '#history': NAMES['#history'],
          '#gsi2pk': NAMES['#gsi2pk'],
          '#gsi2sk': NAMES['#gsi2sk'],
          ...change.names,
        },
        ExpressionAttributeValues: {
          ...OPEN,
          ':closed': change.status,
          ':at': change.at,
          ':one': 1,
          ':entry': [change.entry],
          ...change.values,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  }

  /** Applies a signature planned from `expectedVersion`; false when the request changed since it was read. */
  async applySignature(plan: SignaturePlan): Promise<boolean> {
    const completes = plan.newStatus === SignRequestStatus.Completed;
    return this.updateSigner(
      plan,
      '#signers.#signerId.#status = :signed, #signers.#signerId.#signedAt = :at, ' +
        '#signers.#signerId.#signedName = :signedName, #signedCount = :signedCount, #status = :newStatus',
      {
        '#signedAt': 'signedAt',
        '#signedName': 'signedName',
        '#signedCount': 'signedCount',
        ...(completes ? { '#gsi2pk': NAMES['#gsi2pk'], '#gsi2sk': NAMES['#gsi2sk'] } : {}),
      },
      {
        ':signed': SignerStatus.Signed,
        ':signedName': plan.signedName,
        ':signedCount': plan.signedCount,
        ':newStatus': plan.newStatus,
      },
      completes ? LEAVE_EXPIRY_INDEX : '',
    );
  }

  /** Records a signer's first open of their link; false when the request changed since it was read. */
  async recordFirstView(plan: FirstViewPlan): Promise<boolean> {
    return this.updateSigner(plan, '#signers.#signerId.#viewedAt = :at', { '#viewedAt': 'viewedAt' }, {}, '');
  }

  /** A signer's change lands only on the version it was planned from, and only while the request is open. */
  private async updateSigner(
    change: SignerChange,
    assignments: string,
    names: Record<string, string>,
    values: Item,
    removals: string,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: signRequestKey(change.signRequestId),
          UpdateExpression:
            `SET ${assignments}, #updatedAt = :at, #version = :nextVersion, ` +
            `#history = list_append(#history, :history) ${removals}`,
          ConditionExpression: `#version = :expectedVersion AND ${STILL_OPEN}`,
          ExpressionAttributeNames: {
            '#signers': NAMES['#signers'],
            '#signerId': change.signerId,
            '#status': NAMES['#status'],
            '#updatedAt': NAMES['#updatedAt'],
            '#version': NAMES['#version'],
            '#history': NAMES['#history'],
            ...names,
          },
          ExpressionAttributeValues: {
            ...OPEN,
            ...values,
            ':at': change.at,
            ':expectedVersion': change.expectedVersion,
            ':nextVersion': change.expectedVersion + 1,
            ':history': change.history,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
