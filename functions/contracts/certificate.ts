import * as z from '../zod.ts';
import { stringOf } from './fields.ts';

/** GET /v1/sign-requests/{signRequestId}/certificate. */
export const CertificateInput = z.strictObject({ signRequestId: stringOf('signRequestId') });
