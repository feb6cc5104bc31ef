import * as z from '../zod.ts';
import { stringOf } from './fields.ts';

/** GET /v1/signing/{signingToken}: a signer opens their link. */
export const SigningViewInput = z.strictObject({ signingToken: stringOf('signingToken') });
