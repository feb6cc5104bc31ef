import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validPdf } from '../support/pdf-fixtures.ts';
import { config, documentClient } from '../support/dependencies.ts';
import { routes, type HandlerName } from '../../functions/routes.ts';
import { itemKindOf, signRequestKey, type ItemKind } from '../../functions/store/keys.ts';
import { TableKeys } from '../../functions/store/table.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

/** A partition key, plain from the document client or still marshalled (`{ S: … }`) from Powertools' layer. */
const plainKey = (pk: unknown): string | undefined => {
  if (typeof pk === 'string') return pk;
  const marshalled = (pk as { S?: unknown } | undefined)?.S;
  return typeof marshalled === 'string' ? marshalled : undefined;
};

/**
 * The partition keys a call names: from `Key` (or a put's `Item`), or every key of a batch read (`RequestItems`),
 * where IAM holds each key to the grant's LeadingKeys.
 */
const partitionKeysOf = (input: unknown): (string | undefined)[] => {
  const { Key, Item, RequestItems } = (input ?? {}) as {
    Key?: Record<string, unknown>;
    Item?: Record<string, unknown>;
    RequestItems?: Record<string, { Keys?: Record<string, unknown>[] }>;
  };
  if (RequestItems) return Object.values(RequestItems).flatMap(({ Keys = [] }) => Keys.map((key) => plainKey(key.pk)));
  const pk = (Key ?? Item)?.pk;
  return pk === undefined ? [] : [plainKey(pk)];
};

/** The one kind every key of a call belongs to; undefined for no key, an unknown key or keys of several kinds. */
const kindOf = (partitionKeys: (string | undefined)[]): ItemKind | undefined => {
  const kinds = new Set(partitionKeys.map((pk) => (pk === undefined ? undefined : itemKindOf(pk))));
  return kinds.size === 1 ? [...kinds][0] : undefined;
};

interface StoreCall {
  /** The API name: GetItem, UpdateItem, ... */
  operation: string;
  /**
   * The kind of item its partition keys belong to (functions/store/keys.ts); undefined for no or an unknown key, or
   * (a batch) keys of more than one kind.
   */
  kind: ItemKind | undefined;
  /** A Query's index and the partition key its key condition names (`#<name> = :pk`). */
  query?: { index: string | undefined; partition: string | undefined };
  /** A BatchGetItem's input as sent: which keys and attributes it reads. */
  batchRead?: unknown;
}

/** The partition a Query reads: the value its key condition sets the partition key equal to. */
const queryOf = (input: unknown): StoreCall['query'] => {
  const { IndexName, KeyConditionExpression, ExpressionAttributeValues } = (input ?? {}) as {
    IndexName?: string;
    KeyConditionExpression?: string;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
  const placeholder = /^#\w+ = (:\w+)/.exec(KeyConditionExpression ?? '')?.[1];
  const partition = placeholder ? ExpressionAttributeValues?.[placeholder] : undefined;
  return { index: IndexName, partition: typeof partition === 'string' ? partition : undefined };
};

/** IAM StringLike with `*` only, as every LeadingKeys pattern of the route table is written. */
const matchesPattern = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(value);

/** Every DynamoDB call the functions send (the document client shares its middleware stack with the client). */
const calls: StoreCall[] = [];
documentClient.middlewareStack.add(
  (next, context) => (args) => {
    const operation = context.commandName?.replace(/Command$/, '') ?? 'unknown';
    calls.push({
      operation,
      kind: kindOf(partitionKeysOf(args.input)),
      ...(operation === 'Query' ? { query: queryOf(args.input) } : {}),
      ...(operation === 'BatchGetItem' ? { batchRead: args.input } : {}),
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

/** PATCH or DELETE of a signer, as the app calls it. */
const editSigner = (
  method: 'PATCH' | 'DELETE',
  token: string,
  signRequestId: string,
  signerId: string,
  body?: unknown,
) =>
  fetch(`${service.baseUrl}/v1/sign-requests/${signRequestId}/signers/${signerId}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

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

  it('a recall with If-Match is still exactly one conditional UpdateItem (the version is in its condition)', async () => {
    const created = await initiate(service, app.token, 2);
    const calls = await callsOf(
      () =>
        service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token), { 'if-match': '"1"' }),
      200,
    );
    expect(calls).toEqual(['UpdateItem']);
    // A malformed one is refused before any store call.
    expect(
      await callsOf(
        () =>
          service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token), { 'if-match': '1' }),
        400,
      ),
    ).toEqual([]);
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

  it('a resend reads the request, counts its invitations, numbers the replacement, claims the resend, then creates it', async () => {
    const created = await initiate(service, app.token, 2);
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    const calls = await callsOf(
      () =>
        service.post(`/v1/sign-requests/${created.SignRequestId}/resend`, undefined, {
          authorization: `Bearer ${app.token}`,
        }),
      201,
    );
    // The mail cap's count, the app's counter, the claim: then the replacement.
    expect(calls).toEqual(['GetItem', 'UpdateItem', 'UpdateItem', 'UpdateItem', 'PutItem']);
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

  it('a list page is one Query on the app index when it fills at once and one BatchGetItem of its items’ groups; a bad cursor costs no store call', async () => {
    const lister = await newApp('Store Calls List');
    const older = await initiate(service, lister.token, 1);
    const newer = await initiate(service, lister.token, 1);
    const auth = { authorization: `Bearer ${lister.token}` };
    await service.get('/v1/sign-requests', auth); // warms the token cache
    const batchReads: unknown[] = [];
    for (const query of ['limit=1', 'status=PENDING']) {
      expect(await callsOf(() => service.get(`/v1/sign-requests?${query}`, auth), 200)).toEqual([
        'Query',
        'BatchGetItem',
      ]);
      batchReads.push(...calls.flatMap((call) => call.batchRead ?? []));
    }
    // Exactly the page's items, their key and group only: never a signer, email or history.
    const { partitionKey, sortKey } = TableKeys;
    const read = (...ids: string[]) => ({
      RequestItems: {
        [config.tableName]: {
          Keys: ids.map((id) => signRequestKey(id)),
          ProjectionExpression: '#pk, #sk, #currentOrder',
          ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey, '#currentOrder': 'currentOrder' },
        },
      },
    });
    expect(batchReads).toEqual([read(newer.SignRequestId), read(newer.SignRequestId, older.SignRequestId)]);
    // A page with no item reads no group.
    expect(await callsOf(() => service.get('/v1/sign-requests?status=CANCELLED', auth), 200)).toEqual(['Query']);
    expect(await callsOf(() => service.get('/v1/sign-requests?cursor=forged.cursor', auth), 400)).toEqual([]);
    expect(await callsOf(() => service.get('/v1/sign-requests?limit=0', auth), 400)).toEqual([]);
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

  it('a change of a signer is a read, its invitation’s count against the mail cap and one conditional write; a removal a read and one write', async () => {
    const created = await initiate(service, app.token, 3);
    const [first, second] = created.Signers.map((signer) => signer.SignerId);
    const change = () => editSigner('PATCH', app.token, created.SignRequestId, first!, { name: 'New Name' });
    expect(await callsOf(change, 200)).toEqual(['GetItem', 'UpdateItem', 'UpdateItem']);
    const removal = () => editSigner('DELETE', app.token, created.SignRequestId, second!);
    expect(await callsOf(removal, 200)).toEqual(['GetItem', 'UpdateItem']);
  });

  it('an app’s first call in a container leases rate tokens (one UpdateItem on its bucket); the next spend them', async () => {
    const fresh = await newApp('Store Calls Rate');
    const auth = { authorization: `Bearer ${fresh.token}` };
    const kindsOf = async (act: () => Promise<{ status: number }>) => {
      calls.length = 0;
      expect((await act()).status).toBe(200);
      return calls.map((call) => `${call.operation} ${call.kind ?? call.query?.index ?? ''}`);
    };
    // The token lookup, the lease of a chunk of the app's tokens, then the list's own Query (its page is empty).
    expect(await kindsOf(() => service.get('/v1/sign-requests?limit=1', auth))).toEqual([
      'GetItem appToken',
      'UpdateItem appRate',
      expect.stringMatching(/^Query /) as string,
    ]);
    expect(await kindsOf(() => service.get('/v1/sign-requests?limit=1', auth))).toEqual([
      expect.stringMatching(/^Query /) as string,
    ]);
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
    // An upload (keyed, and its replay), then an initiate that uses it, and one refused because it is used.
    const pdf = await validPdf({ pages: 1 });
    const declared = {
      fileName: 'U.pdf',
      size: pdf.byteLength,
      sha256: createHash('sha256').update(pdf).digest('hex'),
    };
    let documentId = '';
    await record('upload', async () => {
      const headers = { authorization: `Bearer ${fresh.token}`, ...keyed };
      const first = await service.post<{ DocumentId: string; UploadUrl: string }>('/v1/documents', declared, headers);
      expect(first.status).toBe(201);
      expect((await service.post('/v1/documents', declared, headers)).status).toBe(201);
      documentId = first.Data.DocumentId;
      const put = await fetch(first.Data.UploadUrl, {
        method: 'PUT',
        headers: { 'content-type': 'application/pdf' },
        body: pdf,
      });
      expect(put.status).toBe(200);
    });
    await record('initiate', async () => {
      const withUpload = { ...body, documentId };
      expect((await service.post('/v1/sign-requests', withUpload)).status).toBe(201);
      expect((await service.post('/v1/sign-requests', withUpload)).status).toBe(409);
    });
    await record('recall', async () => {
      const answer = await service.post('/v1/sign-requests/recall', recallBody(keyedId, fresh.token), keyed);
      expect(answer.status).toBe(200);
    });
    const link = signingPath(created.Signers[0]!.SigningUrl);
    await record('read', () =>
      service.get(`/v1/sign-requests/${created.SignRequestId}`, { authorization: `Bearer ${fresh.token}` }),
    );
    // Its own request has no document (404 DOCUMENT_NOT_FOUND): the store calls are the same up to that refusal.
    await record('document', () =>
      service.get(`/v1/sign-requests/${created.SignRequestId}/document`, { authorization: `Bearer ${fresh.token}` }),
    );
    // Not completed (409 SIGN_REQUEST_NOT_COMPLETED): the store calls of a completed one are the same, the bytes
    // coming from the bucket.
    await record('signed-document', () =>
      service.get(`/v1/sign-requests/${created.SignRequestId}/signed-document`, {
        authorization: `Bearer ${fresh.token}`,
      }),
    );
    await record('list', async () => {
      const page = await service.get<{ NextCursor: string }>('/v1/sign-requests?limit=1', {
        authorization: `Bearer ${fresh.token}`,
      });
      expect(page.status).toBe(200);
      const next = `/v1/sign-requests?limit=1&cursor=${page.Data.NextCursor}`;
      expect((await service.get(next, { authorization: `Bearer ${fresh.token}` })).status).toBe(200);
    });
    await record('remind', () =>
      service.post(`/v1/sign-requests/${created.SignRequestId}/remind`, undefined, {
        authorization: `Bearer ${fresh.token}`,
      }),
    );
    await record('signing-view', () => service.get(link));
    // Its request has no document (404 DOCUMENT_NOT_FOUND): the one read is the same up to that refusal.
    await record('signing-document', () => service.get(`${link}/document`));
    await record('sign', () => service.post(`${link}/sign`));
    // A code mailed to a signer asked for one (its mail goes to an outbox: no store call).
    const mailed = await initiate(service, fresh.token, 1, {
      signers: [{ name: 'Asha Rao', email: 'asha@example.com', verify: 'email' }],
    });
    await record('signing-code', () => service.post(`${signingPath(mailed.Signers[0]!.SigningUrl)}/code`));
    const edited = await initiate(service, fresh.token, 3);
    await record('edit-signer', async () => {
      const [first, second] = edited.Signers.map((signer) => signer.SignerId);
      expect((await editSigner('PATCH', fresh.token, edited.SignRequestId, first!, { name: 'B C' })).status).toBe(200);
      expect((await editSigner('DELETE', fresh.token, edited.SignRequestId, second!)).status).toBe(200);
    });
    // A signer with an access code: a wrong proof is a conditional write, a right one after it a reset, on the
    // document route as on the proof route.
    const coded = await initiate(service, fresh.token, 1, {
      signers: [{ name: 'C', email: 'c@example.com', accessCode: 'grants-code' }],
    });
    const codedLink = signingPath(coded.Signers[0]!.SigningUrl);
    await record('signing-document', async () => {
      expect((await service.get(`${codedLink}/document`, { 'x-signer-proof': 'wrong-code' })).status).toBe(401);
      expect((await service.get(`${codedLink}/document`, { 'x-signer-proof': 'grants-code' })).status).toBe(404);
    });
    await record('signing-proof', async () => {
      expect((await service.post(`${codedLink}/proof`, { code: 'wrong-code' })).status).toBe(401);
      expect((await service.post(`${codedLink}/proof`, { code: 'grants-code' })).status).toBe(200);
    });
    const declined = await initiate(service, fresh.token, 2);
    await record('decline', () =>
      service.post(`${signingPath(declined.Signers[0]!.SigningUrl)}/decline`, { reason: 'No' }),
    );
    await record('recall', () =>
      service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, fresh.token)),
    );
    await record('recall', () =>
      service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, fresh.token)),
    );
    // A keyed resend, its replay, and a second resend (which finds the claim and makes sure its replacement exists).
    const resend = () =>
      service.post(`/v1/sign-requests/${keyedId}/resend`, undefined, { authorization: `Bearer ${fresh.token}` });
    await record('resend', async () => {
      const headers = { authorization: `Bearer ${fresh.token}`, ...keyed };
      expect((await service.post(`/v1/sign-requests/${keyedId}/resend`, undefined, headers)).status).toBe(201);
      expect((await service.post(`/v1/sign-requests/${keyedId}/resend`, undefined, headers)).status).toBe(201);
      expect((await resend()).status).toBe(409);
    });

    // The certificate reads the request; verify reads the request its seal names, with no token.
    let certificate = new Uint8Array();
    await record('certificate', async () => {
      const response = await fetch(`${service.baseUrl}/v1/sign-requests/${created.SignRequestId}/certificate`, {
        headers: { authorization: `Bearer ${fresh.token}` },
      });
      expect(response.status).toBe(200);
      certificate = new Uint8Array(await response.arrayBuffer());
    });
    await record('verify', async () => {
      const response = await fetch(`${service.baseUrl}/v1/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/pdf' },
        body: certificate,
      });
      expect(((await response.json()) as { Data: { Valid: boolean } }).Data.Valid).toBe(true);
    });

    // The API's description and its docs page are served from the bundle: no store call, and no grant.
    await record('openapi', () => fetch(`${service.baseUrl}/openapi.json`).then((response) => response.text()));
    await record('docs', () => fetch(`${service.baseUrl}/docs`).then((response) => response.text()));
    await record('verify-page', () => fetch(`${service.baseUrl}/verify`).then((response) => response.text()));

    expect([...byHandler.keys()].sort()).toEqual([...new Set(routes.map((route) => route.handler))].sort());
    for (const [handler, made] of byHandler) {
      const granted = routes.some((route) => route.handler === handler && Object.keys(route.storeAccess).length > 0);
      expect(made.length > 0, handler).toBe(granted);
      for (const { operation, kind, query } of made) {
        if (query) {
          // A Query names no item: it is granted on one index, on partitions matching the route's pattern.
          const route = routes.find((candidate) => candidate.handler === handler);
          const grant = route && 'indexQuery' in route ? route.indexQuery : undefined;
          expect(grant, `${handler} queries with no indexQuery grant`).toBeDefined();
          expect(query.index, `${handler} queries another index`).toBe(grant?.index);
          expect(matchesPattern(grant?.partitions ?? '', query.partition ?? ''), `${handler}: ${query.partition}`).toBe(
            true,
          );
          continue;
        }
        expect(kind, `${handler}: ${operation} on a key of no known kind`).toBeDefined();
        if (kind) expect(allowed(handler, kind), `${handler} uses ${operation} on ${kind}`).toContain(operation);
      }
    }
    expect(byHandler.get('list')?.filter((call) => call.query)).toHaveLength(2);
    const kindsUsed = new Set(
      [...byHandler.values()]
        .flat()
        .filter((call) => !call.query)
        .map((call) => call.kind),
    );
    expect(kindsUsed).toEqual(
      new Set(['appToken', 'appRate', 'requestCounter', 'signRequest', 'idempotency', 'mailCap', 'upload']),
    );
  });
});
