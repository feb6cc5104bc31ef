import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { newSignRequest } from '../functions/core/initiate.ts';
import { appRequestsIndexKey, signRequestKey } from '../functions/store/keys.ts';

const BATCH = 25; // BatchWriteItem's limit
const PARALLEL_BATCHES = 4;

export type Item = Record<string, unknown>;

export const signersNamed = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ name: `Signer ${i + 1}`, email: `signer${i + 1}@example.com` }));

/**
 * Open requests exactly as initiate stores them: core builds each one, and the item gets the store's key layout
 * (the same key builders SignRequestStore's `toItem` uses), so a recall meets the item it would meet in AWS.
 */
export const openRequestItems = (appId: string, count: number, signerCount = 2): { ids: string[]; items: Item[] } => {
  const ids: string[] = [];
  const items: Item[] = [];
  for (let n = 0; n < count; n++) {
    const now = new Date().toISOString();
    const request = newSignRequest(
      { appId, documentName: 'Master Services Agreement.pdf', signers: signersNamed(signerCount) },
      `BENCH-${n}`,
      now,
      // Any secret will do: a recall never opens a link, and only the secret's hash is stored.
      () => randomBytes(32).toString('base64url'),
    );
    const { id, ...attributes } = request;
    ids.push(id);
    items.push({ ...signRequestKey(id), ...appRequestsIndexKey(appId, request.createdAt, id), ...attributes });
  }
  return { ids, items };
};

/** Puts the items with BatchWriteItem, a few batches at a time, retrying whatever the store leaves unprocessed. */
export const writeItems = async (client: DynamoDBDocumentClient, tableName: string, items: Item[]): Promise<void> => {
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  const writeBatch = async (batch: Item[]) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      if (batch) await writeBatch(batch);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_BATCHES }, worker));
};

/**
 * Writes `count` open requests straight to the store: initiating 100,000 requests through the API would take
 * longer than the whole benchmark. Returns their ids in order.
 */
export const seedOpenRequests = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  appId: string,
  count: number,
  signerCount = 2,
): Promise<string[]> => {
  const { ids, items } = openRequestItems(appId, count, signerCount);
  await writeItems(client, tableName, items);
  return ids;
};
