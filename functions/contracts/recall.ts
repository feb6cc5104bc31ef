import * as z from '../zod.ts';
import { stringOf, text } from './fields.ts';

/** POST /v1/sign-requests/recall: KAiZEN's recall call. */
export const RecallInput = z.strictObject({
  signRequestId: stringOf('signRequestId').check(
    z.describe('The SignRequestId initiate answered (a ULID, 26 characters); any other value answers 404'),
  ),
  recallReason: text('recallReason', 500),
  recalledBy: text('recalledBy', 200),
  notifySigners: z.optional(
    z
      .boolean({ error: 'notifySigners must be true or false' })
      .check(z.describe('false: nobody is e-mailed about this recall (default true: every signer and the sender)')),
  ),
});
