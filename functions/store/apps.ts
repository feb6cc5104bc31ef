import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sha256Hex } from '../core/signing-token.ts';
import { isConditionFailed } from './errors.ts';
import { appTokenKey, requestCounterKey } from './keys.ts';

export interface App {
  appId: string;
  appName: string;
}

interface AppTokenItem extends App {
  createdAt: string;
  revokedAt?: string;
}

/** (secondary adapter) Apps, found by the hash of their token, and each app's request counter. */
export class AppStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores only sha256(token); the conditional create refuses to replace a token that already exists. */
  async register(app: App, token: string, createdAt: string): Promise<void> {
    const item: AppTokenItem = { ...app, createdAt };
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...appTokenKey(sha256Hex(token)), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** The app whose token hashes to `tokenHash`, or undefined for an unknown or revoked token. */
  async findByTokenHash(tokenHash: string): Promise<App | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: appTokenKey(tokenHash) }));
    const item = Item as AppTokenItem | undefined;
    if (!item || item.revokedAt !== undefined) return undefined;
    return { appId: item.appId, appName: item.appName };
  }

  /** Marks a token revoked; false when no such token exists. Warm containers honour it within the cache TTL. */
  async revoke(tokenHash: string, revokedAt: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: appTokenKey(tokenHash),
          UpdateExpression: 'SET #revokedAt = if_not_exists(#revokedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#revokedAt': 'revokedAt' },
          ExpressionAttributeValues: { ':at': revokedAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** Atomic per-app sequence: concurrent callers never get the same number. Gaps are possible, repeats are not. */
  async nextRequestNumber(appId: string): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: requestCounterKey(appId),
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const n: unknown = Attributes?.n;
    if (typeof n !== 'number') throw new Error('request counter returned no number');
    return n;
  }
}
