import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FailRule } from '../../functions/core/errors.ts';
import { signRequests } from '../support/dependencies.ts';
import { keyAttribute, type StoreRequestBody } from '../support/fault-proxy.ts';
import { expectConsistent } from '../support/invariants.ts';
import { registerSecret } from '../support/log-guard.ts';
import { proxiedFunctions } from '../support/proxied-functions.ts';
import { initiate, newApp, signingPath, startService, type Created, type Service } from '../support/service.ts';

/**
 * PATCH and DELETE of a signer whose write landed but whose answer was lost, through the real TCP fault proxy
 * between the functions and the store: the SDK's retry is refused by the write's own condition (the version moved),
 * and the call must answer as the landed write would have. And when the whole answer is lost (503: every write's
 * answer and every read-back failed), the app's retry of the same call must find the change made, and answer it.
 */
const { proxy, functions: proxied, close: closeProxied } = await proxiedFunctions();

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService(proxied);
  app = await newApp('Signer Edit Lost Answers');
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

interface Changed {
  SignerId: string;
  SigningUrl: string;
}

const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${app.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const envelope = (await response.json()) as { FailRules: FailRule[]; Data: T };
  if (response.status === 200 && method === 'PATCH')
    registerSecret((envelope.Data as Changed).SigningUrl.split('.').at(-1) ?? '');
  return { status: response.status, headers: response.headers, ...envelope };
};
const signerPath = (created: Created, index: number) =>
  `/v1/sign-requests/${created.SignRequestId}/signers/${created.Signers[index]!.SignerId}`;

/** The UpdateItems the proxy saw since its last reset: the fault, the store's status and its error type. */
const updatesSeen = () =>
  proxy
    .log()
    .filter((entry) => entry.operation === 'UpdateItem')
    .map((entry) => [entry.fault, entry.storeStatus, entry.storeErrorType]);

describe.each(['forward-then-reset', 'forward-then-500'] as const)(
  'a landed write whose answer was lost (%s)',
  (fault) => {
    it('PATCH with If-Match: answers 200 with the signer its write made, not 412 or 409', async () => {
      const created = await initiate(service, app.token, 2, { sendInvitations: false });
      proxy.reset();
      const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(created.SignRequestId), fault });

      const answer = await call<Changed>(
        'PATCH',
        signerPath(created, 1),
        { name: 'Ben Okafor' },
        { 'if-match': '"1"' },
      );

      expect(planned.applied()).toBe(1);
      expect(answer.status).toBe(200);
      expect(updatesSeen()).toEqual([
        [fault, 200, undefined],
        ['none', 400, 'ConditionalCheckFailedException'],
      ]);
      const stored = (await signRequests.get(created.SignRequestId))!;
      expect(stored.version).toBe(2);
      expect(stored.history.filter((entry) => entry.event === 'SIGNER_CHANGED')).toHaveLength(1);
      expect(stored.formerSigners?.[created.Signers[1]!.SignerId]?.replacedBy).toBe(answer.Data.SignerId);
      expect(answer.headers.get('etag')).toBe('"2"');
      // The link answered is the new signer's, and works.
      expect((await service.get(signingPath(answer.Data.SigningUrl))).status).toBe(200);
    });

    it('DELETE: answers 200 about its own removal, which completes the request once', async () => {
      const created = await initiate(service, app.token, 2, { sendInvitations: false });
      expect((await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`)).status).toBe(200);
      proxy.reset();
      const planned = proxy.plan({ operation: 'UpdateItem', where: onRequest(created.SignRequestId), fault });

      const answer = await call<{ Status: string }>('DELETE', signerPath(created, 1));

      expect(planned.applied()).toBe(1);
      expect(answer).toMatchObject({ status: 200, Data: { Status: 'COMPLETED' } });
      const stored = (await signRequests.get(created.SignRequestId))!;
      expectConsistent(stored);
      expect(stored.history.map((entry) => entry.event)).toEqual(['CREATED', 'SIGNED', 'SIGNER_REMOVED', 'COMPLETED']);
    });
  },
);

describe('a call whose whole answer was lost (503), retried by the app with the same body', () => {
  /** Every answer of the write lost, and every read of the request after the call's first: the call can only 503. */
  const loseEverything = (id: string) => {
    proxy.plan({ operation: 'UpdateItem', where: onRequest(id), fault: 'forward-then-500', times: Infinity });
    proxy.plan({ operation: 'GetItem', where: onRequest(id), fault: 'answer-500', skip: 1, times: Infinity });
  };

  it('PATCH: the retry answers 200 with the one new signer the first call made', async () => {
    const created = await initiate(service, app.token, 2, { sendInvitations: false });
    proxy.reset();
    loseEverything(created.SignRequestId);
    const body = { email: 'ben.okafor@example.com' };

    expect(await call('PATCH', signerPath(created, 1), body)).toMatchObject({
      status: 503,
      FailRules: [{ Code: 'SERVICE_UNAVAILABLE' }],
    });
    const landed = (await signRequests.get(created.SignRequestId))!;
    const newSignerId = landed.formerSigners?.[created.Signers[1]!.SignerId]?.replacedBy;
    expect(newSignerId).toBeDefined();
    proxy.reset();

    const retry = await call<Changed>('PATCH', signerPath(created, 1), body);

    expect(retry.status).toBe(200);
    expect(retry.Data.SignerId).toBe(newSignerId);
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(stored.history.filter((entry) => entry.event === 'SIGNER_CHANGED')).toHaveLength(1);
    expect(Object.keys(stored.signers)).toHaveLength(2);
    expect((await service.get(signingPath(retry.Data.SigningUrl))).status).toBe(200);
  });

  it('DELETE: the retry answers 200, and the signer was removed once', async () => {
    const created = await initiate(service, app.token, 3, { sendInvitations: false });
    proxy.reset();
    loseEverything(created.SignRequestId);

    expect((await call('DELETE', signerPath(created, 2))).status).toBe(503);
    proxy.reset();
    const retry = await call<{ SignerCount: number }>('DELETE', signerPath(created, 2));

    expect(retry).toMatchObject({ status: 200, Data: { SignerCount: 2 } });
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(stored.history.filter((entry) => entry.event === 'SIGNER_REMOVED')).toHaveLength(1);
    expectConsistent(stored);
  });
});
