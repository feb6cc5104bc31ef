import { ReadInput } from '../contracts/read.ts';
import { etagOf } from '../http/if-match.ts';
import { presentSignRequest } from '../http/presenters.ts';
import { transportRefusals } from '../http/refusals.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { methodsAt } from '../routes.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { ownSignRequest } from '../workflows/own-request.ts';

/** GET /v1/sign-requests/{signRequestId}: another app's request reads exactly like a missing one. */
export const createReadHandler = (deps: HttpApiDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'bearer',
    body: 'none',
    schema: ReadInput,
    // In AWS, GET /v1/sign-requests/recall reaches this function with the id `recall`: it is the wrong method
    // for the recall route, and is answered so before any token is asked for.
    refuseEarly: (event) => {
      const allowed = methodsAt(`/v1/sign-requests/${event.pathParameters?.signRequestId ?? ''}`);
      return allowed.length > 0 ? transportRefusals.methodNotAllowed(allowed) : undefined;
    },
    handle: async ({ input, app }) => {
      const request = await ownSignRequest(deps.signRequests, input.signRequestId, app.appId);
      return {
        statusCode: 200,
        data: presentSignRequest(request, new Date().toISOString()),
        // The stored version: what If-Match on recall and resend compares with.
        headers: { etag: etagOf(request.version) },
      };
    },
  });

export const handler = await lambdaHandler(() => createReadHandler(sharedHttpApiDependencies()));
