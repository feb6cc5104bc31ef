import { refusals } from '../core/errors.ts';
import { parseSigningToken } from '../core/signing-token.ts';
import { SignInput } from '../contracts/sign.ts';
import { callerEvidence } from '../http/caller-evidence.ts';
import { headerCredentials } from '../http/signer-credentials.ts';
import { presentSignature } from '../http/presenters.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { signingPageRoute } from '../http/signing-page-route.ts';
import { validate } from '../http/validation.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { signerPassDependencies, type SignerPassDependencies } from '../wiring/signer-pass.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { pageCredentials } from '../http/signer-pass-cookie.ts';
import { signSignRequest } from '../workflows/sign.ts';

/**
 * POST /v1/signing/{signingToken}/sign: a signer signs (workflows/sign.ts). The page's form posts here too: a
 * browser's form body, validated by the same schema, answered with the page (a confirmation, or why not).
 */
export const createSignHandler = (deps: HttpApiDependencies & SignerPassDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'none',
    body: 'optional-json',
    schema: SignInput,
    handle: async ({ input, event }) => {
      const token = parseSigningToken(input.signingToken);
      if (!token) throw refusals.signingLinkNotFound();
      const evidence = callerEvidence(event, deps.config.behindCloudFront);
      const { plan, status } = await signSignRequest(deps, token, input.signedName, evidence, headerCredentials(event));
      return { statusCode: 200, data: presentSignature(plan, status) };
    },
    page: signingPageRoute(deps, {
      act: async (token, form, signingToken, event) => {
        const input = validate(SignInput, { ...form, signingToken });
        // The page asks for the name: a form without it was not sent by the page, and signs nothing.
        if (input.signedName === undefined)
          throw refusals.validationFailed([{ field: 'signedName', message: 'signedName is required' }]);
        await signSignRequest(
          deps,
          token,
          input.signedName,
          callerEvidence(event, deps.config.behindCloudFront),
          await pageCredentials(event, deps.signerPassKey),
        );
        return { outcome: 'signed' };
      },
      actionBase: (_token, trailingSlash) => (trailingSlash ? '../' : ''),
      attempts: 'sign',
    }),
  });

export const handler = await lambdaHandler(() =>
  createSignHandler({ ...sharedHttpApiDependencies(), ...signerPassDependencies(readEnvironment()) }),
);
