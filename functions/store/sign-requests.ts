import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { declineHistoryEntry } from '../core/decline.ts';
import { recallHistoryEntry } from '../core/recall.ts';
import { RESENDABLE_STATUSES } from '../core/resend.ts';
import {
  SignRequestStatus,
  SignerStatus,
  type ExpectedVersions,
  type DeclineRecord,
  type HistoryEntry,
  type RecallRecord,
  type ResendRecord,
  type SignRequest,
} from '../core/sign-request.ts';
import type { FirstViewPlan, SignaturePlan } from '../core/signing.ts';
import { isConditionFailed } from './errors.ts';
import {
  EXPIRY_SHARDS,
  expiryShardKey,
  PartitionKeyPrefix,
  reminderIndexKey,
  reminderShardKey,
  signRequestKey,
} from './keys.ts';
import { fromItem, toItem, type Item } from './sign-request-items.ts';
import { Gsi2, Gsi3 } from './table.ts';
import type { WriteResult } from './write-result.ts';

/** Names for every attribute a write touches: `status` is a reserved word, and one style reads best. */
const NAMES = {
  '#pk': 'pk',
  '#appId': 'appId',
  '#status': 'status',
  '#recall': 'recall',
  '#resend': 'resend',
  '#decline': 'decline',
  '#history': 'history',
  '#version': 'version',
  '#updatedAt': 'updatedAt',
  '#signers': 'signers',
  '#expiresAt': 'expiresAt',
  '#signedCount': 'signedCount',
  '#signerCount': 'signerCount',
  '#gsi2pk': Gsi2.partitionKey,
  '#gsi2sk': Gsi2.sortKey,
  '#gsi3pk': Gsi3.partitionKey,
  '#gsi3sk': Gsi3.sortKey,
} as const;

/** What a reminder writes: who, when, and (for the automatic reminders) when the next falls due. */
export interface ReminderWrite {
  signRequestId: string;
  appId: string;
  signerIds: readonly string[];
  at: string;
  /** A signer reminded at or before this may be reminded again (an hour before `at`). */
  remindedBefore: string;
  nextReminderAt?: string;
  /** Marks the REMINDED entry as this call's, so a retried write that finds it knows it landed (core/remind.ts). */
  callId?: string;
}

/** A closed request leaves the expiry index, which therefore holds only open requests with a deadline. */
const LEAVE_EXPIRY_INDEX = 'REMOVE #gsi2pk, #gsi2sk';

const OPEN = { ':pending': SignRequestStatus.Pending, ':partial': SignRequestStatus.PartiallySigned };
const STILL_OPEN = '#status IN (:pending, :partial)';
/** Not yet signed by all: once it is, nothing but its completion may land (see isFullySigned in core). */
const NOT_FULLY_SIGNED = '#signedCount < #signerCount';
/** No write lands before the last one in time, so the history, and every time in it, only moves forward. */
const NOT_BEFORE_LAST_CHANGE = '#updatedAt <= :at';
const BEFORE_DEADLINE = '(attribute_not_exists(#expiresAt) OR #expiresAt > :at)';
/**
 * If-Match folded into a write's condition (` AND #version IN (...)`, #version being named by every write), so a
 * conditional recall is still one store call. No version is 0: a list of tags none of which names a version
 * (weak ones, `"abc"`) refuses, as a stale one does.
 */
const versionCondition = (expected: ExpectedVersions | undefined): { condition: string; values: Item } => {
  if (expected === undefined) return { condition: '', values: {} };
  const listed = expected.length > 0 ? expected : [0];
  const values = Object.fromEntries(listed.map((version, index) => [`:expectedVersion${index}`, version]));
  return { condition: ` AND #version IN (${Object.keys(values).join(', ')})`, values };
};

/** Every conditional write asks for the old item with a refusal, so classifying it costs no second call in AWS. */
const OLD_ITEM_ON_REFUSAL = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } as const;

/**
 * (secondary adapter) The sign request items. Every state change is ONE conditional UpdateItem on the
 * request's one item, so no change needs a transaction and none can be half-done. Each method makes one
 * attempt and answers a WriteResult; retrying, refusing or accepting is the workflow's decision.
 */
export class SignRequestStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Creates never overwrite: a second item with the same id is refused by the store itself. */
  async create(request: SignRequest): Promise<WriteResult> {
    return this.conditionally(request.id, async () => {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(request),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': NAMES['#pk'] },
          ...OLD_ITEM_ON_REFUSAL,
        }),
      );
      return {};
    });
  }

  async get(id: string): Promise<SignRequest | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: signRequestKey(id), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  /**
   * The recall: one conditional write, landing only on the app's own request while it is open, not signed by
   * all, before its deadline and after its last change. Refused, it answers the request as it stood, from which
   * the recall workflow decides the refusal (or tries again with a fresh time).
   */
  async recall(
    signRequestId: string,
    appId: string,
    record: RecallRecord,
    expectedVersions?: ExpectedVersions,
  ): Promise<WriteResult> {
    const versions = versionCondition(expectedVersions);
    return this.close(signRequestId, {
      status: SignRequestStatus.Cancelled,
      at: record.at,
      entry: recallHistoryEntry(record),
      condition: `#appId = :appId AND ${BEFORE_DEADLINE}${versions.condition}`,
      names: { '#appId': NAMES['#appId'], '#recall': NAMES['#recall'], '#expiresAt': NAMES['#expiresAt'] },
      values: { ':appId': appId, ':recall': record, ...versions.values },
      assignments: '#recall = :recall',
    });
  }

  /**
   * Claims the resend of an app's own request, once: one conditional write that records the replacement (its id,
   * number and content, see core/resend.ts) on the request resent, while it is resendable (a resendable status, or
   * open but past its deadline and not signed by all) and not resent yet. The replacement is created after it, by
   * `create`; the claim is what makes a resend happen at most once, whoever calls and whatever fails.
   */
  async claimResend(
    id: string,
    appId: string,
    record: ResendRecord,
    expectedVersions?: ExpectedVersions,
  ): Promise<WriteResult> {
    const resendable = Object.fromEntries(RESENDABLE_STATUSES.map((status, index) => [`:resendable${index}`, status]));
    const versions = versionCondition(expectedVersions);
    return this.conditionally(id, async () => {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: signRequestKey(id),
          UpdateExpression: 'SET #resend = :resend, #version = #version + :one',
          ConditionExpression:
            `attribute_exists(#pk) AND #appId = :appId AND attribute_not_exists(#resend) AND ` +
            `(#status IN (${Object.keys(resendable).join(', ')}) OR ` +
            `(${STILL_OPEN} AND ${NOT_FULLY_SIGNED} AND #expiresAt <= :at))${versions.condition}`,
          ExpressionAttributeNames: {
            '#pk': NAMES['#pk'],
            '#appId': NAMES['#appId'],
            '#resend': NAMES['#resend'],
            '#status': NAMES['#status'],
            '#version': NAMES['#version'],
            '#signedCount': NAMES['#signedCount'],
            '#signerCount': NAMES['#signerCount'],
            '#expiresAt': NAMES['#expiresAt'],
          },
          ExpressionAttributeValues: {
            ...OPEN,
            ...resendable,
            ...versions.values,
            ':appId': appId,
            ':resend': record,
            ':at': record.at,
            ':one': 1,
          },
          ...OLD_ITEM_ON_REFUSAL,
        }),
      );
      return {};
    });
  }

  /**
   * A signer declines: the recall's one conditional write, landing only while that signer has not signed (and the
   * request is open, not signed by all, before its deadline and after its last change). So exactly one of a
   * recall, a decline and the last signature wins.
   */
  async decline(signRequestId: string, record: DeclineRecord): Promise<WriteResult> {
    return this.close(signRequestId, {
      status: SignRequestStatus.Declined,
      at: record.at,
      entry: declineHistoryEntry(record),
      condition: `#signers.#signerId.#status = :pendingSigner AND ${BEFORE_DEADLINE}`,
      names: {
        '#decline': NAMES['#decline'],
        '#expiresAt': NAMES['#expiresAt'],
        '#signers': NAMES['#signers'],
        '#signerId': record.signerId,
      },
      values: { ':decline': record, ':pendingSigner': SignerStatus.Pending },
      assignments: '#decline = :decline',
    });
  }

  /**
   * Expiry: the same one conditional write as a recall, for a request whose deadline has passed and that is
   * still open. Refused when it had already closed (signed, recalled or expired) or is not due.
   */
  async expire(id: string, now: string): Promise<WriteResult> {
    return this.close(id, {
      status: SignRequestStatus.Expired,
      at: now,
      entry: { at: now, event: 'EXPIRED' },
      condition: '#expiresAt <= :at',
      names: { '#expiresAt': NAMES['#expiresAt'] },
      values: {},
    });
  }

  /** Ids of open requests whose deadline is at or before `now`, from every shard of the sparse expiry index. */
  async *dueForExpiry(now: string, pageSize = 100): AsyncGenerator<string> {
    yield* this.dueInShardedIndex(
      { indexName: Gsi2.indexName, partitionKey: '#gsi2pk', sortKey: '#gsi2sk', shardKey: expiryShardKey },
      now,
      pageSize,
    );
  }

  /**
   * Takes a closed request out of the expiry index, where only open ones belong: one left there (by a write from
   * before closes left the index) could never be expired and would be read again on every run.
   */
  async leaveExpiryIndex(id: string): Promise<WriteResult> {
    return this.conditionally(id, async () => {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: signRequestKey(id),
          UpdateExpression: LEAVE_EXPIRY_INDEX,
          ConditionExpression: `attribute_exists(#pk) AND NOT (${STILL_OPEN})`,
          ExpressionAttributeNames: {
            '#pk': NAMES['#pk'],
            '#status': NAMES['#status'],
            '#gsi2pk': NAMES['#gsi2pk'],
            '#gsi2sk': NAMES['#gsi2sk'],
          },
          ExpressionAttributeValues: OPEN,
          ...OLD_ITEM_ON_REFUSAL,
        }),
      );
      return {};
    });
  }

  /**
   * A reminder: marks each signer reminded, with a REMINDED history entry (whose event makes the mail), in one
   * conditional write that lands only while the request is the app's, open, before its deadline, and each of
   * these signers has not signed and was not reminded since `remindedBefore`. Two reminders at once cannot both
   * land for a signer: the second finds the first's time and is refused, so a signer is mailed once.
   */
  async remind(write: ReminderWrite): Promise<WriteResult> {
    const names: Record<string, string> = { '#lastRemindedAt': 'lastRemindedAt' };
    const values: Item = {};
    const assignments: string[] = [];
    const conditions: string[] = [];
    write.signerIds.forEach((signerId, index) => {
      names[`#s${index}`] = signerId;
      assignments.push(`#signers.#s${index}.#lastRemindedAt = :at`);
      conditions.push(
        `#signers.#s${index}.#status = :pendingSigner AND (attribute_not_exists(#signers.#s${index}.#lastRemindedAt) ` +
          `OR #signers.#s${index}.#lastRemindedAt <= :remindedBefore)`,
      );
    });
    if (write.nextReminderAt) {
      assignments.push('#nextReminderAt = :next, #gsi3pk = :gsi3pk, #gsi3sk = :gsi3sk');
      Object.assign(names, {
        '#nextReminderAt': 'nextReminderAt',
        '#gsi3pk': NAMES['#gsi3pk'],
        '#gsi3sk': NAMES['#gsi3sk'],
      });
      const index = reminderIndexKey(write.nextReminderAt, write.signRequestId);
      Object.assign(values, { ':next': write.nextReminderAt, ':gsi3pk': index.gsi3pk, ':gsi3sk': index.gsi3sk });
    }
    const reminds = write.signerIds.length > 0;
    if (reminds)
      assignments.push('#updatedAt = :at, #version = #version + :one, #history = list_append(#history, :entry)');
    return this.conditionally(write.signRequestId, async () => {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: signRequestKey(write.signRequestId),
          UpdateExpression: `SET ${assignments.join(', ')}`,
          ConditionExpression: [
            `attribute_exists(#pk) AND #appId = :appId AND ${STILL_OPEN} AND ${NOT_FULLY_SIGNED}`,
            ...(reminds ? [NOT_BEFORE_LAST_CHANGE, BEFORE_DEADLINE] : []),
            ...conditions,
          ].join(' AND '),
          ExpressionAttributeNames: {
            '#pk': NAMES['#pk'],
            '#appId': NAMES['#appId'],
            '#status': NAMES['#status'],
            '#signedCount': NAMES['#signedCount'],
            '#signerCount': NAMES['#signerCount'],
            ...(reminds
              ? {
                  '#signers': NAMES['#signers'],
                  '#updatedAt': NAMES['#updatedAt'],
                  '#version': NAMES['#version'],
                  '#history': NAMES['#history'],
                  '#expiresAt': NAMES['#expiresAt'],
                  ...names,
                }
              : {}),
            ...(write.nextReminderAt
              ? { '#nextReminderAt': 'nextReminderAt', '#gsi3pk': NAMES['#gsi3pk'], '#gsi3sk': NAMES['#gsi3sk'] }
              : {}),
          },
          ExpressionAttributeValues: {
            ...OPEN,
            ':appId': write.appId,
            ...(reminds
              ? {
                  ':at': write.at,
                  ':one': 1,
                  ':pendingSigner': SignerStatus.Pending,
                  ':remindedBefore': write.remindedBefore,
                  ':entry': [
                    {
                      at: write.at,
                      event: 'REMINDED',
                      signerIds: [...write.signerIds],
                      ...(write.callId ? { callId: write.callId } : {}),
                    } satisfies HistoryEntry,
                  ],
                }
              : {}),
            ...values,
          },
          ...OLD_ITEM_ON_REFUSAL,
        }),
      );
      return {};
    });
  }

  /** Ids of requests whose automatic reminder is due at or before `now`, from every shard of the reminder index. */
  async *dueForReminder(now: string, pageSize = 100): AsyncGenerator<string> {
    yield* this.dueInShardedIndex(
      { indexName: Gsi3.indexName, partitionKey: '#gsi3pk', sortKey: '#gsi3sk', shardKey: reminderShardKey },
      now,
      pageSize,
    );
  }

  /**
   * Ids in every shard of a sparse index sorted by `<time>#<id>`, up to `now`, a page at a time as the caller asks
   * for more; it moves on from where the last page ended, so an item the caller could not take out of the index is
   * passed over, never read again in the same run. The expiry and reminder indexes share this shape.
   */
  private async *dueInShardedIndex(
    index: {
      indexName: string;
      partitionKey: '#gsi2pk' | '#gsi3pk';
      sortKey: '#gsi2sk' | '#gsi3sk';
      shardKey: (shard: number) => string;
    },
    now: string,
    pageSize: number,
  ): AsyncGenerator<string> {
    for (let shard = 0; shard < EXPIRY_SHARDS; shard++) {
      let start: Item | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index.indexName,
            KeyConditionExpression: `${index.partitionKey} = :shard AND ${index.sortKey} <= :upTo`,
            ExpressionAttributeNames: {
              [index.partitionKey]: NAMES[index.partitionKey],
              [index.sortKey]: NAMES[index.sortKey],
            },
            // '~' sorts after every id character, so what is due exactly at `now` is included.
            ExpressionAttributeValues: { ':shard': index.shardKey(shard), ':upTo': `${now}#~` },
            Limit: pageSize,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) yield String(item.pk).slice(PartitionKeyPrefix.signRequest.length);
        start = page.LastEvaluatedKey;
      } while (start);
    }
  }

  /** A closed request leaves the reminder index (the reminder job finds it there once, and takes it out). */
  async leaveReminderIndex(id: string): Promise<WriteResult> {
    return this.conditionally(id, async () => {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: signRequestKey(id),
          UpdateExpression: 'REMOVE #gsi3pk, #gsi3sk, #nextReminderAt',
          ConditionExpression: `attribute_exists(#pk) AND NOT (${STILL_OPEN} AND ${NOT_FULLY_SIGNED})`,
          ExpressionAttributeNames: {
            '#pk': NAMES['#pk'],
            '#status': NAMES['#status'],
            '#signedCount': NAMES['#signedCount'],
            '#signerCount': NAMES['#signerCount'],
            '#gsi3pk': NAMES['#gsi3pk'],
            '#gsi3sk': NAMES['#gsi3sk'],
            '#nextReminderAt': 'nextReminderAt',
          },
          ExpressionAttributeValues: OPEN,
          ...OLD_ITEM_ON_REFUSAL,
        }),
      );
      return {};
    });
  }

  /** Moves an open request to a final state with its history entry: the one write of recall, decline and expiry. */
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
  ): Promise<WriteResult> {
    return this.conditionally(id, async () => {
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
          ...OLD_ITEM_ON_REFUSAL,
        }),
      );
      return {};
    });
  }

  /**
   * A signature: lands only while this signer has not signed, the request is open and not past its deadline, no
   * later change is on it, and the signed count is what the plan expects: below the last-but-one for a signature
   * that leaves the request partially signed, exactly the last-but-one for the one that completes it, which in
   * the same write marks it COMPLETED and takes it out of the expiry index. Nothing about other signers, so
   * signers never collide; a wrong guess about being last is refused and planned again. Landed, it answers the
   * request as it is after the write.
   */
  async applySignature(plan: SignaturePlan): Promise<WriteResult<{ request: SignRequest }>> {
    const status = plan.completes ? SignRequestStatus.Completed : SignRequestStatus.PartiallySigned;
    return this.conditionally(plan.signRequestId, async () => {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: signRequestKey(plan.signRequestId),
          UpdateExpression:
            'SET #signers.#signerId.#status = :signed, #signers.#signerId.#signedAt = :at, ' +
            '#signers.#signerId.#signedName = :signedName, #signers.#signerId.#callId = :callId, ' +
            '#status = :status, #updatedAt = :at, #version = #version + :one, ' +
            '#history = list_append(#history, :history) ADD #signedCount :one' +
            (plan.completes ? ` ${LEAVE_EXPIRY_INDEX}` : ''),
          ConditionExpression:
            `#signers.#signerId.#status = :pendingSigner AND ${STILL_OPEN} AND ` +
            `#signedCount ${plan.completes ? '=' : '<'} :lastButOne AND ` +
            `${NOT_BEFORE_LAST_CHANGE} AND ${BEFORE_DEADLINE}`,
          ExpressionAttributeNames: {
            ...this.signerNames(plan.signerId),
            '#signedAt': 'signedAt',
            '#signedName': 'signedName',
            '#callId': 'callId',
            '#signedCount': NAMES['#signedCount'],
            '#expiresAt': NAMES['#expiresAt'],
            ...(plan.completes ? { '#gsi2pk': NAMES['#gsi2pk'], '#gsi2sk': NAMES['#gsi2sk'] } : {}),
          },
          ExpressionAttributeValues: {
            ...OPEN,
            ':signed': SignerStatus.Signed,
            ':pendingSigner': SignerStatus.Pending,
            ':signedName': plan.signedName,
            ':callId': plan.callId,
            ':status': status,
            ':lastButOne': plan.lastButOne,
            ':at': plan.at,
            ':one': 1,
            ':history': plan.history,
          },
          ReturnValues: 'ALL_NEW',
          ...OLD_ITEM_ON_REFUSAL,
        }),
      );
      if (!Attributes) throw new Error('a landed signature returned no item');
      return { request: fromItem(Attributes) };
    });
  }

  /**
   * Marks a request signed by all as COMPLETED: the repair of one whose last signer's function stopped between
   * the two writes a last signature took before completion became part of it. Refused when there was nothing to
   * complete.
   */
  async complete(id: string, at: string): Promise<WriteResult> {
    return this.conditionally(id, async () => {
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
          ...OLD_ITEM_ON_REFUSAL,
        }),
      );
      return {};
    });
  }

  /** Records a signer's first open of their link, once, while the request is open. */
  async recordFirstView(plan: FirstViewPlan): Promise<WriteResult> {
    return this.conditionally(plan.signRequestId, async () => {
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
          ...OLD_ITEM_ON_REFUSAL,
        }),
      );
      return {};
    });
  }

  /** Runs one conditional write of request `id`; a refusal comes back with the request as it stood. */
  private async conditionally<T extends object>(id: string, write: () => Promise<T>): Promise<WriteResult<T>> {
    try {
      return { ok: true as const, ...(await write()) };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      return { ok: false, current: error.Item ? fromItem(unmarshall(error.Item)) : await this.get(id) };
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
