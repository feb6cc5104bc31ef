import { describe, expect, it } from 'vitest';
import type { SignRequestStatus } from '../../functions/core/sign-request.ts';
import { positionOf, type AppRequestsQuery, type SignRequestSummary } from '../../functions/store/app-requests.ts';
import {
  listSignRequests,
  type ListItem,
  type ListPage,
  type ListQuery,
  type PageBudget,
} from '../../functions/workflows/list.ts';

const NOW = '2030-06-01T00:00:00.000Z';

/** A request as the table holds it: its summary, its app, and its group signing now (absent: made before order). */
type Stored = SignRequestSummary & { appId: string; currentOrder?: number };

const summary = (n: number, status: SignRequestStatus = 'PENDING', appId = 'APP1', currentOrder?: number): Stored => ({
  appId,
  ...(currentOrder === undefined ? {} : { currentOrder }),
  id: `ID${String(n).padStart(3, '0')}`,
  requestNo: `K-${n}`,
  status,
  documentName: `Doc ${n}`,
  createdAt: new Date(Date.UTC(2030, 0, 1) + n * 60_000).toISOString(),
  updatedAt: NOW,
  signerCount: 1,
  signedCount: 0,
});

/**
 * The app-requests index as DynamoDB serves it: newest first, each call reading at most `read` items after
 * `after`, the status filter applied to what was read, and a last position whenever more may be left; it holds no
 * group. And the items' groups as the table serves them, by id, every read's ids kept.
 */
const fakeIndex = (stored: Stored[]) => {
  const calls: AppRequestsQuery[] = [];
  const orderReads: string[][] = [];
  const newestFirst = [...stored].sort((a, b) => positionOf(b).localeCompare(positionOf(a)));
  const page = (query: AppRequestsQuery) => {
    calls.push(query);
    const candidates = newestFirst.filter(
      (item) =>
        item.appId === query.appId &&
        (query.after === undefined || positionOf(item) < query.after) &&
        (query.createdFrom === undefined || item.createdAt >= query.createdFrom) &&
        (query.createdTo === undefined || item.createdAt <= query.createdTo),
    );
    const read = candidates.slice(0, query.read);
    const items = read
      .filter((item) => query.status === undefined || item.status === query.status)
      .map(({ appId: _, currentOrder: __, ...item }) => item);
    const more = candidates.length > read.length;
    return Promise.resolve({ items, ...(more ? { lastPosition: positionOf(read[read.length - 1]!) } : {}) });
  };
  const of = (ids: readonly string[]) => {
    orderReads.push([...ids]);
    const groups = stored.flatMap(({ id, currentOrder }) =>
      ids.includes(id) && currentOrder !== undefined ? [[id, currentOrder] as const] : [],
    );
    return Promise.resolve(new Map(groups));
  };
  return { calls, orderReads, ports: { appRequests: { page }, currentOrders: { of } } };
};

const budget: PageBudget = { reads: 5, filteredRead: 100 };
const query = (overrides: Partial<ListQuery> = {}): ListQuery => ({ appId: 'APP1', limit: 2, now: NOW, ...overrides });

/** A stored request as a list shows it: without the app it belongs to, group 1 when it keeps none. */
const listed = (...items: Stored[]): ListItem[] =>
  items.map(({ appId: _, currentOrder = 1, ...item }) => ({ ...item, currentOrder }));

/** Every page from the first, following nextPosition as a client follows NextCursor. */
const allPages = async (deps: Parameters<typeof listSignRequests>[0], first: ListQuery): Promise<ListPage[]> => {
  const pages = [await listSignRequests(deps, first)];
  while (pages.at(-1)!.nextPosition !== undefined)
    pages.push(await listSignRequests(deps, { ...first, after: pages.at(-1)!.nextPosition! }));
  return pages;
};

describe('listSignRequests', () => {
  it('pages through an app’s requests newest first, skipping and repeating none, with no cursor on the last page', async () => {
    const stored = [1, 2, 3, 4, 5].map((n) => summary(n));
    const index = fakeIndex([...stored, summary(9, 'PENDING', 'OTHER')]);
    const pages = await allPages({ ...index.ports, pageBudget: budget }, query());
    expect(pages.map((page) => page.items.map((item) => item.id))).toEqual([
      ['ID005', 'ID004'],
      ['ID003', 'ID002'],
      ['ID001'],
    ]);
    expect(pages[0]!.nextPosition).toBe(positionOf(stored[3]!));
    // Unfiltered, each read asks for one item more than the page needs, no more.
    expect(index.calls.map((call) => call.read)).toEqual([3, 3, 3]);
  });

  it('says a page ends the list when its last item is the app’s last, instead of leading to an empty page', async () => {
    const index = fakeIndex([1, 2, 3, 4].map((n) => summary(n)));
    const pages = await allPages({ ...index.ports, pageBudget: budget }, query());
    expect(pages.map((page) => page.items.length)).toEqual([2, 2]);
  });

  it('passes the app, the range and the time to the index, and lists only what lies in the range', async () => {
    const stored = [1, 2, 3, 4, 5].map((n) => summary(n));
    const index = fakeIndex(stored);
    const range = { createdFrom: stored[1]!.createdAt, createdTo: stored[3]!.createdAt };
    const page = await listSignRequests({ ...index.ports, pageBudget: budget }, query({ ...range, limit: 10 }));
    expect(page).toEqual({ items: listed(stored[3]!, stored[2]!, stored[1]!) });
    expect(index.calls).toEqual([{ appId: 'APP1', ...range, now: NOW, read: 11 }]);
  });

  it('under a status filter reads whole batches and stops at the budget, answering short with where it stopped', async () => {
    // Ten requests, the only completed one the oldest: two reads of three find none of it.
    const stored = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => summary(n, n === 1 ? 'COMPLETED' : 'PENDING'));
    const index = fakeIndex(stored);
    const deps = { ...index.ports, pageBudget: { reads: 2, filteredRead: 3 } };
    const first = await listSignRequests(deps, query({ status: 'COMPLETED' }));
    expect(first).toEqual({ items: [], nextPosition: positionOf(stored[4]!) });
    // An empty page has no item to read a group of.
    expect(index.orderReads).toEqual([]);
    expect(index.calls.map(({ status, read, after }) => ({ status, read, after }))).toEqual([
      { status: 'COMPLETED', read: 3, after: undefined },
      { status: 'COMPLETED', read: 3, after: positionOf(stored[7]!) },
    ]);
    const pages = await allPages(deps, query({ status: 'COMPLETED' }));
    expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual(['ID001']);
  });

  it('under a status filter reads at least one item more than the page needs', async () => {
    const index = fakeIndex([1, 2, 3].map((n) => summary(n)));
    await listSignRequests(
      { ...index.ports, pageBudget: { reads: 1, filteredRead: 3 } },
      query({ status: 'PENDING', limit: 5 }),
    );
    expect(index.calls[0]!.read).toBe(6);
  });

  it('continues after the last item taken when a read yields more than the page takes', async () => {
    const stored = [1, 2, 3, 4, 5, 6].map((n) => summary(n, n % 2 === 0 ? 'PENDING' : 'CANCELLED'));
    const deps = { ...fakeIndex(stored).ports, pageBudget: { reads: 5, filteredRead: 6 } };
    const first = await listSignRequests(deps, query({ status: 'PENDING' }));
    expect(first).toEqual({
      items: listed(stored[5]!, stored[3]!),
      nextPosition: positionOf(stored[3]!),
    });
    const pages = await allPages(deps, query({ status: 'PENDING' }));
    expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual(['ID006', 'ID004', 'ID002']);
  });

  it('answers an exactly full page with the position the read stopped at, when more may follow', async () => {
    // Newest first: 4 and 3 match, 2 does not; a read of three fills the page and stops at 2.
    const stored = [1, 2, 3, 4].map((n) => summary(n, n === 2 ? 'CANCELLED' : 'PENDING'));
    const index = fakeIndex(stored);
    const page = await listSignRequests(
      { ...index.ports, pageBudget: { reads: 5, filteredRead: 3 } },
      query({ status: 'PENDING' }),
    );
    expect(page).toEqual({
      items: listed(stored[3]!, stored[2]!),
      nextPosition: positionOf(stored[1]!),
    });
    expect(index.calls).toHaveLength(1);
  });

  it('fills a page over several reads when the first falls short', async () => {
    const stored = [1, 2, 3, 4, 5, 6].map((n) => summary(n, n <= 3 ? 'PENDING' : 'CANCELLED'));
    const index = fakeIndex(stored);
    const page = await listSignRequests(
      { ...index.ports, pageBudget: { reads: 5, filteredRead: 3 } },
      query({ status: 'PENDING', limit: 3 }),
    );
    expect(page).toEqual({ items: listed(stored[2]!, stored[1]!, stored[0]!) });
    // The second read needs two more: max(3, 2 + 1).
    expect(index.calls.map((call) => call.read)).toEqual([4, 3]);
  });

  it('reads the page’s groups once, after the index, for exactly its items; a request keeping none is group 1', async () => {
    // Newest first: 5 (group 3), 4 (none: made before signing order), 3 (group 2); 2 and 1 are the next page's.
    const stored = [summary(1, 'PENDING', 'APP1', 4), summary(2), summary(3, 'PENDING', 'APP1', 2)];
    stored.push(summary(4), summary(5, 'PENDING', 'APP1', 3));
    const index = fakeIndex(stored);
    const page = await listSignRequests({ ...index.ports, pageBudget: budget }, query({ limit: 3 }));
    expect(page.items.map((item) => [item.id, item.currentOrder])).toEqual([
      ['ID005', 3],
      ['ID004', 1],
      ['ID003', 2],
    ]);
    expect(page.items).toEqual(listed(stored[4]!, stored[3]!, stored[2]!));
    expect(index.orderReads).toEqual([['ID005', 'ID004', 'ID003']]);
  });

  it('reads the groups once per page however many index reads the page took', async () => {
    const stored = [1, 2, 3, 4, 5, 6].map((n) => summary(n, n <= 3 ? 'PENDING' : 'CANCELLED', 'APP1', n));
    const index = fakeIndex(stored);
    await listSignRequests(
      { ...index.ports, pageBudget: { reads: 5, filteredRead: 3 } },
      query({ status: 'PENDING', limit: 3 }),
    );
    expect(index.calls).toHaveLength(2);
    expect(index.orderReads).toEqual([['ID003', 'ID002', 'ID001']]);
  });
});
