import { presentCreated, signingBaseUrl, withSigningUrls } from '../http/presenters.ts';
import { acceptDirectInvocation, type LambdaEntry } from '../http/direct-invocation.ts';
import { httpRoute } from '../http/route.ts';
import { InitiateInput } from '../contracts/initiate.ts';
import { routeKeyOf } from '../routes.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { sharedHttpApiDependencies } from '../wiring/http-api.ts';
import { initiateDependencies, type InitiateFunctionDependencies } from '../wiring/initiate.ts';
import { lazyIdempotencyRunner } from '../wiring/idempotency.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { initiateSignRequest, quotaOf } from '../workflows/initiate.ts';

/**
 * POST /v1/sign-requests: number the request, then create it as one item that can never be overwritten.
 * With an Idempotency-Key, a retry gets the same request and the same links back, and creates nothing.
 */
export const createInitiateHandler = (deps: InitiateFunctionDependencies): LambdaEntry =>
  acceptDirectInvocation(
    routeKeyOf('initiate'),
    httpRoute(deps, {
      auth: 'body',
      body: 'json',
      schema: InitiateInput,
      idempotency: { operation: 'initiate', runner: lazyIdempotencyRunner(deps.dynamoClient, deps.config.tableName) },
      handle: async ({ input, app, event }) => {
        const request = await initiateSignRequest(
          { ...deps, requestNoPrefix: deps.config.requestNoPrefix },
          { ...input, appId: app.appId, ...quotaOf(app) },
          event.headers['idempotency-key'],
        );
        return { statusCode: 201, data: presentCreated(request) };
      },
      reveal: (created, { event }) =>
        withSigningUrls(created, deps.secretFor, signingBaseUrl(deps.config.signingBaseUrl, event)),
    }),
  );

export const handler = await lambdaHandler(async () =>
  createInitiateHandler(await initiateDependencies(readEnvironment(), sharedHttpApiDependencies())),
);
