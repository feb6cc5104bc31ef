import * as z from '../zod.ts';
import { stringOf, visibleText } from './fields.ts';

/**
 * POST /v1/signing/{signingToken}/sign. A signature must show something: a signedName of invisible characters only
 * (zero-width, bidi marks) is refused, as names are at initiate. Absent, the signer signs with their own name (an
 * API client's empty body).
 */
export const SignInput = z.strictObject({
  signingToken: stringOf('signingToken'),
  signedName: z.optional(visibleText('signedName', 200)),
});
