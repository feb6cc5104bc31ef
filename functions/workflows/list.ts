import type { SignRequestStatus } from '../core/sign-request.ts';
import { positionOf, type AppRequestIndex, type SignRequestSummary } from '../store/app-requests.ts';
import type { CurrentOrderReader } from '../store/current-orders.ts';

/** How much one page may read: index reads, and items per read under a status filter. */
export interface PageBudget {
  reads: number;
  filteredRead: number;
}

export interface ListDependencies {
  appRequests: Pick<AppRequestIndex, 'page'>;
  /** The page's signing order groups, which GSI1 does not hold: one batched read of the items per page. */
  currentOrders: Pick<CurrentOrderReader, 'of'>;
  pageBudget: PageBudget;
}

export interface ListQuery {
  appId: string;
  status?: SignRequestStatus;
  createdFrom?: string;
  createdTo?: string;
  limit: number;
  /** Continue after this position (from a cursor the handler has verified). */
  after?: string;
  now: string;
}

/** A list item: the summary GSI1 holds and the signing order's group invited now, read from the item. */
export type ListItem = SignRequestSummary & { currentOrder: number };

/** What GSI1's reads gave for one page, before the groups are read. */
interface IndexedPage {
  items: SignRequestSummary[];
  nextPosition?: string;
}

export interface ListPage {
  items: ListItem[];
  /** Where the next page starts; absent only when the app's requests (within the range) are exhausted. */
  nextPosition?: string;
}

/**
 * At most 5 index reads per list call, of 100 items each under a status filter (an unfiltered read takes just one
 * more item than the page needs). A status filter is applied by DynamoDB after it reads, so a rare status can
 * leave reads with no match: past this budget the page is answered short (even empty) with a cursor, and the
 * caller continues from where the reads stopped. Bounded, so one call never reads an app's whole history.
 */
export const DEFAULT_PAGE_BUDGET: PageBudget = { reads: 5, filteredRead: 100 };

/**
 * The index's reads for one page: until `limit` items are found, the index is exhausted or the read budget is
 * spent. Each read asks for one more item than the page needs when it can, so a page that ends the
 * list says so (no cursor) instead of leading to an empty page. When a read yields more than the page takes, the
 * next page starts after the last item taken, never after the last item read, so nothing is skipped.
 */
const readIndex = async (deps: ListDependencies, query: ListQuery): Promise<IndexedPage> => {
  const items: SignRequestSummary[] = [];
  let after = query.after;
  const { reads: maxReads, filteredRead } = deps.pageBudget;
  for (let reads = 0; reads < maxReads; reads++) {
    const wanted = query.limit - items.length;
    const page = await deps.appRequests.page({
      appId: query.appId,
      ...(query.status ? { status: query.status } : {}),
      ...(query.createdFrom ? { createdFrom: query.createdFrom } : {}),
      ...(query.createdTo ? { createdTo: query.createdTo } : {}),
      now: query.now,
      ...(after ? { after } : {}),
      read: query.status ? Math.max(filteredRead, wanted + 1) : wanted + 1,
    });
    if (page.items.length > wanted) {
      items.push(...page.items.slice(0, wanted));
      return { items, nextPosition: positionOf(items[items.length - 1]!) };
    }
    items.push(...page.items);
    if (!page.lastPosition) return { items };
    after = page.lastPosition;
    // Exactly full, with more to read: the next page may turn out empty, which only a further read could tell.
    if (items.length === query.limit) return { items, nextPosition: after };
  }
  return { items, ...(after ? { nextPosition: after } : {}) };
};

/**
 * A page of the app's requests, newest first: the index's reads (readIndex), then one read of the page's items for
 * their group (none for an empty page). A request made before signing order keeps no group: all its signers were
 * invited at once, as group 1.
 */
export const listSignRequests = async (deps: ListDependencies, query: ListQuery): Promise<ListPage> => {
  const page = await readIndex(deps, query);
  const orders =
    page.items.length === 0
      ? new Map<string, number>()
      : await deps.currentOrders.of(page.items.map((item) => item.id));
  return { ...page, items: page.items.map((item) => ({ ...item, currentOrder: orders.get(item.id) ?? 1 })) };
};
