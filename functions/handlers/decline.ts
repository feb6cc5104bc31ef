import { refusals } from '../core/errors.ts';
import { parseSigningToken } from '../core/signing-token.ts';
import { presentDecline } from '../http/presenters.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { stringOf, text } from '../http/validation.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { declineSignRequest } from '../workflows/decline.ts';
import * as z from '../zod.ts';

export const DeclineInput = z.strictObject({
  signingToken: stringOf('signingToken'),
  reason: text('reason', 500),
});

/** POST /v1/signing/{signingToken}/decline: a signer declines, closing the request (workflows/decline.ts). */
export const createDeclineHandler = (deps: HttpApiDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'none',
    body: 'json',
    schema: DeclineInput,
    handle: async ({ input }) => {
      const token = parseSigningToken(input.signingToken);
      if (!token) throw refusals.signingLinkNotFound();
      const plan = await declineSignRequest(deps, token, input.reason);
      return { statusCode: 200, data: presentDecline(plan) };
    },
  });

export const handler = await lambdaHandler(() => createDeclineHandler(sharedHttpApiDependencies()));
