import { refusals } from '../core/errors.ts';
import { isUlid } from '../core/ids.ts';
import { RemindInput } from '../contracts/remind.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { remindSigners } from '../workflows/remind.ts';

/**
 * POST /v1/sign-requests/{signRequestId}/remind (Bearer): e-mails the signers who have not signed, each at most
 * once an hour. Those reminded within the hour are left out and named; when that is everyone, 429 REMIND_TOO_SOON
 * with Retry-After. Another app's request answers exactly like a missing one.
 */
export const createRemindHandler = (deps: HttpApiDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'bearer',
    body: 'optional-json',
    schema: RemindInput,
    precheck: (input) => {
      if (!isUlid(input.signRequestId)) throw refusals.signRequestNotFound();
    },
    handle: async ({ input, app }) => {
      const reminded = await remindSigners(deps, input.signRequestId, app.appId);
      return {
        statusCode: 200,
        data: {
          SignRequestId: input.signRequestId,
          RemindedAt: reminded.at,
          Reminded: reminded.due,
          NotYet: reminded.notYet.map((entry) => ({ SignerId: entry.signerId, RemindableAt: entry.at })),
        },
      };
    },
  });

export const handler = await lambdaHandler(() => createRemindHandler(sharedHttpApiDependencies()));
