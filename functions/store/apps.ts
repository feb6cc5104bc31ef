import {
  DeleteCommand,
  GetCommand,
  paginateScan,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { App } from '../core/app.ts';
import { sha256Hex } from '../core/signing-token.ts';
import { isConditionFailed } from './errors.ts';
import { appRecordKey, appTokenKey, PartitionKeyPrefix, requestCounterKey } from './keys.ts';

/** An app as a token finds it; `validUntil` (ms since the epoch) when the token stops working later on its own. */
export interface TokenHolder {
  app: App;
  validUntil?: number;
}

interface AppTokenItem extends App {
  createdAt: string;
  /** When the token stops working: now for a revoke, later for a rotation with a grace period. */
  revokedAt?: string;
}

/** Names and hashes only, never a token: what `list` shows and `rotate --app-id` starts from. */
interface AppRecordItem extends App {
  createdAt: string;
  tokenHash: string;
}

/** One app as `npm run app -- list` shows it. */
export interface ListedApp extends App {
  createdAt: string;
  revoked: boolean;
}

export type RevokeOutcome = 'revoked' | 'already-revoked' | 'unknown';
export type RotateOutcome = { ok: true; app: App } | { ok: false; reason: 'unknown' | 'revoked' | 'lost-race' };

const isValidAt = (item: AppTokenItem, now: number) => item.revokedAt === undefined || Date.parse(item.revokedAt) > now;

/** (secondary adapter) Apps, found by the hash of their token, and each app's request counter. */
export class AppStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stores only sha256(token); the conditional create refuses to replace a token that already exists. Then the
   * app's record (name and token hash), which `list` and `rotate --app-id` read.
   */
  async register(app: App, token: string, createdAt: string): Promise<void> {
    const tokenHash = sha256Hex(token);
    const item: AppTokenItem = { ...app, createdAt };
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...appTokenKey(tokenHash), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    const record: AppRecordItem = { ...app, createdAt, tokenHash };
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...appRecordKey(app.appId), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** The app whose token hashes to `tokenHash`, or undefined for an unknown or revoked token. */
  async findByTokenHash(tokenHash: string, now = Date.now()): Promise<App | undefined> {
    return (await this.findTokenHolder(tokenHash, now))?.app;
  }

  /** As findByTokenHash, with the instant a token in its grace period stops working (the cache stops there). */
  async findTokenHolder(tokenHash: string, now = Date.now()): Promise<TokenHolder | undefined> {
    // Eventually consistent, as every API call's lookup always was: a token is seconds old when first used.
    const item = await this.tokenItem(tokenHash, false);
    if (!item || !isValidAt(item, now)) return undefined;
    const app = { appId: item.appId, appName: item.appName };
    return item.revokedAt === undefined ? { app } : { app, validUntil: Date.parse(item.revokedAt) };
  }

  /**
   * Marks a token revoked now (also one still in a rotation's grace period). Warm containers honour it within
   * the cache TTL. 'already-revoked' when it had stopped working already, 'unknown' when there is no such token.
   */
  async revoke(tokenHash: string, revokedAt: string): Promise<RevokeOutcome> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: appTokenKey(tokenHash),
          UpdateExpression: 'SET #revokedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#revokedAt) OR #revokedAt > :at)',
          ExpressionAttributeNames: { '#revokedAt': 'revokedAt' },
          ExpressionAttributeValues: { ':at': revokedAt },
        }),
      );
      return 'revoked';
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      return (await this.tokenItem(tokenHash)) ? 'already-revoked' : 'unknown';
    }
  }

  /**
   * Replaces the token hashing to `oldHash` with `newToken`, for the same app. The new token item is created
   * first (conditionally), so the app is never left without a working token; then ONE conditional write retires
   * the old token (at `oldValidUntil`: now, or the end of a grace period), which only a token not yet retired
   * passes: of two rotations at once, exactly one wins and the loser's new token is deleted, never printed.
   * With `expectedAppId`, a token of any other app counts as unknown.
   */
  async rotate(
    oldHash: string,
    newToken: string,
    now: string,
    oldValidUntil: string,
    expectedAppId?: string,
  ): Promise<RotateOutcome> {
    const old = await this.tokenItem(oldHash);
    if (!old || (expectedAppId !== undefined && old.appId !== expectedAppId)) return { ok: false, reason: 'unknown' };
    if (old.revokedAt !== undefined) return { ok: false, reason: 'revoked' };
    const app = { appId: old.appId, appName: old.appName };
    const newHash = sha256Hex(newToken);
    const item: AppTokenItem = { ...app, createdAt: now };
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...appTokenKey(newHash), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: appTokenKey(oldHash),
          UpdateExpression: 'SET #revokedAt = :until, #rotatedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#revokedAt)',
          ExpressionAttributeNames: { '#revokedAt': 'revokedAt', '#rotatedAt': 'rotatedAt' },
          ExpressionAttributeValues: { ':until': oldValidUntil, ':now': now },
        }),
      );
    } catch (error) {
      await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: appTokenKey(newHash) }));
      if (isConditionFailed(error)) return { ok: false, reason: 'lost-race' };
      throw error;
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: appRecordKey(app.appId),
        UpdateExpression: 'SET #tokenHash = :hash, #appName = :name, #createdAt = if_not_exists(#createdAt, :created)',
        ExpressionAttributeNames: { '#tokenHash': 'tokenHash', '#appName': 'appName', '#createdAt': 'createdAt' },
        ExpressionAttributeValues: { ':hash': newHash, ':name': app.appName, ':created': old.createdAt },
      }),
    );
    return { ok: true, app };
  }

  /** The hash of the app's current token, or undefined for an app with no record. */
  async currentTokenHash(appId: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: appRecordKey(appId), ConsistentRead: true }),
    );
    const record = Item as AppRecordItem | undefined;
    return record?.tokenHash;
  }

  /** Every app with a record, oldest first; `revoked` when its current token no longer works. */
  async list(now = Date.now()): Promise<ListedApp[]> {
    const records: AppRecordItem[] = [];
    const pages = paginateScan(
      { client: this.client },
      {
        TableName: this.tableName,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': PartitionKeyPrefix.appRecord },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) records.push(...((page.Items ?? []) as AppRecordItem[]));
    records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.appId.localeCompare(b.appId));
    const listed: ListedApp[] = [];
    for (const record of records) {
      const token = await this.tokenItem(record.tokenHash);
      listed.push({
        appId: record.appId,
        appName: record.appName,
        createdAt: record.createdAt,
        revoked: !token || !isValidAt(token, now),
      });
    }
    return listed;
  }

  private async tokenItem(tokenHash: string, consistent = true): Promise<AppTokenItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: appTokenKey(tokenHash),
        ...(consistent ? { ConsistentRead: true } : {}),
      }),
    );
    return Item as AppTokenItem | undefined;
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
