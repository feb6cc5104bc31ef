import { refusals } from '../core/errors.ts';
import { isUlid } from '../core/ids.ts';
import { sha256Hex } from '../core/signing-token.ts';
import { acceptDirectInvocation, type LambdaEntry } from '../http/direct-invocation.ts';
import { httpRoute } from '../http/route.ts';
import { routeKeyOf } from '../routes.ts';
import { stringOf, text } from '../http/validation.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lazyIdempotencyRunner } from '../wiring/idempotency.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { recallSignRequest } from '../workflows/recall.ts';
import * as z from '../zod.ts';

export const RecallInput = z.strictObject({
  signRequestId: stringOf('signRequestId').check(
    z.describe('The SignRequestId initiate answered (a ULID, 26 characters); any other value answers 404'),
  ),
  recallReason: text('recallReason', 500),
  recalledBy: text('recalledBy', 200),
  notifySigners: z.optional(
    z
      .boolean({ error: 'notifySigners must be true or false' })
      .check(z.describe('false: nobody is e-mailed about this recall (default true: every signer and the sender)')),
  ),
});

/**
 * A call with an Idempotency-Key marks its recall with a token derived from the app and the key, so a retry of a
 * call whose answer was lost entirely (503 after the write landed) still recognises the recall as its own.
 */
const callIdOf = (appId: string, key: string | undefined): string | undefined =>
  key === undefined ? undefined : sha256Hex(`${appId}\n${key}`);

/** POST /v1/sign-requests/recall: the KAiZEN recall call (docs/api.md). One conditional write decides it (workflows/recall.ts). */
export const createRecallHandler = (deps: HttpApiDependencies): LambdaEntry =>
  acceptDirectInvocation(
    routeKeyOf('recall'),
    httpRoute(deps, {
      auth: 'body',
      body: 'json',
      schema: RecallInput,
      // A retried successful recall answers Data: true again instead of "already cancelled".
      idempotency: { operation: 'recall', runner: lazyIdempotencyRunner(deps.dynamoClient, deps.config.tableName) },
      conditional: true,
      precheck: (input) => {
        // A malformed id can name no request: answer as for a missing one, without asking the store.
        if (!isUlid(input.signRequestId)) throw refusals.signRequestNotFound();
      },
      handle: async ({ input, app, event, ifMatch }) => {
        await recallSignRequest(
          deps,
          {
            signRequestId: input.signRequestId,
            appId: app.appId,
            reason: input.recallReason,
            by: input.recalledBy,
            ...(ifMatch === undefined ? {} : { expectedVersions: ifMatch }),
            ...(input.notifySigners === false ? { notifySigners: false as const } : {}),
          },
          callIdOf(app.appId, event.headers['idempotency-key']),
        );
        return { statusCode: 200, data: true };
      },
    }),
  );

export const handler = await lambdaHandler(() => createRecallHandler(sharedHttpApiDependencies()));
