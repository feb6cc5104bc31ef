import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { recallHistoryEntry, recallRecord, recallRefusal, type RecallCommand } from '../core/recall.ts';
import { SignRequestStatus, SignerStatus, type SignRequest } from '../core/sign-request.ts';
import type { FirstViewPlan, SignaturePlan, SignerChange } from '../core/signing.ts';
import { isConditionFailed } from './errors.ts';
import { appRequestsIndexKey, signRequestKey } from './keys.ts';

type Item = Record<string, unknown>;

const toItem = ({ id, ...request }: SignRequest): Item => ({
  ...signRequestKey(id),
  ...appRequestsIndexKey(request.appId, request.createdAt, id),
  ...request,
});

// Items are written only by this module, from a SignRequest, so reading one back as a SignRequest is safe.
const fromItem = (item: Item): SignRequest => {
  const { pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...request } = item;
  return { ...request, id: String(pk).slice('SR#'.length) } as SignRequest;
};

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
} as const;

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
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: signRequestKey(command.signRequestId),
          UpdateExpression:
            'SET #status = :cancelled, #recall = :recall, #updatedAt = :at, #version = #version + :one, ' +
            '#history = list_append(#history, :entry)',
          ConditionExpression: `attribute_exists(#pk) AND #appId = :appId AND ${STILL_OPEN}`,
          ExpressionAttributeNames: {
            '#pk': NAMES['#pk'],
            '#appId': NAMES['#appId'],
            '#status': NAMES['#status'],
            '#recall': NAMES['#recall'],
            '#updatedAt': NAMES['#updatedAt'],
            '#version': NAMES['#version'],
            '#history': NAMES['#history'],
          },
          ExpressionAttributeValues: {
            ...OPEN,
            ':cancelled': SignRequestStatus.Cancelled,
            ':recall': record,
            ':at': at,
            ':one': 1,
            ':entry': [recallHistoryEntry(record)],
            ':appId': command.appId,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const current = error.Item ? fromItem(unmarshall(error.Item)) : await this.get(command.signRequestId);
      throw recallRefusal(current, command.appId);
    }
  }

  /** Applies a signature planned from `expectedVersion`; false when the request changed since it was read. */
  async applySignature(plan: SignaturePlan): Promise<boolean> {
    return this.updateSigner(
      plan,
      '#signers.#signerId.#status = :signed, #signers.#signerId.#signedAt = :at, ' +
        '#signers.#signerId.#signedName = :signedName, #signedCount = :signedCount, #status = :newStatus',
      { '#signedAt': 'signedAt', '#signedName': 'signedName', '#signedCount': 'signedCount' },
      {
        ':signed': SignerStatus.Signed,
        ':signedName': plan.signedName,
        ':signedCount': plan.signedCount,
        ':newStatus': plan.newStatus,
      },
    );
  }

  /** Records a signer's first open of their link; false when the request changed since it was read. */
  async recordFirstView(plan: FirstViewPlan): Promise<boolean> {
    return this.updateSigner(plan, '#signers.#signerId.#viewedAt = :at', { '#viewedAt': 'viewedAt' }, {});
  }

  /** A signer's change lands only on the version it was planned from, and only while the request is open. */
  private async updateSigner(
    change: SignerChange,
    assignments: string,
    names: Record<string, string>,
    values: Item,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: signRequestKey(change.signRequestId),
          UpdateExpression:
            `SET ${assignments}, #updatedAt = :at, #version = :nextVersion, ` +
            '#history = list_append(#history, :history)',
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
