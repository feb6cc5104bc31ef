import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../support/dependencies.ts';
import { routes, type HandlerName } from '../../functions/routes.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

/** Every DynamoDB operation the functions send, by its API name (GetItem, UpdateItem, ...), in order. */
const sent: string[] = [];
documentClient.middlewareStack.add(
  (next, context) => (args) => {
    sent.push(context.commandName?.replace(/Command$/, '') ?? 'unknown');
    return next(args);
  },
  { step: 'initialize', name: 'recordStoreCalls' },
);

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

/** The operations one call makes, after the app token is warm in the cache. */
const callsOf = async (act: () => Promise<{ status: number }>, expectedStatus: number) => {
  sent.length = 0;
  const answer = await act();
  expect(answer.status).toBe(expectedStatus);
  return [...sent];
};

const allowed = (handler: HandlerName): readonly string[] =>
  routes.find((route) => route.handler === handler)?.storeActions ?? [];

beforeAll(async () => {
  service = await startService();
  app = await newApp('Store Calls');
  await initiate(service, app.token, 1); // warms the token cache
});
afterAll(() => service.close());

describe('store calls per operation (warm container)', () => {
  it('a recall is exactly one conditional UpdateItem', async () => {
    const created = await initiate(service, app.token, 2);
    const calls = await callsOf(
      () => service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token)),
      200,
    );
    expect(calls).toEqual(['UpdateItem']);
  });

  it('a refused recall adds one consistent read to classify the refusal (the embedded store returns no old item)', async () => {
    const created = await initiate(service, app.token, 2);
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    const calls = await callsOf(
      () => service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token)),
      409,
    );
    expect(calls).toEqual(['UpdateItem', 'GetItem']);
  });

  it('an initiate numbers, then creates: two writes', async () => {
    const calls = await callsOf(
      () =>
        service.post('/v1/sign-requests', {
          appToken: app.token,
          documentName: 'A.pdf',
          signers: [{ name: 'A', email: 'a@example.com' }],
        }),
      201,
    );
    expect(calls).toEqual(['UpdateItem', 'PutItem']);
  });

  it('a read is one GetItem; a signature and a first view are a read and a conditional write', async () => {
    const created = await initiate(service, app.token, 2);
    const link = signingPath(created.Signers[0]!.SigningUrl);
    expect(
      await callsOf(
        () => service.get(`/v1/sign-requests/${created.SignRequestId}`, { authorization: `Bearer ${app.token}` }),
        200,
      ),
    ).toEqual(['GetItem']);
    expect(await callsOf(() => service.get(link), 200)).toEqual(['GetItem', 'UpdateItem']);
    expect(await callsOf(() => service.get(link), 200)).toEqual(['GetItem']);
    expect(await callsOf(() => service.post(`${link}/sign`), 200)).toEqual(['GetItem', 'UpdateItem']);
    // The last signature completes the request in the same one conditional write.
    const last = signingPath(created.Signers[1]!.SigningUrl);
    expect(await callsOf(() => service.post(`${last}/sign`), 200)).toEqual(['GetItem', 'UpdateItem']);
  });

  it('a body over the limit costs no store call at all', async () => {
    const created = await initiate(service, app.token, 1);
    const oversize = { ...recallBody(created.SignRequestId, app.token), padding: 'x'.repeat(1024 * 1024) };
    expect(await callsOf(() => service.post('/v1/sign-requests/recall', oversize), 413)).toEqual([]);
  });

  it('a malformed id or signing link costs no store call at all', async () => {
    expect(
      await callsOf(() => service.post('/v1/sign-requests/recall', recallBody('not-an-id', app.token)), 404),
    ).toEqual([]);
    expect(await callsOf(() => service.post('/v1/signing/forged/sign'), 404)).toEqual([]);
    expect(
      await callsOf(
        () =>
          service.post('/v1/sign-requests/recall', recallBody('not-an-id', app.token), { 'idempotency-key': 'k-1' }),
        404,
      ),
    ).toEqual([]);
  });
});

describe('the actions CDK grants each function', () => {
  // The embedded store checks no IAM permissions, so this is where a missing grant would show before AWS does.
  it('cover every operation each handler made in the scenarios above and in a full lifecycle', async () => {
    const byHandler = new Map<HandlerName, Set<string>>();
    const record = async (handler: HandlerName, act: () => Promise<unknown>) => {
      sent.length = 0;
      await act();
      byHandler.set(handler, new Set([...(byHandler.get(handler) ?? []), ...sent]));
    };
    const fresh = await newApp('Grants'); // cold token: the lookup is part of the first call
    let created = await initiate(service, app.token, 1);
    await record('initiate', async () => (created = await initiate(service, fresh.token, 2)));
    const link = signingPath(created.Signers[0]!.SigningUrl);
    await record('read', () =>
      service.get(`/v1/sign-requests/${created.SignRequestId}`, { authorization: `Bearer ${fresh.token}` }),
    );
    await record('signing-view', () => service.get(link));
    await record('sign', () => service.post(`${link}/sign`));
    await record('recall', () =>
      service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, fresh.token)),
    );
    await record('recall', () =>
      service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, fresh.token)),
    );

    expect([...byHandler.keys()].sort()).toEqual(routes.map((route) => route.handler).sort());
    for (const [handler, operations] of byHandler) {
      for (const operation of operations) expect(allowed(handler), `${handler} uses ${operation}`).toContain(operation);
    }
  });
});
