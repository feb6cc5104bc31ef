import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORE_CALL_LIMITS } from '../../functions/runtime/aws-call-limits.ts';
import { signRequests } from '../support/dependencies.ts';
import { keyAttribute, type StoreRequestBody } from '../support/fault-proxy.ts';
import { proxiedFunctions } from '../support/proxied-functions.ts';
import {
  initiate,
  newApp,
  recallBody,
  signersNamed,
  signingPath,
  startService,
  type Created,
  type Service,
} from '../support/service.ts';
import { storedRequestIdsOf } from '../support/stored-requests.ts';

/**
 * The functions' store client goes through a real TCP proxy that lets a write land and then loses its answer, as
 * a reset connection or DynamoDB's "may have succeeded" 500 does. The SDK retries the write, the retry fails its
 * own condition, and each operation must recognise its own earlier attempt instead of answering as if someone
 * else had changed the request. What the store holds is read straight from it, not through the proxy.
 */
const { proxy, functions: proxied, close: closeProxied } = await proxiedFunctions();

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService(proxied);
  app = await newApp('Lost Answers');
});
afterEach(async () => {
  proxy.reset();
  await proxy.settled();
});
afterAll(async () => {
  await service.close();
  await closeProxied();
});

const LOST_ANSWERS = ['forward-then-reset', 'forward-then-500'] as const;

const onRequest = (id: string) => (body: StoreRequestBody) => keyAttribute(body, 'pk') === `SR#${id}`;
const onAnyRequest = (body: StoreRequestBody) => keyAttribute(body, 'pk')?.startsWith('SR#') === true;

/** The UpdateItems the proxy saw since its last reset: the fault, the store's status and its error type. */
const updatesSeen = () =>
  proxy
    .log()
    .filter((entry) => entry.operation === 'UpdateItem')
    .map((entry) => [entry.fault, entry.storeStatus, entry.storeErrorType]);

const initiateBody = (appToken: string) => ({ appToken, documentName: 'Lease.pdf', signers: signersNamed(2) });

describe.each(LOST_ANSWERS)('a write that landed but whose answer was lost (%s)', (fault) => {
  it('recall: answers Data: true about its own recall, and the same on an Idempotency-Key retry', async () => {
    const created = await initiate(service, app.token, 2);
    const id = created.SignRequestId;
    proxy.reset();
    const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(id), fault });
    const key = `recall-${ulid()}`;

    const answer = await service.post('/v1/sign-requests/recall', recallBody(id, app.token), {
      'idempotency-key': key,
    });

    expect(planned.applied()).toBe(1);
    expect(answer).toMatchObject({ status: 200, FailRules: [], Data: true });
    // The first attempt landed (the store answered 200), the SDK's retry was refused by its own condition.
    // (The third is Powertools saving the answer under the key.)
    expect(updatesSeen()).toEqual([
      [fault, 200, undefined],
      ['none', 400, 'ConditionalCheckFailedException'],
      ['none', 200, undefined],
    ]);
    const stored = (await signRequests.get(id))!;
    expect(stored.status).toBe('CANCELLED');
    expect(stored.history.filter((entry) => entry.event === 'RECALLED')).toHaveLength(1);

    const retry = await service.post('/v1/sign-requests/recall', recallBody(id, app.token), { 'idempotency-key': key });
    expect(retry).toMatchObject({ status: 200, FailRules: [], Data: true });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // The call's token stays internal: not in the read answer.
    const read = await service.get(`/v1/sign-requests/${id}`, { authorization: `Bearer ${app.token}` });
    expect(JSON.stringify(read.Data)).not.toContain(stored.recall?.callId ?? 'no call id');
  });

  it('recall with If-Match: its own landed recall moved the version, and still answers Data: true, not 412', async () => {
    const created = await initiate(service, app.token, 2);
    const id = created.SignRequestId;
    proxy.reset();
    const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(id), fault });

    const answer = await service.post('/v1/sign-requests/recall', recallBody(id, app.token), { 'if-match': '"1"' });

    expect(planned.applied()).toBe(1);
    expect(answer).toMatchObject({ status: 200, FailRules: [], Data: true });
    expect(updatesSeen()).toEqual([
      [fault, 200, undefined],
      ['none', 400, 'ConditionalCheckFailedException'],
    ]);
    expect((await signRequests.get(id))?.version).toBe(2);
  });

  it('remind: answers 200 about its own reminder, which is on record once', async () => {
    const created = await initiate(service, app.token, 2, { sendInvitations: false });
    const id = created.SignRequestId;
    proxy.reset();
    const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(id), fault });

    const answer = await service.post<{ Reminded: string[] }>(`/v1/sign-requests/${id}/remind`, undefined, {
      authorization: `Bearer ${app.token}`,
    });

    expect(planned.applied()).toBe(1);
    expect(answer.status).toBe(200);
    expect(answer.Data.Reminded.sort()).toEqual(created.Signers.map((signer) => signer.SignerId).sort());
    const stored = (await signRequests.get(id))!;
    expect(stored.history.filter((entry) => entry.event === 'REMINDED')).toHaveLength(1);
  });

  it('initiate: answers 201 with the one request it made, and the same one on an Idempotency-Key retry', async () => {
    const own = await newApp(`Initiate ${fault}`);
    const planned = proxy.plan({ operation: 'PutItem', where: onAnyRequest, fault });
    const key = `initiate-${ulid()}`;

    const answer = await service.post<Created>('/v1/sign-requests', initiateBody(own.token), {
      'idempotency-key': key,
    });

    expect(planned.applied()).toBe(1);
    expect(answer.status).toBe(201);
    expect(await storedRequestIdsOf(own.appId)).toEqual([answer.Data.SignRequestId]);
    const retry = await service.post<Created>('/v1/sign-requests', initiateBody(own.token), { 'idempotency-key': key });
    expect(retry.status).toBe(201);
    expect(retry.Data.SignRequestId).toBe(answer.Data.SignRequestId);
    expect(await storedRequestIdsOf(own.appId)).toEqual([answer.Data.SignRequestId]);
  });

  it('last signature: answers 200 COMPLETED about the signature it made', async () => {
    const created = await initiate(service, app.token, 2);
    const [first, last] = created.Signers.map((signer) => signingPath(signer.SigningUrl));
    expect((await service.post(`${first}/sign`)).status).toBe(200);
    const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(created.SignRequestId), fault });

    const answer = await service.post(`${last}/sign`);

    expect(planned.applied()).toBe(1);
    expect(answer).toMatchObject({ status: 200, Data: { SignerStatus: 'SIGNED', Status: 'COMPLETED' } });
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(stored.status).toBe('COMPLETED');
    expect(stored.history.map((entry) => entry.event)).toEqual(['CREATED', 'SIGNED', 'SIGNED', 'COMPLETED']);
  });

  it('a signature that is not the last: answers 200 PARTIALLY_SIGNED, not 409 ALREADY_SIGNED', async () => {
    const created = await initiate(service, app.token, 2);
    const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(created.SignRequestId), fault });

    const answer = await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`);

    expect(planned.applied()).toBe(1);
    expect(answer).toMatchObject({ status: 200, Data: { Status: 'PARTIALLY_SIGNED' } });
    expect(JSON.stringify(answer)).not.toContain(
      (await signRequests.get(created.SignRequestId))!.signers[created.Signers[0]!.SignerId]!.callId ?? 'no call id',
    );
  });

  it('decline: answers 200 DECLINED about its own decline, not 409 ALREADY_DECLINED', async () => {
    const created = await initiate(service, app.token, 2);
    const decliner = created.Signers[1]!;
    proxy.reset();
    const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(created.SignRequestId), fault });

    const answer = await service.post(`${signingPath(decliner.SigningUrl)}/decline`, { reason: 'Wrong entity' });

    expect(planned.applied()).toBe(1);
    expect(answer).toMatchObject({ status: 200, FailRules: [], Data: { Status: 'DECLINED' } });
    expect(updatesSeen()).toEqual([
      [fault, 200, undefined],
      ['none', 400, 'ConditionalCheckFailedException'],
    ]);
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(stored.decline).toMatchObject({ signerId: decliner.SignerId, reason: 'Wrong entity' });
    expect(stored.history.filter((entry) => entry.event === 'DECLINED')).toHaveLength(1);
    expect(JSON.stringify(answer)).not.toContain(stored.decline?.callId ?? 'no call id');
  });

  it('first view: answers 200 with the first view it recorded', async () => {
    const created = await initiate(service, app.token, 1);
    const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(created.SignRequestId), fault });

    const answer = await service.get<{ ViewedAt: string }>(signingPath(created.Signers[0]!.SigningUrl));

    expect(planned.applied()).toBe(1);
    expect(answer.status).toBe(200);
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(answer.Data.ViewedAt).toBe(stored.signers[created.Signers[0]!.SignerId]!.viewedAt);
    expect(stored.history.filter((entry) => entry.event === 'VIEWED')).toHaveLength(1);
  });
});

describe('a recall whose every attempt lost its answer', () => {
  it('answers 503, and its Idempotency-Key retry recognises the recall that landed: Data: true', async () => {
    const created = await initiate(service, app.token, 2);
    const id = created.SignRequestId;
    // Three attempts, the SDK's maxAttempts: the first lands, the next two are refused, all three answer 500;
    // and the workflow's read-back of the request fails too.
    proxy.plan({ operation: 'UpdateItem', where: onRequest(id), fault: 'forward-then-500', times: 3 });
    proxy.plan({ operation: 'GetItem', where: onRequest(id), fault: 'answer-500', times: Infinity });
    const key = `recall-lost-${ulid()}`;

    const first = await service.post('/v1/sign-requests/recall', recallBody(id, app.token), { 'idempotency-key': key });
    expect(first).toMatchObject({ status: 503, FailRules: [{ Code: 'SERVICE_UNAVAILABLE' }] });
    expect((await signRequests.get(id))?.status).toBe('CANCELLED');
    proxy.reset();

    const retry = await service.post('/v1/sign-requests/recall', recallBody(id, app.token), { 'idempotency-key': key });
    expect(retry).toMatchObject({ status: 200, FailRules: [], Data: true });
    // Without the key, a second call is another caller's: the recall is not its own.
    expect(await service.post('/v1/sign-requests/recall', recallBody(id, app.token))).toMatchObject({
      status: 409,
      FailRules: [{ Code: 'SIGN_REQUEST_ALREADY_CANCELLED' }],
    });
  });
});

describe('an Idempotency-Key whose first call answered 503 after its change had landed', () => {
  /**
   * The SDK's three attempts at the write all answer 500 (the first landed, the next two were refused), and so
   * does every read of the item, the workflow's read-back included: the call cannot learn that it landed.
   */
  const loseEveryAnswer = (where: (body: StoreRequestBody) => boolean, operation = 'PutItem') => {
    proxy.plan({ operation, where, fault: 'forward-then-500', times: 3 });
    proxy.plan({ operation: 'GetItem', where, fault: 'answer-500', times: Infinity });
  };

  it('initiate: a retry with another body answers 422 IDEMPOTENCY_KEY_REUSED, not the first request', async () => {
    const own = await newApp('Initiate key reused after 503');
    loseEveryAnswer(onAnyRequest);
    const key = `initiate-reused-${ulid()}`;

    const first = await service.post('/v1/sign-requests', initiateBody(own.token), { 'idempotency-key': key });
    expect(first).toMatchObject({ status: 503, FailRules: [{ Code: 'SERVICE_UNAVAILABLE' }] });
    const made = await storedRequestIdsOf(own.appId);
    expect(made).toHaveLength(1);
    proxy.reset();

    const other = { ...initiateBody(own.token), documentName: 'Another lease.pdf' };
    const reused = await service.post('/v1/sign-requests', other, { 'idempotency-key': key });
    expect(reused).toMatchObject({ status: 422, FailRules: [{ Code: 'IDEMPOTENCY_KEY_REUSED' }], Data: null });
    // The same body still gets the request the first call made, and nothing more is made.
    const same = await service.post<Created>('/v1/sign-requests', initiateBody(own.token), { 'idempotency-key': key });
    expect(same.status).toBe(201);
    expect(same.Data.SignRequestId).toBe(made[0]);
    expect(await storedRequestIdsOf(own.appId)).toEqual(made);
  });

  it('recall: a retry with another body answers 422 IDEMPOTENCY_KEY_REUSED, not Data: true', async () => {
    const created = await initiate(service, app.token, 2);
    const id = created.SignRequestId;
    loseEveryAnswer(onRequest(id), 'UpdateItem');
    const key = `recall-reused-${ulid()}`;

    const first = await service.post('/v1/sign-requests/recall', recallBody(id, app.token), { 'idempotency-key': key });
    expect(first).toMatchObject({ status: 503, FailRules: [{ Code: 'SERVICE_UNAVAILABLE' }] });
    expect((await signRequests.get(id))?.status).toBe('CANCELLED');
    proxy.reset();

    const other = { ...recallBody(id, app.token), recallReason: 'Another reason' };
    const reused = await service.post('/v1/sign-requests/recall', other, { 'idempotency-key': key });
    expect(reused).toMatchObject({ status: 422, FailRules: [{ Code: 'IDEMPOTENCY_KEY_REUSED' }] });
    const same = await service.post('/v1/sign-requests/recall', recallBody(id, app.token), { 'idempotency-key': key });
    expect(same).toMatchObject({ status: 200, FailRules: [], Data: true });
  });
});

describe('an Idempotency-Key whose own in-progress record lost its answer', () => {
  it('answers a retryable 409 IDEMPOTENCY_KEY_IN_PROGRESS and makes no request', async () => {
    const own = await newApp('Idempotency record lost');
    proxy.plan({
      operation: 'PutItem',
      // Powertools' own record of the key (its sort key is `esign-recall#…`), not the key's input or claim.
      where: (body) => keyAttribute(body, 'sk')?.startsWith('esign-recall#') === true,
      fault: 'forward-then-reset',
    });
    const key = `record-lost-${ulid()}`;

    const answers = [
      await service.post('/v1/sign-requests', initiateBody(own.token), { 'idempotency-key': key }),
      await service.post('/v1/sign-requests', initiateBody(own.token), { 'idempotency-key': key }),
    ];

    // Powertools' retried PutItem meets its own in-progress record: the call is refused before it runs, and so
    // is a retry until that record's in-progress time (the function's remaining time) has passed.
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 409, FailRules: [{ Code: 'IDEMPOTENCY_KEY_IN_PROGRESS' }] });
    }
    expect(await storedRequestIdsOf(own.appId)).toEqual([]);
  });
});

describe('a store that holds a write without answering', () => {
  it('ends as 503 SERVICE_UNAVAILABLE in about 8 s (the timeouts abort), with nothing written', async () => {
    const created = await initiate(service, app.token, 2);
    const held = proxy.plan({
      operation: 'UpdateItem',
      where: onRequest(created.SignRequestId),
      fault: 'hold',
      times: Infinity,
    });
    const started = Date.now();

    const answer = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));

    const elapsed = Date.now() - started;
    held.cancel();
    expect(answer).toMatchObject({ status: 503, FailRules: [{ Code: 'SERVICE_UNAVAILABLE' }] });
    expect(held.applied()).toBe(STORE_CALL_LIMITS.maxAttempts);
    // A generous bound: without aborting timeouts the call would wait for the function's own deadline (29 s).
    expect(elapsed).toBeLessThan(20_000);
    expect((await signRequests.get(created.SignRequestId))?.status).toBe('PENDING');
  });
});
