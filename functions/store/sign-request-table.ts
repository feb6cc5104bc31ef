import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { attr, notExists } from '../core/conditions.ts';
import { ruleCondition, type Rule } from '../core/guards.ts';
import type { SignRequest } from '../core/sign-request.ts';
import { isConditionFailed } from './errors.ts';
import { expressions, type UpdateAction } from './expressions.ts';
import { signRequestKey } from './keys.ts';
import { fromItem, toItem } from './sign-request-items.ts';
import { TableKeys } from './table.ts';
import type { WriteResult } from './write-result.ts';

/** Every conditional write asks for the old item with a refusal, so classifying it costs no second call in AWS. */
const OLD_ITEM_ON_REFUSAL = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } as const;

/** One change of a request's one item: what it sets, on the guards of its rule (core/rules.ts). */
export interface ItemChange<F> {
  rule: Rule<F>;
  update: readonly UpdateAction[];
}

/**
 * The sign request items, one conditional call at a time. Each method makes one attempt and answers a
 * WriteResult; retrying, refusing or accepting is the workflow's decision, by the same rule the write was made on.
 */
export class SignRequestTable {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(id: string): Promise<SignRequest | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: signRequestKey(id), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  /** Creates never overwrite: a second item with the same id is refused by the store itself. */
  async create(request: SignRequest): Promise<WriteResult> {
    return this.conditionally(request.id, async () => {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(request),
          ...expressions({ condition: notExists(attr(TableKeys.partitionKey)) }),
          ...OLD_ITEM_ON_REFUSAL,
        }),
      );
      return {};
    });
  }

  /** One conditional UpdateItem of request `id`, on every guard of the change's rule. */
  async update<F>(id: string, change: ItemChange<F>): Promise<WriteResult> {
    return this.conditionally(id, async () => {
      await this.client.send(this.updateCommand(id, change));
      return {};
    });
  }

  /** The same, answering the request as it is after the write. */
  async updateAndRead<F>(id: string, change: ItemChange<F>): Promise<WriteResult<{ request: SignRequest }>> {
    return this.conditionally(id, async () => {
      const { Attributes } = await this.client.send(this.updateCommand(id, change, 'ALL_NEW'));
      if (!Attributes) throw new Error('a landed write returned no item');
      return { request: fromItem(Attributes) };
    });
  }

  private updateCommand<F>(id: string, change: ItemChange<F>, returnValues?: 'ALL_NEW'): UpdateCommand {
    return new UpdateCommand({
      TableName: this.tableName,
      Key: signRequestKey(id),
      ...expressions({ condition: ruleCondition(change.rule), update: change.update }),
      ...(returnValues ? { ReturnValues: returnValues } : {}),
      ...OLD_ITEM_ON_REFUSAL,
    });
  }

  /**
   * Runs one conditional write of request `id`; a refusal comes back with the request as it stood: the old item
   * DynamoDB returns with it, or (from a store that returns none, the embedded one) a consistent read.
   */
  private async conditionally<T extends object>(id: string, write: () => Promise<T>): Promise<WriteResult<T>> {
    try {
      return { ok: true as const, ...(await write()) };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      return { ok: false, current: error.Item ? fromItem(unmarshall(error.Item)) : await this.get(id) };
    }
  }
}
