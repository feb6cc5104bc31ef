import * as z from '../zod.ts';
import { stringOf } from './fields.ts';

/** GET /v1/sign-requests/{signRequestId}. */
export const ReadInput = z.strictObject({ signRequestId: stringOf('signRequestId') });
