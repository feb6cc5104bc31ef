import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { refusals } from '../core/errors.ts';
import { isUlid } from '../core/ids.ts';
import { ChangeSignerInput, RemoveSignerInput } from '../contracts/signer.ts';
import { signerProofOf } from '../core/signer-proof.ts';
import { etagOf } from '../http/if-match.ts';
import { presentChangedSigner, presentRemovedSigner, signingBaseUrl, signingUrlOf } from '../http/presenters.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import type { SecretFor } from '../core/initiate.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { signingSecrets } from '../signing-key.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { signingKeyFrom } from '../wiring/signing-keys.ts';
import { changeSigner, removeSigner } from '../workflows/edit-signer.ts';

/** Malformed ids can name nothing: answered as missing, without a store call. */
const precheck = (input: { signRequestId: string; signerId: string }) => {
  if (!isUlid(input.signRequestId)) throw refusals.signRequestNotFound();
  if (!isUlid(input.signerId)) throw refusals.signerNotFound();
};

/**
 * PATCH and DELETE /v1/sign-requests/{signRequestId}/signers/{signerId} (Bearer, If-Match optional): change or
 * remove a signer who has not acted (workflows/edit-signer.ts), each by one conditional write. One function serves
 * both, by method: the same grants, the same link key (a changed signer's new link is derived as initiate's).
 * Neither takes an Idempotency-Key: a retry with the same fields finds the change it asks for and answers it.
 */
/** The API's dependencies and the link key's secrets: nothing of initiate's (documents, claims) is loaded. */
type EditSignerDependencies = HttpApiDependencies & { secretFor: SecretFor };

export const createEditSignerHandler = (deps: EditSignerDependencies): HttpHandler => {
  const change = httpRoute(deps, {
    auth: 'bearer',
    body: 'json',
    schema: ChangeSignerInput,
    conditional: true,
    precheck,
    handle: async ({ input: { signRequestId, signerId, accessCode, verify, ...fields }, app, ifMatch }) => {
      // A new access code is hashed once, here, before any write: the code itself is kept nowhere.
      const proof = verify === 'none' ? null : await signerProofOf({ accessCode, verify });
      const changed = await changeSigner(deps, {
        signRequestId,
        signerId,
        appId: app.appId,
        changes: { ...fields, ...(proof === undefined ? {} : { proof }) },
        ...(ifMatch === undefined ? {} : { expectedVersions: ifMatch }),
      });
      return {
        statusCode: 200,
        data: presentChangedSigner(changed.request, changed.signerId, signerId),
        headers: { etag: etagOf(changed.request.version) },
      };
    },
    // The new link is derived again here, so no answer that might be kept (a log, a replay) ever held it.
    reveal: (data, { event }) => ({
      ...data,
      SigningUrl: signingUrlOf(
        deps.secretFor,
        signingBaseUrl(deps.config.signingBaseUrl, event),
        data.SignRequestId,
        data.SignerId,
      ),
    }),
  });
  const remove = httpRoute(deps, {
    auth: 'bearer',
    body: 'none',
    schema: RemoveSignerInput,
    conditional: true,
    precheck,
    handle: async ({ input: { signRequestId, signerId }, app, ifMatch }) => {
      const request = await removeSigner(deps, {
        signRequestId,
        signerId,
        appId: app.appId,
        ...(ifMatch === undefined ? {} : { expectedVersions: ifMatch }),
      });
      return {
        statusCode: 200,
        data: presentRemovedSigner(request, signerId),
        headers: { etag: etagOf(request.version) },
      };
    },
  });
  return (event: APIGatewayProxyEventV2, context) =>
    (event.requestContext.http.method.toUpperCase() === 'DELETE' ? remove : change)(event, context);
};

export const handler = await lambdaHandler(async () =>
  createEditSignerHandler({
    ...sharedHttpApiDependencies(),
    secretFor: signingSecrets(await signingKeyFrom('link', readEnvironment())),
  }),
);
