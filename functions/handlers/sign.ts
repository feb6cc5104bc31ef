import { refusals } from '../core/errors.ts';
import { parseSigningToken } from '../core/signing-token.ts';
import { presentSignature } from '../http/presenters.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { stringOf, text } from '../http/validation.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { signSignRequest } from '../workflows/sign.ts';
import * as z from '../zod.ts';

export const SignInput = z.strictObject({
  signingToken: stringOf('signingToken'),
  signedName: z.optional(text('signedName', 200)),
});

/** POST /v1/signing/{signingToken}/sign: a signer signs (workflows/sign.ts). */
export const createSignHandler = (deps: HttpApiDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'none',
    body: 'optional-json',
    schema: SignInput,
    handle: async ({ input }) => {
      const token = parseSigningToken(input.signingToken);
      if (!token) throw refusals.signingLinkNotFound();
      const { plan, status } = await signSignRequest(deps, token, input.signedName);
      return { statusCode: 200, data: presentSignature(plan, status) };
    },
  });

export const handler = await lambdaHandler(() => createSignHandler(sharedHttpApiDependencies()));
