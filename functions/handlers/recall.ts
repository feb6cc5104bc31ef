import { refusals } from '../core/errors.ts';
import { isUlid } from '../core/ids.ts';
import { RecallInput } from '../contracts/recall.ts';
import { sha256Hex } from '../core/signing-token.ts';
import { callerEvidence } from '../http/caller-evidence.ts';
import { acceptDirectInvocation, type LambdaEntry } from '../http/direct-invocation.ts';
import { httpRoute } from '../http/route.ts';
import { routeKeyOf } from '../routes.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lazyIdempotencyRunner } from '../wiring/idempotency.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { recallSignRequest } from '../workflows/recall.ts';

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
            // The app's server, as the edge saw it; a direct invocation has no caller address (none is recorded).
            evidence: callerEvidence(event, deps.config.behindCloudFront),
          },
          callIdOf(app.appId, event.headers['idempotency-key']),
        );
        return { statusCode: 200, data: true };
      },
    }),
  );

export const handler = await lambdaHandler(() => createRecallHandler(sharedHttpApiDependencies()));
