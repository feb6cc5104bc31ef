import { sha256Hex } from '../core/signing-token.ts';

/**
 * What each kind of item's partition key starts with. The key builders below and CDK's IAM grants (a
 * `dynamodb:LeadingKeys` condition per kind, infra/constructs/store-access.ts) both read these, so a function
 * is granted exactly the partitions the code writes, and the two cannot drift.
 */
export const PartitionKeyPrefix = {
  signRequest: 'SR#',
  appToken: 'APPTOKEN#',
  requestCounter: 'APP#',
  // Its own partition, not beside the counter: IAM can only tell items apart by partition key, and initiate
  // (which increments the counter) must not be able to rewrite where an app's events are POSTed.
  webhook: 'WEBHOOK#',
  // One partition per event: the mailer's record of whom it has told (functions/store/notices.ts).
  notice: 'NOTICE#',
  // Each app's count of e-mails per UTC day (functions/store/mail-cap.ts): its own partition, so a function that
  // counts mail is granted nothing else of the app.
  mailCap: 'MAILCAP#',
  // Each app's name and the hash of its current token, for the admin command's `list` and `rotate --app-id`.
  // Its own partition, not beside the counter: no deployed function is granted it, so none can repoint an app.
  appRecord: 'APPRECORD#',
  // One partition per app and Idempotency-Key: Powertools' records of the key, which input it was first used
  // with, and an initiate's claim (functions/store/idempotency.ts, key-inputs.ts, initiate-claims.ts). Never one
  // partition for every app's keys: a partition takes about 1,000 writes a second, and one busy app would
  // throttle every other app's keyed calls.
  idempotency: 'IDEMPOTENCY#',
  // Each app's shared rate bucket (functions/store/app-rates.ts): its own partition, so the app routes' grant to
  // lease tokens reaches nothing else of the app, and its writes (about one a second per busy container) never
  // share a partition's throughput with the app's counter or mail cap.
  appRate: 'RATE#',
  // One partition per upload (POST /v1/documents), the app in it: a key always names the app, so an id of
  // another app's upload finds nothing. Its own kind, so the upload function may write these items and no other.
  upload: 'UPLOAD#',
} as const;

/** What each expiry index (GSI2) partition key starts with: the scheduled jobs' Query is granted only these. */
export const EXPIRY_SHARD_PREFIX = 'EXPIRES#';

/**
 * Every kind of item, as an IAM `StringLike` pattern of its partition key (`*`: any characters). A grant names
 * kinds (functions/routes.ts `storeAccess`), never raw keys.
 */
export const partitionKeyPatterns = {
  signRequest: `${PartitionKeyPrefix.signRequest}*`,
  appToken: `${PartitionKeyPrefix.appToken}*`,
  requestCounter: `${PartitionKeyPrefix.requestCounter}*`,
  webhook: `${PartitionKeyPrefix.webhook}*`,
  notice: `${PartitionKeyPrefix.notice}*`,
  mailCap: `${PartitionKeyPrefix.mailCap}*`,
  appRecord: `${PartitionKeyPrefix.appRecord}*`,
  idempotency: `${PartitionKeyPrefix.idempotency}*`,
  appRate: `${PartitionKeyPrefix.appRate}*`,
  upload: `${PartitionKeyPrefix.upload}*`,
} as const;

export type ItemKind = keyof typeof partitionKeyPatterns;

/** The kind of item a partition key belongs to, or undefined for a key no kind claims. */
export const itemKindOf = (partitionKey: string): ItemKind | undefined => {
  const prefixed = Object.entries(PartitionKeyPrefix) as [ItemKind, string][];
  return prefixed.find(([, prefix]) => partitionKey.startsWith(prefix))?.[0];
};

/** Key builders: each kind of item owns its key shape, so no key string is spelled out twice. */
export const signRequestKey = (id: string) => ({ pk: `${PartitionKeyPrefix.signRequest}${id}`, sk: 'META' });
export const appTokenKey = (tokenHash: string) => ({ pk: `${PartitionKeyPrefix.appToken}${tokenHash}`, sk: 'META' });
export const requestCounterKey = (appId: string) => ({
  pk: `${PartitionKeyPrefix.requestCounter}${appId}`,
  sk: 'COUNTER',
});
/** An app's one rate bucket: its GCRA tat. */
export const appRateKey = (appId: string) => ({ pk: `${PartitionKeyPrefix.appRate}${appId}`, sk: 'BUCKET' });
export const appRecordKey = (appId: string) => ({ pk: `${PartitionKeyPrefix.appRecord}${appId}`, sk: 'META' });
/**
 * What each app's requests index (GSI1) partition key starts with: the list function's Query is granted only
 * these. The same text as the counter's prefix, but on the index, not the table: a grant on one is no grant on
 * the other.
 */
export const APP_REQUESTS_PREFIX = 'APP#';
export const appRequestsPartition = (appId: string) => `${APP_REQUESTS_PREFIX}${appId}`;
/** Newest first by `createdAt#id`: neither ever changes, so a request never moves in its app's list. */
export const appRequestsIndexKey = (appId: string, createdAt: string, id: string) => ({
  gsi1pk: appRequestsPartition(appId),
  gsi1sk: `${createdAt}#${id}`,
});

/**
 * Open requests with a deadline, spread over EXPIRY_SHARDS partitions (by a hash of the id) so that creates
 * never pile onto one GSI partition; the expiry job reads every shard up to "now".
 */
export const EXPIRY_SHARDS = 10;
export const expiryShardKey = (shard: number) => `${EXPIRY_SHARD_PREFIX}${shard}`;
const shardOf = (id: string): number => {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % EXPIRY_SHARDS;
};
export const expiryIndexKey = (expiresAt: string, id: string) => ({
  gsi2pk: expiryShardKey(shardOf(id)),
  gsi2sk: `${expiresAt}#${id}`,
});

/** What each reminder index (GSI3) partition key starts with: the reminder job's Query is granted only these. */
export const REMINDER_SHARD_PREFIX = 'REMIND#';
export const reminderShardKey = (shard: number) => `${REMINDER_SHARD_PREFIX}${shard}`;
/** Requests with automatic reminders, by when the next falls due, over the same shards as the expiry index. */
export const reminderIndexKey = (nextReminderAt: string, id: string) => ({
  gsi3pk: reminderShardKey(shardOf(id)),
  gsi3sk: `${nextReminderAt}#${id}`,
});

/**
 * The partition of one app's one Idempotency-Key: the key by its hash, so that any printable key (up to 255
 * characters) makes a short partition key, and the app in clear, so that an operator can tell whose it is.
 */
export const idempotencyPartition = (appId: string, key: string) =>
  `${PartitionKeyPrefix.idempotency}${appId}#${sha256Hex(key)}`;

/** The request an initiate's Idempotency-Key stands for: beside Powertools' records of the key, kept as long. */
export const initiateClaimKey = (appId: string, key: string) => ({
  pk: idempotencyPartition(appId, key),
  sk: 'INITIATE',
});

/** The input an Idempotency-Key was first used with, per operation (functions/store/key-inputs.ts). */
export const keyInputKey = (appId: string, key: string, operation: string) => ({
  pk: idempotencyPartition(appId, key),
  sk: `INPUT#${operation}`,
});

/** One app's one upload: who may use it, what it must be, and which request used it (store/uploads.ts). */
export const uploadRecordKey = (appId: string, documentId: string) => ({
  pk: `${PartitionKeyPrefix.upload}${appId}#${documentId}`,
  sk: 'META',
});

/** An app's one webhook registration, in a partition of its own (see PartitionKeyPrefix.webhook). */
export const webhookKey = (appId: string) => ({ pk: `${PartitionKeyPrefix.webhook}${appId}`, sk: 'META' });

/** One app's e-mails on one UTC day (`2030-01-31`). */
export const mailCapKey = (appId: string, day: string) => ({ pk: `${PartitionKeyPrefix.mailCap}${appId}`, sk: day });

/** What the mailer recorded about one recipient of one event; `recipient` is a hash, never the address. */
export const noticeKey = (eventId: string, recipient: string) => ({
  pk: `${PartitionKeyPrefix.notice}${eventId}`,
  sk: recipient,
});
