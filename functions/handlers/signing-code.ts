import { refusals } from '../core/errors.ts';
import { parseSigningToken, type SigningToken } from '../core/signing-token.ts';
import { SigningCodeInput } from '../contracts/signing-code.ts';
import { presentCodeSent } from '../http/presenters.ts';
import { signingCodePage } from '../http/signing-code-page.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { sharedHttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { signingCodeDependencies, type SigningCodeFunctionDependencies } from '../wiring/signing-code.ts';
import { sendEmailCode } from '../workflows/send-email-code.ts';

/**
 * POST /v1/signing/{signingToken}/code: mails the signer a new one-time code (workflows/send-email-code.ts) and
 * answers 202 with when it expires, never the code. The page's "send me a code" form posts here too, and is sent
 * back to the link (303) to type it in.
 */
export const createSigningCodeHandler = (deps: SigningCodeFunctionDependencies): HttpHandler => {
  const send = (token: SigningToken) =>
    sendEmailCode({ signRequests: deps.signRequests, notifier: deps.codeMail, logger: deps.logger }, token);
  return httpRoute(deps, {
    auth: 'none',
    body: 'optional-json',
    schema: SigningCodeInput,
    handle: async ({ input }) => {
      const token = parseSigningToken(input.signingToken);
      if (!token) throw refusals.signingLinkNotFound();
      const plan = await send(token);
      return { statusCode: 202, data: presentCodeSent(plan) };
    },
    page: signingCodePage(send),
  });
};

export const handler = await lambdaHandler(() =>
  createSigningCodeHandler(signingCodeDependencies(readEnvironment(), sharedHttpApiDependencies())),
);
