import type { SignRequestStatus } from '../core/sign-request.ts';
import { positionOf, type AppRequestIndex, type SignRequestSummary } from '../store/app-requests.ts';

/** How much one page may read: index reads, and items per read under a status filter. */
export interface PageBudget {
  reads: number;
  filteredRead: number;
}

export interface ListDependencies {
  appRequests: Pick<AppRequestIndex, 'page'>;
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

export interface ListPage {
  items: SignRequestSummary[];
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
 * A page of the app's requests, newest first. Reads until `limit` items are found, the index is exhausted or the
 * read budget is spent. Each read asks for one more item than the page needs when it can, so a page that ends the
 * list says so (no cursor) instead of leading to an empty page. When a read yields more than the page takes, the
 * next page starts after the last item taken, never after the last item read, so nothing is skipped.
 */
export const listSignRequests = async (deps: ListDependencies, query: ListQuery): Promise<ListPage> => {
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
