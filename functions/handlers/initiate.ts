import { presentCreated, signingBaseUrl, withSigningUrls } from '../http/presenters.ts';
import { acceptDirectInvocation, type LambdaEntry } from '../http/direct-invocation.ts';
import { withKeyedAccessCodes } from '../http/keyed-access-codes.ts';
import { httpRoute } from '../http/route.ts';
import { INITIATE_MAX_BODY_BYTES, InitiateInput } from '../contracts/initiate.ts';
import { routeKeyOf } from '../routes.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { sharedHttpApiDependencies } from '../wiring/http-api.ts';
import {
  initiateDependencies,
  inlineDocumentDependencies,
  type InitiateFunctionDependencies,
  type InlineDocumentDependencies,
} from '../wiring/initiate.ts';
import { lazyIdempotencyRunner } from '../wiring/idempotency.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { initiateSignRequest, quotaOf } from '../workflows/initiate.ts';

/**
 * POST /v1/sign-requests: check the document (inline, or the upload `documentId` names, which this request then
 * claims as its one user), number the request, store the document, then create it as
 * one item that can never be overwritten. With an Idempotency-Key, a retry gets the same request and the same
 * links back, and creates nothing. Its body may be larger than other routes' (an inline PDF, in base64).
 */
export const createInitiateHandler = (deps: InitiateFunctionDependencies & InlineDocumentDependencies): LambdaEntry =>
  acceptDirectInvocation(
    routeKeyOf('initiate'),
    httpRoute(
      { ...deps, maxBodyBytes: Math.max(deps.maxBodyBytes, INITIATE_MAX_BODY_BYTES) },
      {
        auth: 'body',
        body: 'json',
        schema: InitiateInput,
        idempotency: {
          operation: 'initiate',
          runner: lazyIdempotencyRunner(deps.dynamoClient, deps.config.tableName),
          comparedInput: withKeyedAccessCodes(deps.secretFor),
        },
        handle: async ({ input: { document, ...input }, app, event }) => {
          const request = await initiateSignRequest(
            { ...deps, requestNoPrefix: deps.config.requestNoPrefix },
            {
              ...input,
              appId: app.appId,
              ...quotaOf(app),
              // The contract checked the base64's shape, so decoding skips nothing.
              ...(document
                ? { document: { name: document.fileName, bytes: Buffer.from(document.contentBase64, 'base64') } }
                : {}),
            },
            event.headers['idempotency-key'],
          );
          return { statusCode: 201, data: presentCreated(request) };
        },
        reveal: (created, { event }) =>
          withSigningUrls(created, deps.secretFor, signingBaseUrl(deps.config.signingBaseUrl, event)),
      },
    ),
  );

export const handler = await lambdaHandler(async () =>
  createInitiateHandler({
    ...(await initiateDependencies(readEnvironment(), sharedHttpApiDependencies())),
    ...inlineDocumentDependencies(readEnvironment(), sharedHttpApiDependencies()),
  }),
);
