import { listCursors, type ListCursors } from '../http/list-cursor.ts';
import { AppRequestIndex } from '../store/app-requests.ts';
import { CurrentOrderReader } from '../store/current-orders.ts';
import type { Environment } from '../runtime/environment.ts';
import type { HttpApiDependencies } from './http-api.ts';
import { signingKeyFrom } from './signing-keys.ts';
import { DEFAULT_PAGE_BUDGET, type ListDependencies } from '../workflows/list.ts';

/**
 * The list also reads GSI1, and the page's items for their group, and signs its cursors with the cursor key, the
 * one key it holds.
 */
export interface ListFunctionDependencies extends HttpApiDependencies, ListDependencies {
  appRequests: AppRequestIndex;
  currentOrders: CurrentOrderReader;
  cursors: ListCursors;
}

export const listDependencies = async (
  env: Environment,
  base: HttpApiDependencies,
): Promise<ListFunctionDependencies> => ({
  ...base,
  appRequests: new AppRequestIndex(base.documentClient, base.config.tableName),
  currentOrders: new CurrentOrderReader(base.documentClient, base.config.tableName),
  cursors: listCursors(await signingKeyFrom('cursor', env)),
  pageBudget: DEFAULT_PAGE_BUDGET,
});
