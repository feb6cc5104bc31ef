import { retryOnConflict } from '../core/conflict-retry.ts';
import { refusals } from '../core/errors.ts';
import { SignRequestStatus, type SignRequest } from '../core/sign-request.ts';
import { awaitsCompletion, isFullySigned, planSignature } from '../core/signing.ts';
import { parseSigningToken } from '../core/signing-token.ts';
import { signRequests } from '../dependencies.ts';
import { presentSignature } from '../http/presenters.ts';
import { httpRoute } from '../http/route.ts';
import { stringOf, text } from '../http/validation.ts';
import * as z from '../zod.ts';

/** The completing write is stamped no earlier than the signature it follows, whatever this clock says. */
const completionTime = (request: SignRequest): string =>
  new Date(Math.max(Date.now(), Date.parse(request.updatedAt))).toISOString();

/**
 * POST /v1/signing/{signingToken}/sign: read, decide in core, then one conditional write that a recall, an
 * expiry or a second signature by the same signer makes fail (the retry then answers their refusal). The
 * signature that makes the request signed by all completes it with a second write; nothing else can land on a
 * request signed by all, so a recall can never come between the two.
 */
export const handler = httpRoute({
  auth: 'none',
  body: 'optional-json',
  schema: z.object({ signingToken: stringOf('signingToken'), signedName: z.optional(text('signedName', 200)) }),
  handle: async ({ input }) => {
    const token = parseSigningToken(input.signingToken);
    if (!token) throw refusals.signingLinkNotFound();
    const { plan, signed } = await retryOnConflict(async () => {
      const current = await signRequests.get(token.signRequestId);
      // A signer's function that stopped between the two writes leaves this for the next visit to finish.
      if (current && awaitsCompletion(current)) await signRequests.complete(current.id, completionTime(current));
      const planned = planSignature(current, token, new Date().toISOString(), input.signedName);
      const after = await signRequests.applySignature(planned);
      return after ? { plan: planned, signed: after } : undefined;
    });
    if (isFullySigned(signed)) await signRequests.complete(signed.id, completionTime(signed));
    const status = isFullySigned(signed) ? SignRequestStatus.Completed : signed.status;
    return { statusCode: 200, data: presentSignature(plan, status) };
  },
});
