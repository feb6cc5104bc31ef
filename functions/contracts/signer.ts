import * as z from '../zod.ts';
import { emailOf, stringOf, visibleText } from './fields.ts';

const Path = { signRequestId: stringOf('signRequestId'), signerId: stringOf('signerId') };

/**
 * PATCH /v1/sign-requests/{signRequestId}/signers/{signerId}: the fields to change, with initiate's very rules; a
 * field left out keeps its value, and at least one must be given. The signer's signing order and proof are not
 * changed here (yet): naming them is refused like any unknown field.
 */
export const ChangeSignerInput = z
  .strictObject({
    ...Path,
    name: z.optional(visibleText('name', 200)),
    email: z.optional(
      emailOf('email', 'An email address, at most 254 characters once trimmed; no other signer of the request has it'),
    ),
  })
  .check(
    z.refine((input) => input.name !== undefined || input.email !== undefined, {
      message: 'name or email is required: give the fields to change',
      path: ['name'],
    }),
  );

/** DELETE /v1/sign-requests/{signRequestId}/signers/{signerId}: the path alone. */
export const RemoveSignerInput = z.strictObject(Path);
