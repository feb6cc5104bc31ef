import { SignRequestStatus } from '../core/sign-request.ts';
import * as z from '../zod.ts';
import { stringOf } from './fields.ts';

/* GET /v1/sign-requests: the request contract of the list, its query string, and its page limits. */

/** Every status a request can have (core/sign-request.ts): a status added there can be listed at once. */
const statuses = Object.values(SignRequestStatus) as [SignRequestStatus, ...SignRequestStatus[]];
export const DEFAULT_LIST_LIMIT = 25;
export const MAX_LIST_LIMIT = 100;

/**
 * Times are compared as UTC ISO strings (the store's sort key), which holds only for four-digit years: a time whose
 * UTC form leaves years 0000-9999 (`9999-12-31T23:00:00-05:00` is in 10000) would sort before every date, so it is
 * refused by name, as initiate's deadline is bounded.
 */
const dateTime = (field: string) =>
  z.pipe(
    z.iso.datetime({ offset: true, error: `${field} must be an ISO 8601 date-time, like 2030-01-31T17:00:00Z` }).check(
      z.refine(
        // Checked on what the format check may already have refused: an unreadable time is that check's to name.
        (value) => Number.isNaN(Date.parse(value)) || /^\d{4}-/.test(new Date(value).toISOString()),
        `${field} must fall within the years 0000 to 9999 in UTC`,
      ),
      z.describe(
        'An ISO 8601 date-time with an offset (Z or ±hh:mm), within the years 0000-9999 in UTC; inclusive, compared in UTC',
      ),
    ),
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
    z.refine(
      (query) => !query.createdFrom || !query.createdTo || Date.parse(query.createdFrom) <= Date.parse(query.createdTo),
      {
        message: 'createdFrom must not be after createdTo',
        path: ['createdFrom'],
      },
    ),
  );
