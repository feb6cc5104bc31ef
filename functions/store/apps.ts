import { isDeepStrictEqual } from 'node:util';
import {
  DeleteCommand,
  GetCommand,
  paginateScan,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { App, AppLimits } from '../core/app.ts';
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
  /** The token a rotation retired with a grace period, and when it stops working: `limits` must reach it too. */
  graceTokenHash?: string;
  graceUntil?: string;
}

/** One app as `npm run app -- list` shows it. */
export interface ListedApp extends App {
  createdAt: string;
  revoked: boolean;
}

export type RevokeOutcome = 'revoked' | 'already-revoked' | 'unknown';
export type RotateOutcome = { ok: true; app: App } | { ok: false; reason: 'unknown' | 'revoked' | 'lost-race' };
export type SetLimitsOutcome = { ok: true; app: App } | { ok: false; reason: 'unknown' };

const isValidAt = (item: AppTokenItem, now: number) => item.revokedAt === undefined || Date.parse(item.revokedAt) > now;

/** The app an item stores, with its limits only when it has some: never an empty object. */
const appOf = (item: App): App => {
  const app: App = { appId: item.appId, appName: item.appName };
  return item.limits && Object.keys(item.limits).length > 0 ? { ...app, limits: item.limits } : app;
};

/** The update that stores `limits` on an item, or removes them (undefined: the stage's defaults, no quota). */
const limitsUpdate = (limits: AppLimits | undefined) =>
  limits === undefined
    ? { UpdateExpression: 'REMOVE #limits', ExpressionAttributeNames: { '#limits': 'limits' } }
    : {
        UpdateExpression: 'SET #limits = :limits',
        ExpressionAttributeNames: { '#limits': 'limits' },
        ExpressionAttributeValues: { ':limits': limits },
      };

/** The app's daily quota of new requests, and the instant that picks its UTC day. */
export interface DailyQuota {
  perDay: number;
  at: string;
}

/** A request number, or the refusal of an app whose daily quota of new requests is used up (nothing counted). */
export type DrawnNumber = { ok: true; n: number } | { ok: false; reason: 'daily-quota' };

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
    const app = appOf(item);
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
    const app = appOf(old);
    const newHash = sha256Hex(newToken);
    // The app's limits carry over to the new token: the token lookup is where the routes find them.
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
    // The record names the old token while its grace lasts, so that `limits` reaches both tokens.
    const grace =
      Date.parse(oldValidUntil) > Date.parse(now)
        ? { set: ', #graceTokenHash = :graceHash, #graceUntil = :graceUntil', remove: '' }
        : { set: '', remove: ' REMOVE #graceTokenHash, #graceUntil' };
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: appRecordKey(app.appId),
        UpdateExpression: `SET #tokenHash = :hash, #appName = :name, #createdAt = if_not_exists(#createdAt, :created)${grace.set}${grace.remove}`,
        ExpressionAttributeNames: {
          '#tokenHash': 'tokenHash',
          '#appName': 'appName',
          '#createdAt': 'createdAt',
          '#graceTokenHash': 'graceTokenHash',
          '#graceUntil': 'graceUntil',
        },
        ExpressionAttributeValues: {
          ':hash': newHash,
          ':name': app.appName,
          ':created': old.createdAt,
          ...(grace.set ? { ':graceHash': oldHash, ':graceUntil': oldValidUntil } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    // A `limits` that changed the record while this rotation ran, and read its old token: the record is the later
    // word (setLimits writes it first, then the tokens it names), so the new token takes its limits.
    const recorded = (Attributes as AppRecordItem | undefined)?.limits;
    if (!isDeepStrictEqual(recorded, app.limits)) await this.writeTokenLimits(newHash, recorded);
    return { ok: true, app };
  }

  /**
   * The app's name as registered, or undefined for an app with no record. Asks for the name alone: the signed
   * document maker, which calls this, is granted no other attribute of the record (infra/constructs/store-access.ts).
   */
  async nameOf(appId: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: appRecordKey(appId),
        ProjectionExpression: '#name',
        ExpressionAttributeNames: { '#name': 'appName' },
        ConsistentRead: true,
      }),
    );
    const name: unknown = Item?.appName;
    return typeof name === 'string' ? name : undefined;
  }

  /** The hash of the app's current token, or undefined for an app with no record. */
  async currentTokenHash(appId: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: appRecordKey(appId), ConsistentRead: true }),
    );
    const record = Item as AppRecordItem | undefined;
    return record?.tokenHash;
  }

  /**
   * Sets (or, with undefined, clears) the app's limits: on its record first, for `list` and for a rotation that
   * runs meanwhile, then on every token item of the app that still works (the current one, and one a rotation
   * retired with a grace period), where the token lookup finds them. Warm containers see the change within the
   * token cache TTL. Of this and a rotation at once, whichever writes the record second sees the other's write.
   */
  async setLimits(appId: string, limits: AppLimits | undefined, now = Date.now()): Promise<SetLimitsOutcome> {
    let record: AppRecordItem;
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: appRecordKey(appId),
          ...limitsUpdate(limits),
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_NEW',
        }),
      );
      record = Attributes as AppRecordItem;
    } catch (error) {
      if (isConditionFailed(error)) return { ok: false, reason: 'unknown' };
      throw error;
    }
    // The record as this write left it names the tokens that work now: a rotation that moved it earlier has its
    // new token here, and one that moves it later copies these limits itself (rotate).
    await this.writeTokenLimits(record.tokenHash, limits);
    if (record.graceTokenHash && record.graceUntil && Date.parse(record.graceUntil) > now)
      await this.writeTokenLimits(record.graceTokenHash, limits);
    return { ok: true, app: appOf({ ...record, limits: limits ?? {} }) };
  }

  /** Stores `limits` on one token item, if it exists (a token deleted meanwhile gets no item back). */
  private async writeTokenLimits(tokenHash: string, limits: AppLimits | undefined): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: appTokenKey(tokenHash),
          ...limitsUpdate(limits),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
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
        ...appOf(record),
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

  /**
   * Atomic per-app sequence: concurrent callers never get the same number. Gaps are possible, repeats are not.
   *
   * With a daily quota, the same conditional write also counts the request against the app's UTC day, on the same
   * item (`quotaDay`, `quotaCount`): a refused write changes nothing, so a refusal consumes neither a number nor a
   * slot, and concurrent callers can never together pass the quota. DynamoDB has no IF inside an update, so the
   * day's rollover is a second variant: "count into today" (the usual case, one call), else "start today at 1",
   * else (another caller started today in between) "count into today" once more. On DynamoDB a refused first
   * variant returns the item, so a refusal on a day already started costs one call; the embedded store returns
   * nothing, so there every refusal tries all three.
   */
  async nextRequestNumber(appId: string, quota?: DailyQuota): Promise<DrawnNumber> {
    if (quota === undefined) return { ok: true, n: await this.drawNumber(appId, { UpdateExpression: 'ADD #n :one' }) };
    const day = quota.at.slice(0, 10);
    // A day later than ours: another container's clock passed midnight first; counting there is the safe side.
    const sameDay = {
      UpdateExpression: 'ADD #n :one, #quotaCount :one',
      ConditionExpression: '#quotaDay >= :day AND #quotaCount < :quota',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      ExpressionAttributeNames: { '#quotaDay': 'quotaDay', '#quotaCount': 'quotaCount' },
      ExpressionAttributeValues: { ':day': day, ':quota': quota.perDay },
    };
    const newDay = {
      UpdateExpression: 'ADD #n :one SET #quotaDay = :day, #quotaCount = :one',
      ConditionExpression: 'attribute_not_exists(#quotaDay) OR #quotaDay < :day',
      ExpressionAttributeNames: { '#quotaDay': 'quotaDay', '#quotaCount': 'quotaCount' },
      ExpressionAttributeValues: { ':day': day },
    };
    for (const variant of [sameDay, newDay, sameDay]) {
      try {
        return { ok: true, n: await this.drawNumber(appId, variant) };
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        // The item as it stood (DynamoDB only): today started and full, so no other variant can pass.
        const seenDay: unknown = error.Item ? unmarshall(error.Item).quotaDay : undefined;
        if (variant === sameDay && typeof seenDay === 'string' && seenDay >= day) break;
      }
    }
    return { ok: false, reason: 'daily-quota' };
  }

  private async drawNumber(
    appId: string,
    update: {
      UpdateExpression: string;
      ConditionExpression?: string;
      ReturnValuesOnConditionCheckFailure?: 'ALL_OLD';
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues?: Record<string, unknown>;
    },
  ): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: requestCounterKey(appId),
        ...update,
        ExpressionAttributeNames: { '#n': 'n', ...update.ExpressionAttributeNames },
        ExpressionAttributeValues: { ':one': 1, ...update.ExpressionAttributeValues },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const n: unknown = Attributes?.n;
    if (typeof n !== 'number') throw new Error('request counter returned no number');
    return n;
  }
}
