import { retryOnConflict } from '../core/conflict-retry.ts';
import { refusals } from '../core/errors.ts';
import { planFirstView } from '../core/signing.ts';
import { parseSigningToken } from '../core/signing-token.ts';
import { signRequests } from '../dependencies.ts';
import { presentSigningView } from '../http/presenters.ts';
import { httpRoute } from '../http/route.ts';
import { stringOf } from '../http/validation.ts';
import * as z from '../zod.ts';

/** GET /v1/signing/{signingToken}: a signer opens their link; the first open of an open request is recorded. */
export const handler = httpRoute({
  auth: 'none',
  body: 'none',
  schema: z.object({ signingToken: stringOf('signingToken') }),
  handle: async ({ input }) => {
    const token = parseSigningToken(input.signingToken);
    if (!token) throw refusals.signingLinkNotFound();
    const data = await retryOnConflict(async () => {
      const now = new Date().toISOString();
      const { request, signer, firstView } = planFirstView(await signRequests.get(token.signRequestId), token, now);
      if (firstView && !(await signRequests.recordFirstView(firstView))) return undefined;
      return presentSigningView(request, token.signerId, signer, firstView?.at ?? signer.viewedAt);
    });
    return { statusCode: 200, data };
  },
});
