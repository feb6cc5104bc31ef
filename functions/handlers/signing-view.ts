import { refusals } from '../core/errors.ts';
import { parseSigningToken } from '../core/signing-token.ts';
import { SigningViewInput } from '../contracts/signing-view.ts';
import { callerEvidence } from '../http/caller-evidence.ts';
import { headerCredentials } from '../http/signer-credentials.ts';
import { presentSigningView } from '../http/presenters.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { signingPageRoute } from '../http/signing-page-route.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { signerPassDependencies, type SignerPassDependencies } from '../wiring/signer-pass.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { pageCredentials } from '../http/signer-pass-cookie.ts';
import { viewSigningLink } from '../workflows/view.ts';

/**
 * GET /v1/signing/{signingToken}: a signer opens their link; the first open of an open request is recorded. A
 * browser (Accept prefers text/html) gets the signer's page, recorded the same way; API clients the JSON.
 */
export const createSigningViewHandler = (deps: HttpApiDependencies & SignerPassDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'none',
    body: 'none',
    schema: SigningViewInput,
    handle: async ({ input, event }) => {
      const token = parseSigningToken(input.signingToken);
      if (!token) throw refusals.signingLinkNotFound();
      const evidence = callerEvidence(event, deps.config.behindCloudFront);
      const { request, signer, viewedAt } = await viewSigningLink(deps, token, evidence, headerCredentials(event));
      return {
        statusCode: 200,
        data: presentSigningView(request, token.signerId, signer, viewedAt, new Date().toISOString()),
      };
    },
    page: signingPageRoute(deps, {
      act: async (token, _form, _tokenText, event) => ({
        request: (
          await viewSigningLink(
            deps,
            token,
            callerEvidence(event, deps.config.behindCloudFront),
            await pageCredentials(event, deps.signerPassKey),
          )
        ).request,
      }),
      actionBase: (tokenText, trailingSlash) => (trailingSlash ? '' : `${tokenText}/`),
    }),
  });

export const handler = await lambdaHandler(() =>
  createSigningViewHandler({ ...sharedHttpApiDependencies(), ...signerPassDependencies(readEnvironment()) }),
);
