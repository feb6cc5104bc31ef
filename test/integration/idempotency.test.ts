import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, documentClient } from '../support/dependencies.ts';
import {
  initiate,
  newApp,
  recallBody,
  signersNamed,
  startService,
  type Created,
  type Service,
} from '../support/service.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Idempotency');
});
afterAll(() => service.close());

const withKey = (key: string) => ({ 'idempotency-key': key });
const recallWithKey = (id: string, key: string, token = app.token, reason = 'Request raised mistakenly') =>
  service.post('/v1/sign-requests/recall', { ...recallBody(id, token), recallReason: reason }, withKey(key));
const initiateBody = (token: string) => ({ appToken: token, documentName: 'Retry.pdf', signers: signersNamed(2) });

/** Every item the idempotency layer keeps (Powertools' records, the keys' inputs, initiate claims), from the table. */
const idempotencyItems = async () => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({
        TableName: config.tableName,
        FilterExpression: 'begins_with(pk, :idempotency)',
        ExpressionAttributeValues: { ':idempotency': 'IDEMPOTENCY' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

describe('Idempotency-Key on recall', () => {
  it('answers a retried successful recall with Data: true again, marked as a replay', async () => {
    const created = await initiate(service, app.token);
    const first = await recallWithKey(created.SignRequestId, 'recall-1');
    const retry = await recallWithKey(created.SignRequestId, 'recall-1');
    expect(first).toMatchObject({ status: 200, Data: true });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry).toMatchObject({ status: 200, Data: true, FailRules: [] });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // Without the key, the same call is a new recall, and the request is already cancelled.
    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
      409,
    );
  });

  it('refuses the same key with a different body with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const created = await initiate(service, app.token);
    await recallWithKey(created.SignRequestId, 'recall-2');
    expect(await recallWithKey(created.SignRequestId, 'recall-2', app.token, 'Another reason')).toMatchObject({
      status: 422,
      FailRules: [{ Code: 'IDEMPOTENCY_KEY_REUSED' }],
    });
  });

  it('does not remember refusals: a recall refused under a key is decided afresh on retry', async () => {
    const created = await initiate(service, app.token, 1);
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    const refused = await recallWithKey(created.SignRequestId, 'recall-3');
    expect(refused).toMatchObject({ status: 409, FailRules: [{ Code: 'SIGN_REQUEST_ALREADY_CANCELLED' }] });
    expect((await recallWithKey(created.SignRequestId, 'recall-3')).status).toBe(409);
  });

  it('lets concurrent retries with one key produce exactly one recall and never "already cancelled"', async () => {
    const created = await initiate(service, app.token);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => recallWithKey(created.SignRequestId, 'recall-4')),
    );
    for (const answer of answers) {
      if (answer.status === 200) expect(answer.Data).toBe(true);
      else expect(answer).toMatchObject({ status: 409, FailRules: [{ Code: 'IDEMPOTENCY_KEY_IN_PROGRESS' }] });
    }
    expect(
      answers.filter((answer) => answer.status === 200 && !answer.headers.get('idempotent-replayed')),
    ).toHaveLength(1);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with a character outside printable ASCII', 'cl\u00e9'],
  ])('refuses a key that is %s with 400 naming the header', async (_, key) => {
    const created = await initiate(service, app.token);
    const answer = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token), {
      'idempotency-key': key,
    });
    expect(answer).toMatchObject({ status: 400, FailRules: [{ Code: 'VALIDATION_FAILED', Field: 'Idempotency-Key' }] });
  });
});

describe('Idempotency-Key on initiate', () => {
  it('returns the first request and the same signing links on a retry, and creates nothing more', async () => {
    const owner = await newApp('Initiate Retries');
    const first = await service.post<Created>('/v1/sign-requests', initiateBody(owner.token), withKey('create-1'));
    const retry = await service.post<Created>('/v1/sign-requests', initiateBody(owner.token), withKey('create-1'));
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.Data).toEqual(first.Data);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // The replayed links work: they open the very signer they name.
    const opened = await fetch(retry.Data.Signers[1]!.SigningUrl);
    expect(opened.status).toBe(200);
    // Only one request was numbered.
    expect((await initiate(service, owner.token, 1)).RequestNo).toBe('KAiZEN-2');
  });

  it('scopes keys per app and per operation', async () => {
    const [a, b] = [await newApp('A'), await newApp('B')];
    const fromA = await service.post<Created>('/v1/sign-requests', initiateBody(a.token), withKey('shared-key'));
    const fromB = await service.post<Created>('/v1/sign-requests', initiateBody(b.token), withKey('shared-key'));
    expect(fromB.Data.SignRequestId).not.toBe(fromA.Data.SignRequestId);
    expect(fromB.headers.get('idempotent-replayed')).toBeNull();
    const recalled = await recallWithKey(fromA.Data.SignRequestId, 'shared-key', a.token);
    expect(recalled).toMatchObject({ status: 200, Data: true });
    expect(recalled.headers.get('idempotent-replayed')).toBeNull();
  });

  it('stores no signing link or secret, only hashes, and lets the record expire after 24 hours', async () => {
    const owner = await newApp('Stored');
    const created = await service.post<Created>('/v1/sign-requests', initiateBody(owner.token), withKey('create-2'));
    const secrets = created.Data.Signers.map((signer) => signer.SigningUrl.split('.').at(-1)!);
    const records = (await idempotencyItems()).filter((item) => String(item.pk).includes(owner.appId));
    expect(records.length).toBeGreaterThan(0);
    const now = Date.now() / 1000;
    for (const record of records) {
      const text = JSON.stringify(record);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toContain('SigningUrl');
      expect(text).not.toContain(owner.token);
      expect(record.expiresAtEpoch).toBeGreaterThan(now + 23 * 3600);
      expect(record.expiresAtEpoch).toBeLessThanOrEqual(now + 24 * 3600 + 5);
    }
  });
});

describe('where keyed calls are kept', () => {
  it('puts two apps using the same key in different partitions, each its own, and nothing in one shared partition', async () => {
    const [a, b] = [await newApp('Partition A'), await newApp('Partition B')];
    const key = 'the-same-key-7f3a';
    for (const app of [a, b]) {
      const created = await service.post<Created>('/v1/sign-requests', initiateBody(app.token), withKey(key));
      expect(created.status).toBe(201);
      expect(await recallWithKey(created.Data.SignRequestId, key, app.token)).toMatchObject({ status: 200 });
    }

    const items = await idempotencyItems();
    const partitionsOf = (appId: string) =>
      new Set(items.map((item) => String(item.pk)).filter((pk) => pk.split('#')[1] === appId));
    const [ofA, ofB] = [partitionsOf(a.appId), partitionsOf(b.appId)];
    // One partition per app and key: the initiate's and the recall's records, the key's inputs and the claim.
    expect(ofA.size).toBe(1);
    expect(ofB.size).toBe(1);
    expect([...ofA][0]).not.toBe([...ofB][0]);
    for (const pk of [...ofA, ...ofB]) expect(pk).toMatch(/^IDEMPOTENCY#[0-9A-Z]{26}#[0-9a-f]{64}$/);
    const kept = (pk: string) => items.filter((item) => item.pk === pk).map((item) => String(item.sk).split('#')[0]);
    for (const pk of [...ofA, ...ofB]) {
      expect(kept(pk).sort()).toEqual(['INITIATE', 'INPUT', 'INPUT', 'esign-recall', 'esign-recall']);
    }
    // Nothing of any app's key is under the one partition every key once shared.
    expect(items.filter((item) => item.pk === 'IDEMPOTENCY')).toEqual([]);
    expect(items.length).toBeGreaterThanOrEqual(10);
  });
});
