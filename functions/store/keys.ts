/** Key builders: each kind of item owns its key shape, so no key string is spelled out twice. */
export const signRequestKey = (id: string) => ({ pk: `SR#${id}`, sk: 'META' });
export const appTokenKey = (tokenHash: string) => ({ pk: `APPTOKEN#${tokenHash}`, sk: 'META' });
export const requestCounterKey = (appId: string) => ({ pk: `APP#${appId}`, sk: 'COUNTER' });
export const appRequestsIndexKey = (appId: string, createdAt: string, id: string) => ({
  gsi1pk: `APP#${appId}`,
  gsi1sk: `${createdAt}#${id}`,
});

/**
 * Open requests with a deadline, spread over EXPIRY_SHARDS partitions (by a hash of the id) so that creates
 * never pile onto one GSI partition; the expiry job reads every shard up to "now".
 */
export const EXPIRY_SHARDS = 10;
export const expiryShardKey = (shard: number) => `EXPIRES#${shard}`;
export const expiryIndexKey = (expiresAt: string, id: string) => {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return { gsi2pk: expiryShardKey(hash % EXPIRY_SHARDS), gsi2sk: `${expiresAt}#${id}` };
};

/** The request an initiate's Idempotency-Key (by its hash) stands for, in the app's partition. */
export const initiateClaimKey = (appId: string, keyHash: string) => ({ pk: `APP#${appId}`, sk: `INITIATE#${keyHash}` });

/** An app's one webhook registration, beside its request counter in the app's partition. */
export const webhookKey = (appId: string) => ({ pk: `APP#${appId}`, sk: 'WEBHOOK' });
