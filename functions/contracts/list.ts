import { SignRequestStatus } from '../core/sign-request.ts';
import * as z from '../zod.ts';
import { stringOf } from './fields.ts';

/* GET /v1/sign-requests: the request contract of the list, its query string, and its page limits. */

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
