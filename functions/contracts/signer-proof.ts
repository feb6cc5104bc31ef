import * as z from '../zod.ts';
import { stringOf } from './fields.ts';

/**
 * POST /v1/signing/{signingToken}/proof: the signing page's code form. `code` is the signer's access code or the
 * one-time code mailed to them; its messages never quote it.
 */
export const SignerProofInput = z.strictObject({
  signingToken: stringOf('signingToken'),
  code: stringOf('code').check(
    z.minLength(1, 'code must not be empty'),
    z.maxLength(80, 'code must be at most 80 characters'),
    z.describe('The access code the sender gave, or the one-time code mailed to the signer'),
  ),
});
