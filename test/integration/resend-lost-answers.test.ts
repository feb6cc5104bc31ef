import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import { keyAttribute, type FaultName, type StoreRequestBody } from '../support/fault-proxy.ts';
import { registerSecret } from '../support/log-guard.ts';
import { proxiedFunctions } from '../support/proxied-functions.ts';
import {
  initiate,
  newApp,
  recallBody,
  signingPath,
  startService,
  type Created,
  type Service,
} from '../support/service.ts';
import { storedRequestIdsOf } from '../support/stored-requests.ts';

/**
 * A resend is two writes, the claim on the request resent and the create of its replacement; here each loses its
 * answer, or never lands, through a real TCP proxy between the functions and the store. Whatever fails where,
 * exactly one replacement exists in the end. What the store holds is read straight from it.
 */
const { proxy, functions: proxied, close: closeProxied } = await proxiedFunctions();

let service: Service;
beforeAll(async () => {
  service = await startService(proxied);
});
afterEach(async () => {
  proxy.reset();
  await proxy.settled();
});
afterAll(async () => {
  await service.close();
  await closeProxied();
});

interface Resent extends Created {
  ReplacesSignRequestId: string;
}

/** An app with one recalled request, ready to be resent. */
const recalledRequest = async (name: string) => {
  const app = await newApp(name);
  const created = await initiate(service, app.token, 2);
  expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
    200,
  );
  const resend = async (headers: Record<string, string> = {}, body?: Record<string, unknown>) => {
    const answer = await service.post<Resent>(`/v1/sign-requests/${created.SignRequestId}/resend`, body, {
      authorization: `Bearer ${app.token}`,
      ...headers,
    });
    for (const signer of answer.Data?.Signers ?? []) registerSecret(signer.SigningUrl.split('.').at(-1) ?? '');
    return answer;
  };
  return { app, id: created.SignRequestId, resend };
};

const onClaim = (id: string) => (body: StoreRequestBody) => keyAttribute(body, 'pk') === `SR#${id}`;
const onReplacement = (id: string) => (body: StoreRequestBody) => {
  const pk = keyAttribute(body, 'pk');
  return pk?.startsWith('SR#') === true && pk !== `SR#${id}`;
};
/** The replacement the claim on the request resent names, as stored. */
const claimedReplacement = async (id: string) => (await signRequests.get(id))?.resend?.signRequestId;

describe.each(['forward-then-reset', 'forward-then-500'] as const)(
  'a resend write that landed, its answer lost (%s)',
  (fault) => {
    it('on the claim: answers 201 with the one replacement it claimed', async () => {
      const { app, id, resend } = await recalledRequest(`Claim ${fault}`);
      const planned = proxy.plan({ operation: 'UpdateItem', where: onClaim(id), fault });

      const answer = await resend();

      expect(planned.applied()).toBe(1);
      expect(answer.status).toBe(201);
      expect(answer.Data.SignRequestId).toBe(await claimedReplacement(id));
      expect(await storedRequestIdsOf(app.appId)).toEqual([id, answer.Data.SignRequestId].sort());
    });

    it('on the create: answers 201 with the replacement it made, and its links work', async () => {
      const { app, id, resend } = await recalledRequest(`Create ${fault}`);
      const planned = proxy.plan({ operation: 'PutItem', where: onReplacement(id), fault });

      const answer = await resend();

      expect(planned.applied()).toBe(1);
      expect(answer.status).toBe(201);
      expect(await storedRequestIdsOf(app.appId)).toEqual([id, answer.Data.SignRequestId].sort());
      expect((await service.get(signingPath(answer.Data.Signers[0]!.SigningUrl))).status).toBe(200);
    });
  },
);

/**
 * The SDK's three attempts all fail: the claim lands on the first and answers 500; or the create never lands. The
 * workflow's read-back of what it wrote fails too, so the call cannot learn how far it got.
 */
const failures: [string, 'UpdateItem' | 'PutItem', FaultName][] = [
  ['the claim landed, every answer lost', 'UpdateItem', 'forward-then-500'],
  ['the claim landed, the create never did (a call stopped between the writes)', 'PutItem', 'answer-500'],
];

describe.each(failures)('a resend that answered 503: %s', (_name, operation, fault) => {
  const failFirst = async (name: string) => {
    const request = await recalledRequest(name);
    proxy.plan({
      operation,
      where: operation === 'UpdateItem' ? onClaim(request.id) : onReplacement(request.id),
      fault,
      times: 3,
    });
    // Past the resend's own first read of the request: every read of what was written.
    proxy.plan({ operation: 'GetItem', where: onClaim(request.id), fault: 'answer-500', skip: 1, times: Infinity });
    proxy.plan({ operation: 'GetItem', where: onReplacement(request.id), fault: 'answer-500', times: Infinity });
    return request;
  };

  it('a retry with its Idempotency-Key answers 201 with the replacement claimed, made once', async () => {
    const { app, id, resend } = await failFirst(`503 key ${operation}`);
    const key = { 'idempotency-key': `resend-${ulid()}` };

    expect(await resend(key)).toMatchObject({ status: 503, FailRules: [{ Code: 'SERVICE_UNAVAILABLE' }] });
    const claimed = await claimedReplacement(id);
    expect(claimed).toBeDefined();
    // Either way the claim is there and its replacement is not: what a call that stopped between the writes leaves.
    expect(await storedRequestIdsOf(app.appId)).toEqual([id]);
    proxy.reset();

    const retry = await resend(key);

    expect(retry.status).toBe(201);
    expect(retry.Data.SignRequestId).toBe(claimed);
    expect(await storedRequestIdsOf(app.appId)).toEqual([id, claimed!].sort());
  });

  it('a retry with its Idempotency-Key and another body answers 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const { app, id, resend } = await failFirst(`503 key reused ${operation}`);
    const key = { 'idempotency-key': `resend-reused-${ulid()}` };

    expect(await resend(key)).toMatchObject({ status: 503, FailRules: [{ Code: 'SERVICE_UNAVAILABLE' }] });
    const claimed = await claimedReplacement(id);
    proxy.reset();

    const reused = await resend(key, { documentName: 'Corrected.pdf' });

    expect(reused).toMatchObject({ status: 422, FailRules: [{ Code: 'IDEMPOTENCY_KEY_REUSED' }], Data: null });
    // The claim is the first call's, untouched; the same body with the key still gets that replacement.
    expect(await claimedReplacement(id)).toBe(claimed);
    const same = await resend(key);
    expect(same.status).toBe(201);
    expect(same.Data.SignRequestId).toBe(claimed);
    expect(await storedRequestIdsOf(app.appId)).toEqual([id, claimed!].sort());
  });

  it('a retry without a key is another call: 409 naming the replacement, which it made, once', async () => {
    const { app, id, resend } = await failFirst(`503 no key ${operation}`);

    expect((await resend()).status).toBe(503);
    const claimed = await claimedReplacement(id);
    expect(await storedRequestIdsOf(app.appId)).toEqual([id]);
    proxy.reset();

    const retry = await resend();

    expect(retry).toMatchObject({
      status: 409,
      FailRules: [{ Code: 'SIGN_REQUEST_ALREADY_RESENT', Message: `This request was already resent as ${claimed}` }],
    });
    expect(await storedRequestIdsOf(app.appId)).toEqual([id, claimed!].sort());
    const replacement = await service.get(`/v1/sign-requests/${claimed}`, { authorization: `Bearer ${app.token}` });
    expect(replacement).toMatchObject({ status: 200, Data: { ReplacesSignRequestId: id, Status: 'PENDING' } });
  });
});
