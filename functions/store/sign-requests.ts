import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { refusals } from '../core/errors.ts';
import { recallHistoryEntry, recallRecord, recallRefusal, type RecallCommand } from '../core/recall.ts';
import { SignRequestStatus, SignerStatus, type HistoryEntry, type SignRequest } from '../core/sign-request.ts';
import type { FirstViewPlan, SignaturePlan } from '../core/signing.ts';
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
  '#signedCount': 'signedCount',
  '#signerCount': 'signerCount',
  '#gsi2pk': Gsi2.partitionKey,
  '#gsi2sk': Gsi2.sortKey,
} as const;

/** A closed request leaves the expiry index, which therefore holds only open requests with a deadline. */
const LEAVE_EXPIRY_INDEX = 'REMOVE #gsi2pk, #gsi2sk';

const OPEN = { ':pending': SignRequestStatus.Pending, ':partial': SignRequestStatus.PartiallySigned };
const STILL_OPEN = '#status IN (:pending, :partial)';
/** Not yet signed by all: once it is, nothing but its completion may land (see isFullySigned in core). */
const NOT_FULLY_SIGNED = '#signedCount < #signerCount';
/** No write lands before the last one in time, so the history, and every time in it, only moves forward. */
const NOT_BEFORE_LAST_CHANGE = '#updatedAt <= :at';
const BEFORE_DEADLINE = '(attribute_not_exists(#expiresAt) OR #expiresAt > :at)';
/** A write refused only for its time is tried again with a fresh one; clocks agree to well within this. */
const CLOCK_ATTEMPTS = 5;

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
   * Only when a change stamped later than the recall's own time got there first is it written again, with a
   * fresh time: whoever wins, the history never runs backwards.
   */
  async recall(command: RecallCommand, clock: () => string = () => new Date().toISOString()): Promise<void> {
    for (let attempt = 1; attempt <= CLOCK_ATTEMPTS; attempt++) {
      const at = clock();
      const record = recallRecord(command, at);
      try {
        await this.close(command.signRequestId, {
          status: SignRequestStatus.Cancelled,
          at,
          entry: recallHistoryEntry(record),
          condition: `#appId = :appId AND ${BEFORE_DEADLINE}`,
          names: { '#appId': NAMES['#appId'], '#recall': NAMES['#recall'], '#expiresAt': NAMES['#expiresAt'] },
          values: { ':appId': command.appId, ':recall': record },
          assignments: '#recall = :recall',
        });
        return;
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        const current = error.Item ? fromItem(unmarshall(error.Item)) : await this.get(command.signRequestId);
        const refusal = recallRefusal(current, command.appId, at);
        if (refusal) throw refusal;
      }
    }
    throw refusals.tooManyConflicts();
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
        condition: '#expiresAt <= :at',
        names: { '#expiresAt': NAMES['#expiresAt'] },
        values: {},
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
        ConditionExpression:
          `attribute_exists(#pk) AND ${STILL_OPEN} AND ${NOT_FULLY_SIGNED} AND ${NOT_BEFORE_LAST_CHANGE} AND ` +
          change.condition,
        ExpressionAttributeNames: {
          '#pk': NAMES['#pk'],
          '#signedCount': NAMES['#signedCount'],
          '#signerCount': NAMES['#signerCount'],
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

  /**
   * A signature: lands only while this signer has not signed, the request is open, not signed by all and not past
   * its deadline, and no later change is on it. Nothing about other signers, so signers never collide. Answers
   * the request as it is after the write, or undefined when a condition refused it.
   */
  async applySignature(plan: SignaturePlan): Promise<SignRequest | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: signRequestKey(plan.signRequestId),
          UpdateExpression:
            'SET #signers.#signerId.#status = :signed, #signers.#signerId.#signedAt = :at, ' +
            '#signers.#signerId.#signedName = :signedName, #status = :partial, #updatedAt = :at, ' +
            '#version = #version + :one, #history = list_append(#history, :history) ADD #signedCount :one',
          ConditionExpression:
            `#signers.#signerId.#status = :pendingSigner AND ${STILL_OPEN} AND ${NOT_FULLY_SIGNED} AND ` +
            `${NOT_BEFORE_LAST_CHANGE} AND ${BEFORE_DEADLINE}`,
          ExpressionAttributeNames: {
            ...this.signerNames(plan.signerId),
            '#signedAt': 'signedAt',
            '#signedName': 'signedName',
            '#signedCount': NAMES['#signedCount'],
            '#signerCount': NAMES['#signerCount'],
            '#expiresAt': NAMES['#expiresAt'],
          },
          ExpressionAttributeValues: {
            ...OPEN,
            ':signed': SignerStatus.Signed,
            ':pendingSigner': SignerStatus.Pending,
            ':signedName': plan.signedName,
            ':at': plan.at,
            ':one': 1,
            ':history': plan.history,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? fromItem(Attributes) : undefined;
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  /**
   * Marks a request signed by all as COMPLETED: the second write of the last signature (or a repair of one whose
   * signer's function stopped between the two). False when there was nothing to complete.
   */
  async complete(id: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: signRequestKey(id),
          UpdateExpression:
            'SET #status = :completed, #updatedAt = :at, #version = #version + :one, ' +
            `#history = list_append(#history, :entry) ${LEAVE_EXPIRY_INDEX}`,
          ConditionExpression: '#status = :partial AND #signedCount = #signerCount',
          ExpressionAttributeNames: {
            '#status': NAMES['#status'],
            '#updatedAt': NAMES['#updatedAt'],
            '#version': NAMES['#version'],
            '#history': NAMES['#history'],
            '#signedCount': NAMES['#signedCount'],
            '#signerCount': NAMES['#signerCount'],
            '#gsi2pk': NAMES['#gsi2pk'],
            '#gsi2sk': NAMES['#gsi2sk'],
          },
          ExpressionAttributeValues: {
            ':completed': SignRequestStatus.Completed,
            ':partial': SignRequestStatus.PartiallySigned,
            ':at': at,
            ':one': 1,
            ':entry': [{ at, event: 'COMPLETED' }],
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** Records a signer's first open of their link, once, while the request is open; false when refused. */
  async recordFirstView(plan: FirstViewPlan): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: signRequestKey(plan.signRequestId),
          UpdateExpression:
            'SET #signers.#signerId.#viewedAt = :at, #updatedAt = :at, #version = #version + :one, ' +
            '#history = list_append(#history, :history)',
          ConditionExpression:
            'attribute_not_exists(#signers.#signerId.#viewedAt) AND #signers.#signerId.#status = :pendingSigner AND ' +
            `${STILL_OPEN} AND ${NOT_BEFORE_LAST_CHANGE}`,
          ExpressionAttributeNames: { ...this.signerNames(plan.signerId), '#viewedAt': 'viewedAt' },
          ExpressionAttributeValues: {
            ...OPEN,
            ':pendingSigner': SignerStatus.Pending,
            ':at': plan.at,
            ':one': 1,
            ':history': plan.history,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  private signerNames(signerId: string): Record<string, string> {
    return {
      '#signers': NAMES['#signers'],
      '#signerId': signerId,
      '#status': NAMES['#status'],
      '#updatedAt': NAMES['#updatedAt'],
      '#version': NAMES['#version'],
      '#history': NAMES['#history'],
    };
  }
}
