import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../support/dependencies.ts';
import { routes, type HandlerName } from '../../functions/routes.ts';
import { itemKindOf, type ItemKind } from '../../functions/store/keys.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

/**
 * The partition key a call names: from `Key` (or a put's `Item`), plain from the document client or still
 * marshalled (`{ S: … }`) from Powertools' idempotency layer, which sends through the same client.
 */
const partitionKeyOf = (input: unknown): string | undefined => {
  const { Key, Item } = (input ?? {}) as { Key?: Record<string, unknown>; Item?: Record<string, unknown> };
  const pk = (Key ?? Item)?.pk;
  if (typeof pk === 'string') return pk;
  const marshalled = (pk as { S?: unknown } | undefined)?.S;
  return typeof marshalled === 'string' ? marshalled : undefined;
};

interface StoreCall {
  /** The API name: GetItem, UpdateItem, ... */
  operation: string;
  /** The kind of item its partition key belongs to (functions/store/keys.ts); undefined for no or an unknown key. */
  kind: ItemKind | undefined;
}

/** Every DynamoDB call the functions send (the document client shares its middleware stack with the client). */
const calls: StoreCall[] = [];
documentClient.middlewareStack.add(
  (next, context) => (args) => {
    const partitionKey = partitionKeyOf(args.input);
    calls.push({
      operation: context.commandName?.replace(/Command$/, '') ?? 'unknown',
      kind: partitionKey === undefined ? undefined : itemKindOf(partitionKey),
    });
    return next(args);
  },
  { step: 'initialize', name: 'recordStoreCalls' },
);

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

/** The operations one call makes, after the app token is warm in the cache. */
const callsOf = async (act: () => Promise<{ status: number }>, expectedStatus: number) => {
  calls.length = 0;
  const answer = await act();
  expect(answer.status).toBe(expectedStatus);
  return calls.map((call) => call.operation);
};

/** What CDK grants a handler's function on items of one kind (functions/routes.ts `storeAccess`). */
const allowed = (handler: HandlerName, kind: ItemKind): readonly string[] => {
  const access: Partial<Record<ItemKind, readonly string[]>> =
    routes.find((route) => route.handler === handler)?.storeAccess ?? {};
  return access[kind] ?? [];
};

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

  it('an initiate counts its invitations against the mail cap, numbers, then creates: three writes', async () => {
    const body = { appToken: app.token, documentName: 'A.pdf', signers: [{ name: 'A', email: 'a@example.com' }] };
    expect(await callsOf(() => service.post('/v1/sign-requests', body), 201)).toEqual([
      'UpdateItem',
      'UpdateItem',
      'PutItem',
    ]);
    // With no invitations to send, nothing is counted: two writes.
    const quiet = { ...body, sendInvitations: false };
    expect(await callsOf(() => service.post('/v1/sign-requests', quiet), 201)).toEqual(['UpdateItem', 'PutItem']);
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

  it('a reminder is a read, its count against the mail cap and one conditional write; one too soon is a read', async () => {
    const created = await initiate(service, app.token, 2, { sendInvitations: false });
    const remind = () =>
      service.post(`/v1/sign-requests/${created.SignRequestId}/remind`, undefined, {
        authorization: `Bearer ${app.token}`,
      });
    expect(await callsOf(remind, 200)).toEqual(['GetItem', 'UpdateItem', 'UpdateItem']);
    expect(await callsOf(remind, 429)).toEqual(['GetItem']);
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

describe('the access CDK grants each function', () => {
  // The embedded store checks no IAM permissions, so this is where a missing grant would show before AWS does:
  // each call's operation must be granted on the kind of item its partition key names (dynamodb:LeadingKeys).
  it('covers every operation each handler made, on the kind of item it made it on, in a full lifecycle', async () => {
    const byHandler = new Map<HandlerName, StoreCall[]>();
    const record = async (handler: HandlerName, act: () => Promise<unknown>) => {
      calls.length = 0;
      await act();
      byHandler.set(handler, [...(byHandler.get(handler) ?? []), ...calls]);
    };
    const fresh = await newApp('Grants'); // cold token: the lookup is part of the first call
    let created = await initiate(service, app.token, 1);
    await record('initiate', async () => (created = await initiate(service, fresh.token, 2)));
    // With an Idempotency-Key: the idempotency records' reads and writes are part of the grant too.
    const keyed = { 'idempotency-key': `grants-${Date.now()}` };
    const body = { appToken: fresh.token, documentName: 'A.pdf', signers: [{ name: 'A', email: 'a@example.com' }] };
    let keyedId = '';
    await record('initiate', async () => {
      const first = await service.post<{ SignRequestId: string }>('/v1/sign-requests', body, keyed);
      expect(first.status).toBe(201);
      keyedId = first.Data.SignRequestId;
      expect((await service.post('/v1/sign-requests', body, keyed)).status).toBe(201); // the replay
    });
    await record('recall', async () => {
      const answer = await service.post('/v1/sign-requests/recall', recallBody(keyedId, fresh.token), keyed);
      expect(answer.status).toBe(200);
    });
    const link = signingPath(created.Signers[0]!.SigningUrl);
    await record('read', () =>
      service.get(`/v1/sign-requests/${created.SignRequestId}`, { authorization: `Bearer ${fresh.token}` }),
    );
    await record('remind', () =>
      service.post(`/v1/sign-requests/${created.SignRequestId}/remind`, undefined, {
        authorization: `Bearer ${fresh.token}`,
      }),
    );
    await record('signing-view', () => service.get(link));
    await record('sign', () => service.post(`${link}/sign`));
    await record('recall', () =>
      service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, fresh.token)),
    );
    await record('recall', () =>
      service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, fresh.token)),
    );

    // The API's description and its docs page are served from the bundle: no store call, and no grant.
    await record('openapi', () => fetch(`${service.baseUrl}/openapi.json`).then((response) => response.text()));
    await record('docs', () => fetch(`${service.baseUrl}/docs`).then((response) => response.text()));

    expect([...byHandler.keys()].sort()).toEqual([...new Set(routes.map((route) => route.handler))].sort());
    for (const [handler, made] of byHandler) {
      const granted = routes.some((route) => route.handler === handler && Object.keys(route.storeAccess).length > 0);
      expect(made.length > 0, handler).toBe(granted);
      for (const { operation, kind } of made) {
        expect(kind, `${handler}: ${operation} on a key of no known kind`).toBeDefined();
        if (kind) expect(allowed(handler, kind), `${handler} uses ${operation} on ${kind}`).toContain(operation);
      }
    }
    const kindsUsed = new Set([...byHandler.values()].flat().map((call) => call.kind));
    expect(kindsUsed).toEqual(new Set(['appToken', 'requestCounter', 'signRequest', 'idempotency', 'mailCap']));
  });
});
