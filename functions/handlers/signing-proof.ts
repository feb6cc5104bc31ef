import { DomainError, refusals } from '../core/errors.ts';
import { issueSignerPass } from '../core/signer-pass.ts';
import { parseSigningToken } from '../core/signing-token.ts';
import { SignerProofInput } from '../contracts/signer-proof.ts';
import { callerEvidence } from '../http/caller-evidence.ts';
import { pageRoute } from '../http/page-route.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { linkPathOf, passCookie } from '../http/signer-pass-cookie.ts';
import { linkNotFound, proofStep } from '../http/signing-page-route.ts';
import { renderStatePage } from '../http/signing-page.ts';
import { statusOfKind } from '../http/error-response.ts';
import { validate } from '../http/validation.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { signerPassDependencies, type SignerPassDependencies } from '../wiring/signer-pass.ts';
import { proveForPage } from '../workflows/signer-proof.ts';

/**
 * POST /v1/signing/{signingToken}/proof: a signer gives their code, checked and counted exactly as X-Signer-Proof
 * is (workflows/signer-proof.ts). The page's form posts here: a right code earns the browser a pass (an HttpOnly,
 * Secure, SameSite=Strict cookie on the link's path, core/signer-pass.ts) and a 303 back to the link; a wrong one
 * shows the proof step again. An API client gets 200 for a right code (it sends X-Signer-Proof on each call anyway).
 */
export const createSigningProofHandler = (deps: HttpApiDependencies & SignerPassDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'none',
    body: 'json',
    schema: SignerProofInput,
    handle: async ({ input, event }) => {
      const token = parseSigningToken(input.signingToken);
      if (!token) throw refusals.signingLinkNotFound();
      const { proof } = await proveForPage(
        deps,
        token,
        input.code,
        callerEvidence(event, deps.config.behindCloudFront),
      );
      return { statusCode: 200, data: { SignerId: token.signerId, Proof: proof ?? null } };
    },
    page: pageRoute(async (event, form) => {
      const token = parseSigningToken(event.pathParameters?.signingToken ?? '');
      if (!token) return linkNotFound();
      try {
        const input = validate(SignerProofInput, { ...form, signingToken: event.pathParameters?.signingToken });
        const { request, signer, proof } = await proveForPage(
          deps,
          token,
          input.code,
          callerEvidence(event, deps.config.behindCloudFront),
        );
        const linkPath = linkPathOf(event);
        const pass =
          proof === undefined
            ? undefined
            : issueSignerPass(
                await deps.signerPassKey(),
                request,
                token.signerId,
                signer,
                proof,
                new Date().toISOString(),
              );
        return {
          statusCode: 303,
          code: 'OK',
          html: '',
          headers: { location: linkPath, ...(pass ? { 'set-cookie': passCookie(pass, linkPath) } : {}) },
        };
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind === 'unavailable') throw error;
        if (error.kind === 'not-found') return linkNotFound();
        const request = await deps.signRequests.get(token.signRequestId);
        // An empty or overlong code is a wrong one to the person typing it: the proof step says so.
        const refusal = error.kind === 'bad-request' ? refusals.signerProofInvalid() : error;
        const asksProof = proofStep(request, token, refusal, '');
        if (asksProof) return asksProof;
        return {
          statusCode: statusOfKind(error.kind),
          code: error.code,
          html: request?.signers[token.signerId]
            ? renderStatePage(request, token.signerId, new Date().toISOString())
            : linkNotFound().html,
        };
      }
    }),
  });

export const handler = await lambdaHandler(() =>
  createSigningProofHandler({ ...sharedHttpApiDependencies(), ...signerPassDependencies(readEnvironment()) }),
);
