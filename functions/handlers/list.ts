import { refusals } from '../core/errors.ts';
import { DEFAULT_LIST_LIMIT, ListQuery } from '../contracts/list.ts';
import type { ListFilters } from '../http/list-cursor.ts';
import { presentSummary } from '../http/presenters.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { validate } from '../http/validation.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { sharedHttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { listDependencies, type ListFunctionDependencies } from '../wiring/list.ts';
import { listSignRequests } from '../workflows/list.ts';
import * as z from '../zod.ts';

/**
 * GET /v1/sign-requests: the app's own requests, newest first, a page at a time (workflows/list.ts). The cursor
 * binds the app and the filters (http/list-cursor.ts): any other is refused as INVALID_CURSOR, never read.
 */
export const createListHandler = (deps: ListFunctionDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'bearer',
    body: 'none',
    schema: z.strictObject({}),
    handle: async ({ app, event }) => {
      const query = validate(ListQuery, event.queryStringParameters ?? {});
      const filters: ListFilters = {
        ...(query.status ? { status: query.status } : {}),
        ...(query.createdFrom ? { createdFrom: query.createdFrom } : {}),
        ...(query.createdTo ? { createdTo: query.createdTo } : {}),
      };
      const after = query.cursor === undefined ? undefined : deps.cursors.open(app.appId, filters, query.cursor);
      if (query.cursor !== undefined && after === undefined) throw refusals.invalidCursor();
      const now = new Date().toISOString();
      const page = await listSignRequests(deps, {
        appId: app.appId,
        ...filters,
        limit: query.limit ?? DEFAULT_LIST_LIMIT,
        ...(after ? { after } : {}),
        now,
      });
      return {
        statusCode: 200,
        data: {
          Items: page.items.map((summary) => presentSummary(summary, now)),
          NextCursor: page.nextPosition ? deps.cursors.seal(app.appId, filters, page.nextPosition) : null,
        },
      };
    },
  });

export const handler = await lambdaHandler(async () =>
  createListHandler(await listDependencies(readEnvironment(), sharedHttpApiDependencies())),
);
