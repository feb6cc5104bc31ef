import { refusals } from '../core/errors.ts';
import { parseSigningToken } from '../core/signing-token.ts';
import { DeclineInput } from '../contracts/decline.ts';
import { callerEvidence } from '../http/caller-evidence.ts';
import { headerCredentials } from '../http/signer-credentials.ts';
import { presentDecline } from '../http/presenters.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { signingPageRoute } from '../http/signing-page-route.ts';
import { validate } from '../http/validation.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { signerPassDependencies, type SignerPassDependencies } from '../wiring/signer-pass.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { pageCredentials } from '../http/signer-pass-cookie.ts';
import { declineSignRequest } from '../workflows/decline.ts';

/**
 * POST /v1/signing/{signingToken}/decline: a signer declines, closing the request (workflows/decline.ts). The
 * page's Decline form posts here too, answered with the page, as for signing.
 */
export const createDeclineHandler = (deps: HttpApiDependencies & SignerPassDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'none',
    body: 'json',
    schema: DeclineInput,
    handle: async ({ input, event }) => {
      const token = parseSigningToken(input.signingToken);
      if (!token) throw refusals.signingLinkNotFound();
      const plan = await declineSignRequest(
        deps,
        token,
        input.reason,
        callerEvidence(event, deps.config.behindCloudFront),
        headerCredentials(event),
      );
      return { statusCode: 200, data: presentDecline(plan) };
    },
    page: signingPageRoute(deps, {
      act: async (token, form, signingToken, event) => {
        const input = validate(DeclineInput, { ...form, signingToken });
        await declineSignRequest(
          deps,
          token,
          input.reason,
          callerEvidence(event, deps.config.behindCloudFront),
          await pageCredentials(event, deps.signerPassKey),
        );
        return { outcome: 'declined' };
      },
      actionBase: (_token, trailingSlash) => (trailingSlash ? '../' : ''),
      attempts: 'decline',
    }),
  });

export const handler = await lambdaHandler(() =>
  createDeclineHandler({ ...sharedHttpApiDependencies(), ...signerPassDependencies(readEnvironment()) }),
);
