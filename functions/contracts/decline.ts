import * as z from '../zod.ts';
import { stringOf, text } from './fields.ts';

/** POST /v1/signing/{signingToken}/decline: the reason goes to the app, never to the other signers. */
export const DeclineInput = z.strictObject({
  signingToken: stringOf('signingToken'),
  reason: text('reason', 500),
});
