import { refusals } from '../core/errors.ts';
import { isUlid } from '../core/ids.ts';
import { signRequests } from '../dependencies.ts';
import { acceptDirectInvocation } from '../http/direct-invocation.ts';
import { httpRoute } from '../http/route.ts';
import { routeKeyOf } from '../routes.ts';
import { stringOf, text } from '../http/validation.ts';
import * as z from '../zod.ts';

export const RecallInput = z.object({
  signRequestId: stringOf('signRequestId'),
  recallReason: text('recallReason', 500),
  recalledBy: text('recalledBy', 200),
});

/** POST /v1/sign-requests/recall: the seed's call. One conditional write decides it (see SignRequestStore.recall). */
export const handler = acceptDirectInvocation(
  routeKeyOf('recall'),
  httpRoute({
    auth: 'body',
    body: 'json',
    schema: RecallInput,
    // A retried successful recall answers Data: true again instead of "already cancelled".
    idempotentOperation: 'recall',
    precheck: (input) => {
      // A malformed id can name no request: answer as for a missing one, without asking the store.
      if (!isUlid(input.signRequestId)) throw refusals.signRequestNotFound();
    },
    handle: async ({ input, app }) => {
      await signRequests.recall({
        signRequestId: input.signRequestId,
        appId: app.appId,
        reason: input.recallReason,
        by: input.recalledBy,
      });
      return { statusCode: 200, data: true };
    },
  }),
);
