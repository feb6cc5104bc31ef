import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
 * The functions' store client makes ONE attempt per call, as the SDK does once a brownout has spent its retry
 * quota: a write that lands and loses its answer is not retried by the SDK, so nothing here can pass thanks to
 * its retries. Each workflow must itself find out what became of its write (read the item back, recognise its
 * own change) and answer as that write would have. What the store holds is read straight from it.
 */
const { proxy, functions: proxied, close: closeProxied } = await proxiedFunctions({ maxAttempts: 1 });

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService(proxied);
  app = await newApp('No SDK retries');
});
afterEach(async () => {
  proxy.reset();
  await proxy.settled();
});
afterAll(async () => {
  await service.close();
  await closeProxied();
});

const onRequest = (id: string) => (body: StoreRequestBody) => keyAttribute(body, 'pk') === `SR#${id}`;
const onAnyRequest = (body: StoreRequestBody) => keyAttribute(body, 'pk')?.startsWith('SR#') === true;

describe.each(['forward-then-reset', 'forward-then-500'] as const)(
  'a write that landed, its answer lost, and no SDK retry (%s)',
  (fault) => {
    it('a signature that is not the last: answers 200 PARTIALLY_SIGNED, and it is on record once', async () => {
      const created = await initiate(service, app.token, 2);
      const signer = created.Signers[0]!;
      const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(created.SignRequestId), fault });

      const answer = await service.post(`${signingPath(signer.SigningUrl)}/sign`, { signedName: 'Signer 1' });

      expect(planned.applied()).toBe(1);
      expect(answer).toMatchObject({ status: 200, Data: { SignerStatus: 'SIGNED', Status: 'PARTIALLY_SIGNED' } });
      const stored = (await signRequests.get(created.SignRequestId))!;
      expect(stored.signers[signer.SignerId]?.status).toBe('SIGNED');
      expect(stored.history.filter((entry) => entry.event === 'SIGNED')).toHaveLength(1);
    });

    it('the last signature: answers 200 COMPLETED', async () => {
      const created = await initiate(service, app.token, 2);
      const [first, last] = created.Signers.map((signer) => signingPath(signer.SigningUrl));
      expect((await service.post(`${first}/sign`)).status).toBe(200);
      const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(created.SignRequestId), fault });

      const answer = await service.post(`${last}/sign`);

      expect(planned.applied()).toBe(1);
      expect(answer).toMatchObject({ status: 200, Data: { SignerStatus: 'SIGNED', Status: 'COMPLETED' } });
      const stored = (await signRequests.get(created.SignRequestId))!;
      expect(stored.history.map((entry) => entry.event)).toEqual(['CREATED', 'SIGNED', 'SIGNED', 'COMPLETED']);
    });

    it('a first view: answers 200 with the first view it recorded', async () => {
      const created = await initiate(service, app.token, 1);
      const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(created.SignRequestId), fault });

      const answer = await service.get<{ ViewedAt: string }>(signingPath(created.Signers[0]!.SigningUrl));

      expect(planned.applied()).toBe(1);
      expect(answer.status).toBe(200);
      const stored = (await signRequests.get(created.SignRequestId))!;
      expect(answer.Data.ViewedAt).toBe(stored.signers[created.Signers[0]!.SignerId]!.viewedAt);
      expect(stored.history.filter((entry) => entry.event === 'VIEWED')).toHaveLength(1);
    });

    it('a recall: answers Data: true about its own recall', async () => {
      const created = await initiate(service, app.token, 2);
      const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(created.SignRequestId), fault });

      const answer = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));

      expect(planned.applied()).toBe(1);
      expect(answer).toMatchObject({ status: 200, FailRules: [], Data: true });
      expect((await signRequests.get(created.SignRequestId))?.status).toBe('CANCELLED');
    });

    it('a decline: answers 200 DECLINED about its own decline', async () => {
      const created = await initiate(service, app.token, 2);
      const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(created.SignRequestId), fault });

      const answer = await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/decline`, { reason: 'No' });

      expect(planned.applied()).toBe(1);
      expect(answer).toMatchObject({ status: 200, FailRules: [], Data: { Status: 'DECLINED' } });
    });

    it.each([
      ['without an Idempotency-Key', {}],
      ['with an Idempotency-Key', { 'idempotency-key': `initiate-${ulid()}` }],
    ])('an initiate %s: answers 201 with the one request it made', async (_name, headers) => {
      const own = await newApp(`Initiate ${fault}`);
      const planned = proxy.plan({ operation: 'PutItem', where: onAnyRequest, fault });

      const answer = await service.post<Created>(
        '/v1/sign-requests',
        { appToken: own.token, documentName: 'Lease.pdf', signers: signersNamed(2) },
        headers,
      );

      expect(planned.applied()).toBe(1);
      expect(answer.status).toBe(201);
      expect(await storedRequestIdsOf(own.appId)).toEqual([answer.Data.SignRequestId]);
      expect((await service.get(signingPath(answer.Data.Signers[0]!.SigningUrl))).status).toBe(200);
    });
  },
);

describe('a write that never landed (500), and no SDK retry', () => {
  it('a signature answers 503 after its read-back finds nothing of its own, and nothing is signed', async () => {
    const created = await initiate(service, app.token, 2);
    const signer = created.Signers[1]!;
    proxy.reset();
    const onThis = onRequest(created.SignRequestId);
    const planned = proxy.plan({ operation: 'UpdateItem', where: onThis, fault: 'answer-500' });

    const answer = await service.post(`${signingPath(signer.SigningUrl)}/sign`);

    expect(planned.applied()).toBe(1);
    expect(answer).toMatchObject({ status: 503, FailRules: [{ Code: 'SERVICE_UNAVAILABLE' }] });
    // The sign's read, its one write (never landed), then the read-back: nothing is written again.
    expect(proxy.log().map((entry) => [entry.operation, entry.fault])).toEqual([
      ['GetItem', 'none'],
      ['UpdateItem', 'answer-500'],
      ['GetItem', 'none'],
    ]);
    expect((await signRequests.get(created.SignRequestId))?.signers[signer.SignerId]?.status).toBe('PENDING');
  });
});

describe('a store that stays unavailable', () => {
  it('a signature whose write and read-back both fail answers 503, and the signer can sign again later', async () => {
    const created = await initiate(service, app.token, 2);
    const signer = created.Signers[0]!;
    const onThis = onRequest(created.SignRequestId);
    const writes = proxy.plan({ operation: 'UpdateItem', where: onThis, fault: 'answer-500', times: Infinity });
    // The sign's own first read gets through; every later one (the read-back) fails.
    const reads = proxy.plan({ operation: 'GetItem', where: onThis, fault: 'answer-500', skip: 1, times: Infinity });

    const answer = await service.post(`${signingPath(signer.SigningUrl)}/sign`);

    expect(answer).toMatchObject({ status: 503, FailRules: [{ Code: 'SERVICE_UNAVAILABLE' }] });
    expect(writes.applied()).toBe(1);
    expect(reads.applied()).toBe(1);
    expect((await signRequests.get(created.SignRequestId))?.signers[signer.SignerId]?.status).toBe('PENDING');
    proxy.reset();
    expect(await service.post(`${signingPath(signer.SigningUrl)}/sign`)).toMatchObject({ status: 200 });
  });
});
