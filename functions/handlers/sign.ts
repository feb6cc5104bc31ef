import { z } from 'zod';
import { retryOnConflict } from '../core/conflict-retry.ts';
import { refusals } from '../core/errors.ts';
import { planSignature } from '../core/signing.ts';
import { parseSigningToken } from '../core/signing-token.ts';
import { signRequests } from '../dependencies.ts';
import { presentSignature } from '../http/presenters.ts';
import { httpRoute } from '../http/route.ts';
import { stringOf, text } from '../http/validation.ts';

/**
 * POST /v1/signing/{signingToken}/sign: read, decide (is this the last signature?), then write conditionally
 * on the version read. A recall landing in between fails the write, and the retry answers 410.
 */
export const handler = httpRoute({
  auth: 'none',
  body: 'optional-json',
  schema: z.object({ signingToken: stringOf('signingToken'), signedName: text('signedName', 200).optional() }),
  handle: async ({ input }) => {
    const token = parseSigningToken(input.signingToken);
    if (!token) throw refusals.signingLinkNotFound();
    const plan = await retryOnConflict(async () => {
      const now = new Date().toISOString();
      const planned = planSignature(await signRequests.get(token.signRequestId), token, now, input.signedName);
      return (await signRequests.applySignature(planned)) ? planned : undefined;
    });
    return { statusCode: 200, data: presentSignature(plan) };
  },
});
