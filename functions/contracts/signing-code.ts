import * as z from '../zod.ts';
import { stringOf } from './fields.ts';

/** POST /v1/signing/{signingToken}/code: nothing but the link; a body, if any, must be an empty object. */
export const SigningCodeInput = z.strictObject({
  signingToken: stringOf('signingToken'),
});
