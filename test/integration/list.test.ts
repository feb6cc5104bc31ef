import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { esignClient } from '../../docs/examples/client/recall-scenarios.ts';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { newSignRequest } from '../../functions/core/initiate.ts';
import { signRequestKey } from '../../functions/store/keys.ts';
import { listCursors } from '../../functions/http/list-cursor.ts';
import { signingSecrets } from '../../functions/signing-key.ts';
import { runAdmin } from '../support/admin-command.ts';
import { config, documentClient, httpDependencies, signRequests } from '../support/dependencies.ts';
import { leaveBatchKeysUnprocessed } from '../support/store-faults.ts';
import { registerSecret } from '../support/log-guard.ts';
import {
  initiate,
  newApp,
  recallBody,
  signingPath,
  startService,
  type Answer,
  type Service,
} from '../support/service.ts';

// No token cache in this file, so a rotated token is refused on the very next call.
vi.hoisted(() => {
  process.env.APP_TOKEN_CACHE_TTL_SECONDS = '0';
});

interface ListItem {
  SignRequestId: string;
  CurrentOrder: number;
  RequestNo: string;
  Status: string;
  DocumentName: string;
  CreatedAt: string;
  UpdatedAt: string;
  ExpiresAt: string | null;
  SignerCount: number;
  SignedCount: number;
}
interface ListData {
  Items: ListItem[];
  NextCursor: string | null;
}

let service: Service;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());

const list = (token: string, query: Record<string, string> = {}, on: Service = service) =>
  on.get<ListData>(`/v1/sign-requests?${new URLSearchParams(query).toString()}`, { authorization: `Bearer ${token}` });

/** Every page, following NextCursor until it is null: the items in order, and each page as answered. */
const listAll = async (token: string, query: Record<string, string> = {}, on: Service = service) => {
  const pages: ListData[] = [];
  let cursor: string | null = null;
  do {
    const answer: Answer<ListData> = await list(token, { ...query, ...(cursor ? { cursor } : {}) }, on);
    expect(answer.status, JSON.stringify(answer.FailRules)).toBe(200);
    pages.push(answer.Data);
    cursor = answer.Data.NextCursor;
    expect(pages.length).toBeLessThan(500);
  } while (cursor);
  return { items: pages.flatMap((page) => page.Items), pages };
};

const idsOf = (items: { SignRequestId: string }[]) => items.map((item) => item.SignRequestId);
/** Newest first: by CreatedAt, then by id, each strictly after the next. */
const expectNewestFirst = (items: ListItem[]) => {
  const keys = items.map((item) => `${item.CreatedAt}#${item.SignRequestId}`);
  expect(keys).toEqual([...keys].sort().reverse());
  expect(new Set(keys).size).toBe(keys.length);
};

/** Requests written straight to the store (far quicker than through the API), created at the times given. */
const storeDirectly = async (appId: string, createdAts: string[], extra: { expiresAt?: string } = {}) => {
  const secretFor = signingSecrets(randomBytes(32));
  const made = createdAts.map((createdAt, i) =>
    newSignRequest(
      { appId, documentName: `Direct ${i}.pdf`, signers: [{ name: 'A', email: 'a@example.com' }], ...extra },
      `DIRECT-${i}`,
      createdAt,
      secretFor,
    ),
  );
  for (let start = 0; start < made.length; start += 25)
    await Promise.all(made.slice(start, start + 25).map((request) => signRequests.create(request)));
  return made;
};
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('GET /v1/sign-requests', () => {
  it('lists the app’s requests newest first, with summary fields only, as the read sees them', async () => {
    const app = await newApp('Summary');
    const first = await initiate(service, app.token, 2);
    const second = await initiate(service, app.token, 3, { expiresAt: '2028-06-30T17:00:00+01:00' });
    await service.post(`${signingPath(second.Signers[0]!.SigningUrl)}/sign`);
    const third = await initiate(service, app.token, 1);
    await service.post('/v1/sign-requests/recall', recallBody(third.SignRequestId, app.token));

    const answer = await list(app.token);
    expect(answer.status).toBe(200);
    expect(answer.FailRules).toEqual([]);
    expect(answer.Data.NextCursor).toBeNull();
    expect(idsOf(answer.Data.Items)).toEqual([third.SignRequestId, second.SignRequestId, first.SignRequestId]);
    for (const item of answer.Data.Items) {
      const read = await service.get<Record<string, unknown>>(`/v1/sign-requests/${item.SignRequestId}`, {
        authorization: `Bearer ${app.token}`,
      });
      const signers = read.Data.Signers as { Status: string; Order: number }[];
      expect(item).toEqual({
        SignRequestId: read.Data.SignRequestId,
        RequestNo: read.Data.RequestNo,
        Status: read.Data.Status,
        DocumentName: read.Data.DocumentName,
        CreatedAt: read.Data.CreatedAt,
        UpdatedAt: read.Data.UpdatedAt,
        ExpiresAt: read.Data.ExpiresAt,
        SignerCount: signers.length,
        SignedCount: signers.filter((signer) => signer.Status === 'SIGNED').length,
        // No signer gave an order: everybody is in group 1, the group invited now.
        CurrentOrder: Math.min(...signers.map((signer) => signer.Order)),
      });
    }
    expect(answer.Data.Items.map((item) => [item.Status, item.SignedCount, item.ExpiresAt])).toEqual([
      ['CANCELLED', 0, null],
      ['PARTIALLY_SIGNED', 1, '2028-06-30T16:00:00.000Z'],
      ['PENDING', 0, null],
    ]);
  });

  it('pages through with limit: every request once, in order, and the last page says it is the last', async () => {
    const app = await newApp('Pages');
    const made = await storeDirectly(
      app.appId,
      Array.from({ length: 7 }, (_, i) => minutesAgo(10 - i)),
    );
    const { items, pages } = await listAll(app.token, { limit: '3' });
    expect(pages.map((page) => page.Items.length)).toEqual([3, 3, 1]);
    expect(idsOf(items)).toEqual(made.map((request) => request.id).reverse());
    // Exactly full and then the end: the read of one more item tells, so no empty last page.
    const six = await listAll(app.token, { limit: '7' });
    expect(six.pages.map((page) => page.Items.length)).toEqual([7]);
  });

  it('limit: 25 by default, 1 to 100, anything else refused naming the field', async () => {
    const app = await newApp('Limits');
    await storeDirectly(
      app.appId,
      Array.from({ length: 101 }, (_, i) => minutesAgo(200 - i)),
    );
    const byDefault = await list(app.token);
    expect(byDefault.Data.Items).toHaveLength(25);
    expect(byDefault.Data.NextCursor).not.toBeNull();
    expect((await list(app.token, { limit: '1' })).Data.Items).toHaveLength(1);
    expect((await list(app.token, { limit: '100' })).Data.Items).toHaveLength(100);
    for (const limit of ['0', '101', '-1', '1.5', 'ten', '', '025', '1e2']) {
      const answer = await list(app.token, { limit });
      expect(answer.status, limit).toBe(400);
      expect(answer.FailRules, limit).toEqual([
        { Code: 'VALIDATION_FAILED', Message: 'limit must be a whole number from 1 to 100', Field: 'limit' },
      ]);
    }
  });

  it('refuses unknown parameters and bad values by name, as bodies are refused', async () => {
    const app = await newApp('Params');
    const unknown = await list(app.token, { limit: '5', page: '2' });
    expect(unknown.status).toBe(400);
    expect(unknown.FailRules).toEqual([
      { Code: 'VALIDATION_FAILED', Message: 'Received unknown parameter: page', Field: 'page' },
    ]);
    const bad = await list(app.token, { status: 'OPEN', createdFrom: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.FailRules).toEqual([
      {
        Code: 'VALIDATION_FAILED',
        Message: 'status must be one of PENDING, PARTIALLY_SIGNED, COMPLETED, CANCELLED, EXPIRED, DECLINED',
        Field: 'status',
      },
      {
        Code: 'VALIDATION_FAILED',
        Message: 'createdFrom must be an ISO 8601 date-time, like 2030-01-31T17:00:00Z',
        Field: 'createdFrom',
      },
    ]);
    const reversed = await list(app.token, { createdFrom: '2030-01-02T00:00:00Z', createdTo: '2030-01-01T00:00:00Z' });
    expect(reversed.status).toBe(400);
    expect(reversed.FailRules).toEqual([
      { Code: 'VALIDATION_FAILED', Message: 'createdFrom must not be after createdTo', Field: 'createdFrom' },
    ]);
    // A time whose UTC form leaves years 0000-9999 (here 10000-01-01T04:00Z, and -0001) is refused by name: as a
    // string it would sort before every date, so createdFrom would list everything and createdTo nothing.
    for (const [field, value] of [
      ['createdFrom', '9999-12-31T23:00:00-05:00'],
      ['createdTo', '9999-12-31T23:00:00-05:00'],
      ['createdFrom', '0000-01-01T00:30:00+01:00'],
    ] as const) {
      const outside = await list(app.token, { [field]: value });
      expect(outside.status, `${field}=${value}`).toBe(400);
      expect(outside.FailRules).toEqual([
        {
          Code: 'VALIDATION_FAILED',
          Message: `${field} must fall within the years 0000 to 9999 in UTC`,
          Field: field,
        },
      ]);
    }
    // The last instant of 9999 in UTC is still a date, and from > to is compared on instants, whatever the offsets.
    expect((await list(app.token, { createdFrom: '9999-12-31T18:59:59-05:00' })).status).toBe(200);
    const reversedByOffset = await list(app.token, {
      createdFrom: '2030-01-01T10:00:00+00:00',
      createdTo: '2030-01-01T10:30:00+01:00',
    });
    expect(reversedByOffset.FailRules).toEqual([
      { Code: 'VALIDATION_FAILED', Message: 'createdFrom must not be after createdTo', Field: 'createdFrom' },
    ]);
    // The token is checked first: a bad query with a bad token is a 401, as everywhere.
    expect((await list('esr_not-a-token', { page: '2' })).status).toBe(401);
  });

  it('createdFrom and createdTo bound CreatedAt inclusively, whatever offset they are written with', async () => {
    const app = await newApp('Range');
    const times = ['2030-01-01T09:00:00.000Z', '2030-01-01T10:00:00.000Z', '2030-01-01T11:00:00.000Z'];
    const made = await storeDirectly(app.appId, [...times, '2030-01-01T12:00:00.000Z']);
    const ids = made.map((request) => request.id);
    const range = await listAll(app.token, { createdFrom: times[1]!, createdTo: '2030-01-01T12:00:00+01:00' });
    expect(idsOf(range.items)).toEqual([ids[2], ids[1]]);
    expect(idsOf((await listAll(app.token, { createdFrom: '2030-01-01T11:00:00Z' })).items)).toEqual([ids[3], ids[2]]);
    expect(idsOf((await listAll(app.token, { createdTo: '2030-01-01T09:00:00Z' })).items)).toEqual([ids[0]]);
    // Paged within a range: the cursor stays inside it.
    const paged = await listAll(app.token, { createdFrom: times[0]!, createdTo: times[2]!, limit: '1' });
    expect(idsOf(paged.items)).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('status filters by the status a reader sees now: an open request past its deadline is EXPIRED, not PENDING', async () => {
    const app = await newApp('Statuses');
    const [overdue] = await storeDirectly(app.appId, [minutesAgo(60)], { expiresAt: minutesAgo(5) });
    const open = await initiate(service, app.token, 2);
    const recalled = await initiate(service, app.token, 1);
    await service.post('/v1/sign-requests/recall', recallBody(recalled.SignRequestId, app.token));
    const signed = await initiate(service, app.token, 1);
    await service.post(`${signingPath(signed.Signers[0]!.SigningUrl)}/sign`);

    const under = async (status: string) => idsOf((await listAll(app.token, { status })).items);
    expect(await under('EXPIRED')).toEqual([overdue!.id]);
    expect(await under('PENDING')).toEqual([open.SignRequestId]);
    expect(await under('CANCELLED')).toEqual([recalled.SignRequestId]);
    expect(await under('COMPLETED')).toEqual([signed.SignRequestId]);
    expect(await under('PARTIALLY_SIGNED')).toEqual([]);
    const all = (await listAll(app.token)).items;
    expect(all.find((item) => item.SignRequestId === overdue!.id)?.Status).toBe('EXPIRED');
  });

  it('a rare status: short and empty pages carry a cursor, and following it finds every match once', async () => {
    const app = await newApp('Rare');
    const made = await storeDirectly(
      app.appId,
      Array.from({ length: 40 }, (_, i) => minutesAgo(100 - i)),
    );
    // Three cancelled among forty: the oldest, one in the middle, the newest.
    const cancelled = [made[0]!, made[20]!, made[39]!];
    for (const request of cancelled) {
      const answer = await service.post('/v1/sign-requests/recall', recallBody(request.id, app.token));
      expect(answer.Data).toBe(true);
    }
    const expected = cancelled.map((request) => request.id).reverse();
    // The default budget reads all forty in one page.
    const whole = await listAll(app.token, { status: 'CANCELLED', limit: '10' });
    expect(whole.pages).toHaveLength(1);
    expect(idsOf(whole.items)).toEqual(expected);
    // A budget of 2 reads of 4 items per page: pages come back short, some empty, each with a cursor.
    const small = await startService({ ...httpDependencies, pageBudget: { reads: 2, filteredRead: 4 } });
    try {
      const paged = await listAll(app.token, { status: 'CANCELLED', limit: '2' }, small);
      expect(idsOf(paged.items)).toEqual(expected);
      const sizes = paged.pages.map((page) => page.Items.length);
      expect(sizes).toContain(0);
      expect(paged.pages.slice(0, -1).every((page) => page.NextCursor !== null)).toBe(true);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
    } finally {
      await small.close();
    }
  });

  it('pages with no duplicate and no gap while requests are created at the same time', async () => {
    const app = await newApp('Concurrent creates');
    const before = await storeDirectly(
      app.appId,
      Array.from({ length: 30 }, (_, i) => minutesAgo(60 - i)),
    );
    const creating = Promise.all(Array.from({ length: 12 }, () => initiate(service, app.token, 1)));
    const { items } = await listAll(app.token, { limit: '4' });
    const during = await creating;
    expectNewestFirst(items);
    const listed = idsOf(items);
    // Every request that existed when the first page was read is listed exactly once; one created meanwhile
    // may or may not be (it sorts before the cursor), and is never listed twice.
    for (const request of before) expect(listed.filter((id) => id === request.id)).toHaveLength(1);
    const known = new Set([...before.map((request) => request.id), ...during.map((request) => request.SignRequestId)]);
    expect(listed.every((id) => known.has(id))).toBe(true);
    // Afterwards, a fresh list holds them all.
    expect(new Set(idsOf((await listAll(app.token, { limit: '7' })).items))).toEqual(known);
  });

  it('lists consistent items while recalls and signatures land at the same time', async () => {
    const app = await newApp('Concurrent changes');
    const made = await Promise.all(Array.from({ length: 10 }, () => initiate(service, app.token, 2)));
    const ids = new Set(made.map((request) => request.SignRequestId));
    const changes = made.flatMap((request, i) =>
      i % 2 === 0
        ? [
            () => service.post('/v1/sign-requests/recall', recallBody(request.SignRequestId, app.token)),
            () => service.post(`${signingPath(request.Signers[0]!.SigningUrl)}/sign`),
          ]
        : request.Signers.map((signer) => () => service.post(`${signingPath(signer.SigningUrl)}/sign`)),
    );
    const consistent = (item: ListItem) => {
      expect(item.SignerCount).toBe(2);
      const expectedSigned: Record<string, (n: number) => boolean> = {
        PENDING: (n) => n === 0,
        PARTIALLY_SIGNED: (n) => n === 1,
        COMPLETED: (n) => n === 2,
        CANCELLED: (n) => n < 2,
      };
      expect(expectedSigned[item.Status]?.(item.SignedCount), JSON.stringify(item)).toBe(true);
    };
    let listing = true;
    const lists = (async () => {
      let rounds = 0;
      while (listing || rounds < 3) {
        const { items } = await listAll(app.token, { limit: '3' });
        expect(new Set(idsOf(items))).toEqual(ids);
        items.forEach(consistent);
        rounds++;
      }
      return rounds;
    })();
    await Promise.all(changes.map((change) => change()));
    listing = false;
    expect(await lists).toBeGreaterThanOrEqual(3);

    // Once all has landed, every item says what its read says.
    for (const item of (await listAll(app.token)).items) {
      const read = await service.get<{ Status: string; UpdatedAt: string }>(`/v1/sign-requests/${item.SignRequestId}`, {
        authorization: `Bearer ${app.token}`,
      });
      expect([item.Status, item.UpdatedAt]).toEqual([read.Data.Status, read.Data.UpdatedAt]);
    }
  });
});

describe('through the client generated from openapi.json', () => {
  it('lists two pages with a numeric limit and the cursor, typed end to end', async () => {
    const app = await newApp('Typed');
    const made = await storeDirectly(app.appId, [minutesAgo(3), minutesAgo(2), minutesAgo(1)]);
    const client = esignClient(service.baseUrl);
    const headers = { Authorization: `Bearer ${app.token}` };
    const first = await client.GET('/v1/sign-requests', { params: { query: { limit: 2 } }, headers });
    const cursor = first.data?.Data.NextCursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await client.GET('/v1/sign-requests', {
      params: { query: { limit: 2, ...(cursor ? { cursor } : {}) } },
      headers,
    });
    const listed = [...(first.data?.Data.Items ?? []), ...(second.data?.Data.Items ?? [])];
    expect(listed.map((item) => item.SignRequestId)).toEqual(made.map((request) => request.id).reverse());
    expect(second.data?.Data.NextCursor).toBeNull();
    const refused = await client.GET('/v1/sign-requests', { params: { query: { cursor: 'forged' } }, headers });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.FailRules.map((rule) => rule.Code)).toEqual(['INVALID_CURSOR']);
  });
});

describe('the signing order’s group (CurrentOrder), read from the page’s items', () => {
  /** A signing-order request (orders 1 and 2) whose first group has signed: the second is invited now. */
  const atSecondGroup = async (token: string) => {
    const created = await initiate(service, token, 2, {
      signers: [
        { name: 'A', email: 'a@example.com', order: 1 },
        { name: 'B', email: 'b@example.com', order: 2 },
      ],
    });
    expect((await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`)).status).toBe(200);
    return created;
  };
  const ordersOf = (items: ListItem[]) => items.map((item) => [item.SignRequestId, item.CurrentOrder]);

  it('shows the group invited now, and 1 for a request made before signing order (its item keeps no group)', async () => {
    const app = await newApp('Current Order');
    const moved = await atSecondGroup(app.token);
    const legacy = await atSecondGroup(app.token);
    // As an item written before signing order existed: no group, no count of it.
    await documentClient.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: signRequestKey(legacy.SignRequestId),
        UpdateExpression: 'REMOVE currentOrder, currentGroupPending',
      }),
    );
    const answer = await list(app.token);
    expect(answer.status).toBe(200);
    expect(ordersOf(answer.Data.Items)).toEqual([
      [legacy.SignRequestId, 1],
      [moved.SignRequestId, 2],
    ]);
  });

  it('retries the keys a batch read leaves unprocessed, and answers 503 to retry when some are left after every retry', async () => {
    const app = await newApp('Current Order Unprocessed');
    const made = [await atSecondGroup(app.token), await atSecondGroup(app.token), await atSecondGroup(app.token)];
    const expected = made.map((created) => [created.SignRequestId, 2]).reverse();

    // Two partial answers (the first item of each only), then a whole one: every group is right.
    const partial = leaveBatchKeysUnprocessed(documentClient, 2);
    try {
      const answer = await list(app.token);
      expect(answer.status).toBe(200);
      expect(ordersOf(answer.Data.Items)).toEqual(expected);
      expect(partial.sent()).toBe(3);
    } finally {
      partial.heal();
    }

    // Partial every time: the bounded retries give up, and the caller is told to retry, never shown a wrong group.
    const throttled = leaveBatchKeysUnprocessed(documentClient, Number.POSITIVE_INFINITY);
    try {
      const answer = await list(app.token);
      expect(answer.status).toBe(503);
      expect(answer.FailRules.map((rule) => rule.Code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(answer.Data).toBeNull();
      // The first read and its three retries.
      expect(throttled.sent()).toBe(4);
    } finally {
      throttled.heal();
    }
  });
});

describe('isolation and cursors', () => {
  let ours: Awaited<ReturnType<typeof newApp>>;
  let theirs: Awaited<ReturnType<typeof newApp>>;
  let cursor = '';
  const INVALID_CURSOR = [
    {
      Code: 'INVALID_CURSOR',
      Message: 'cursor is not one this list gave with these filters: pass NextCursor as it was, or start without one',
      Field: 'cursor',
    },
  ];

  beforeAll(async () => {
    ours = await newApp('Ours');
    theirs = await newApp('Theirs');
    await storeDirectly(
      ours.appId,
      Array.from({ length: 5 }, (_, i) => minutesAgo(10 - i)),
    );
    cursor = (await list(ours.token, { limit: '2' })).Data.NextCursor ?? '';
    expect(cursor).not.toBe('');
  });

  it('another app lists nothing of ours, and our cursor with its token is refused', async () => {
    expect((await list(theirs.token)).Data).toEqual({ Items: [], NextCursor: null });
    const foreign = await list(theirs.token, { limit: '2', cursor });
    expect(foreign.status).toBe(400);
    expect(foreign.FailRules).toEqual(INVALID_CURSOR);
  });

  it('refuses a cursor altered anywhere, truncated, extended, forged or given with other filters', async () => {
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    const [position = '', mac = ''] = cursor.split('.');
    const forgedWithAnotherKey = listCursors(randomBytes(32)).seal(
      ours.appId,
      {},
      Buffer.from(position, 'base64url').toString(),
    );
    const bad = [
      ...[...cursor].flatMap((char, at) => (char === '.' ? [] : [flip(cursor, at)])),
      cursor.slice(0, -1),
      cursor.slice(1),
      `${cursor}A`,
      `${cursor}.A`,
      position,
      `${position}.`,
      `.${mac}`,
      forgedWithAnotherKey,
      'not-a-cursor',
      '',
    ];
    for (const forged of bad) {
      const answer = await list(ours.token, { limit: '2', cursor: forged });
      expect(answer.status, forged).toBe(400);
      expect(answer.FailRules, forged).toEqual(INVALID_CURSOR);
    }
    for (const filters of [{ status: 'PENDING' }, { createdFrom: '2020-01-01T00:00:00Z' }] as Record<
      string,
      string
    >[]) {
      const answer = await list(ours.token, { limit: '2', cursor, ...filters });
      expect(answer.FailRules).toEqual(INVALID_CURSOR);
    }
    // The same cursor as it was still works, with another limit too: limit is no filter.
    const next = await list(ours.token, { limit: '3', cursor });
    expect(next.status).toBe(200);
    expect(next.Data.Items).toHaveLength(3);
  });

  it('a token rotated with the admin command lists every earlier request, and goes on with the old cursor', async () => {
    const before = await listAll(ours.token);
    const result = await runAdmin(['rotate', '--token', ours.token]);
    expect(result.code).toBe(0);
    const rotated = JSON.parse(result.stdout.trim()) as { AppId: string; AppToken: string };
    registerSecret(rotated.AppToken);
    expect((await list(ours.token)).status).toBe(401);
    expect(idsOf((await listAll(rotated.AppToken)).items)).toEqual(idsOf(before.items));
    const resumed = await list(rotated.AppToken, { limit: '2', cursor });
    expect(idsOf(resumed.Data.Items)).toEqual(idsOf(before.items).slice(2, 4));
    ours = { ...ours, token: rotated.AppToken };
  });

  it('a wrong method on /v1/sign-requests names both it serves', async () => {
    const response = await fetch(`${service.baseUrl}/v1/sign-requests`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });
});
