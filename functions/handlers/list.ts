import { refusals } from '../core/errors.ts';
import { SignRequestStatus } from '../core/sign-request.ts';
import type { ListFilters } from '../http/list-cursor.ts';
import { presentSummary } from '../http/presenters.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { stringOf, validate } from '../http/validation.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { sharedHttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { listDependencies, type ListFunctionDependencies } from '../wiring/list.ts';
import { listSignRequests } from '../workflows/list.ts';
import * as z from '../zod.ts';

/** Every status a request can have (core/sign-request.ts): a status added there can be listed at once. */
const statuses = Object.values(SignRequestStatus) as [SignRequestStatus, ...SignRequestStatus[]];
export const DEFAULT_LIST_LIMIT = 25;
export const MAX_LIST_LIMIT = 100;

const dateTime = (field: string) =>
  z.pipe(
    z.iso
      .datetime({ offset: true, error: `${field} must be an ISO 8601 date-time, like 2030-01-31T17:00:00Z` })
      .check(z.describe('An ISO 8601 date-time with an offset (Z or ±hh:mm); inclusive, compared in UTC')),
    z.transform((value: string) => new Date(value).toISOString()),
  );

/** The list's query string: every parameter optional, any other refused by name, as unknown body fields are. */
export const ListQuery = z
  .strictObject({
    status: z.optional(z.enum(statuses, { error: `status must be one of ${statuses.join(', ')}` })),
    limit: z.optional(
      z.pipe(
        stringOf('limit').check(
          z.regex(/^(100|[1-9]\d?)$/, `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`),
        ),
        z.transform(Number),
      ),
    ),
    cursor: z.optional(stringOf('cursor')),
    createdFrom: z.optional(dateTime('createdFrom')),
    createdTo: z.optional(dateTime('createdTo')),
  })
  .check(
    z.refine((query) => !query.createdFrom || !query.createdTo || query.createdFrom <= query.createdTo, {
      message: 'createdFrom must not be after createdTo',
      path: ['createdFrom'],
    }),
  );

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
