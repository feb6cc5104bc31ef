import { refusals } from '../core/errors.ts';
import { isUlid } from '../core/ids.ts';
import { ResendInput } from '../contracts/resend.ts';
import { sha256Hex } from '../core/signing-token.ts';
import { presentResent, signingBaseUrl, withSigningUrls } from '../http/presenters.ts';
import { withKeyedAccessCodes } from '../http/keyed-access-codes.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { sharedHttpApiDependencies } from '../wiring/http-api.ts';
import { initiateDependencies, type InitiateFunctionDependencies } from '../wiring/initiate.ts';
import { lazyIdempotencyRunner } from '../wiring/idempotency.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { quotaOf } from '../workflows/initiate.ts';
import { resendSignRequest } from '../workflows/resend.ts';

/**
 * The claim's token: with an Idempotency-Key, derived from the app and the key (and the operation, so it is not
 * a recall's token), so a retry of a call that gave up after its claim landed still finds the claim its own.
 */
const callIdOf = (appId: string, key: string | undefined): string | undefined =>
  key === undefined ? undefined : sha256Hex(`resend\n${appId}\n${key}`);

/**
 * POST /v1/sign-requests/{signRequestId}/resend: a new request from a cancelled, expired or declined one, at most once
 * (workflows/resend.ts). Its signing links are derived like initiate's, so this function holds the link key too.
 */
export const createResendHandler = (deps: InitiateFunctionDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'bearer',
    body: 'optional-json',
    schema: ResendInput,
    idempotency: {
      operation: 'resend',
      runner: lazyIdempotencyRunner(deps.dynamoClient, deps.config.tableName),
      comparedInput: withKeyedAccessCodes(deps.secretFor),
    },
    conditional: true,
    precheck: (input) => {
      if (!isUlid(input.signRequestId)) throw refusals.signRequestNotFound();
    },
    handle: async ({ input, app, event, ifMatch }) => {
      const { signRequestId, ...changes } = input;
      const replacement = await resendSignRequest(
        { ...deps, requestNoPrefix: deps.config.requestNoPrefix },
        {
          ...changes,
          signRequestId,
          appId: app.appId,
          ...quotaOf(app),
          ...(ifMatch === undefined ? {} : { expectedVersions: ifMatch }),
        },
        callIdOf(app.appId, event.headers['idempotency-key']),
      );
      return { statusCode: 201, data: presentResent(replacement, signRequestId) };
    },
    reveal: (resent, { event }) =>
      withSigningUrls(resent, deps.secretFor, signingBaseUrl(deps.config.signingBaseUrl, event)),
  });

export const handler = await lambdaHandler(async () =>
  createResendHandler(await initiateDependencies(readEnvironment(), sharedHttpApiDependencies())),
);
