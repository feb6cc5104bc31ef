import * as z from '../zod.ts';
import { stringOf } from './fields.ts';

/** POST /v1/sign-requests/{signRequestId}/remind: the path's id; the optional body has no fields. */
export const RemindInput = z.strictObject({ signRequestId: stringOf('signRequestId') });
