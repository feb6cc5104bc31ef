import * as z from '../zod.ts';
import { stringOf, text } from './fields.ts';

/** POST /v1/signing/{signingToken}/sign: `signedName` defaults to the signer's name. */
export const SignInput = z.strictObject({
  signingToken: stringOf('signingToken'),
  signedName: z.optional(text('signedName', 200)),
});
