import * as z from '../zod.ts';
import { emailOf, signingOrder, stringOf, visibleText } from './fields.ts';
import { accessCode } from './initiate.ts';

const Path = { signRequestId: stringOf('signRequestId'), signerId: stringOf('signerId') };

/**
 * PATCH /v1/sign-requests/{signRequestId}/signers/{signerId}: the fields to change, with initiate's very rules; a
 * field left out keeps its value, and at least one must be given. A proof is set by `accessCode` or `verify:
 * "email"` (one of them, as at initiate) and dropped by `verify: "none"`.
 */
export const ChangeSignerInput = z
  .strictObject({
    ...Path,
    name: z.optional(visibleText('name', 200)),
    email: z.optional(
      emailOf('email', 'An email address, at most 254 characters once trimmed; no other signer of the request has it'),
    ),
    order: z.optional(
      signingOrder(
        'The signer’s new group in the signing order: 1 to the number of signers, and not before the group ' +
          'signing now',
      ),
    ),
    accessCode: z.optional(accessCode),
    verify: z.optional(
      z
        .enum(['email', 'none'], { error: 'verify must be "email" or "none"' })
        .check(z.describe('"email": a one-time code mailed to the signer; "none": no proof asked any more')),
    ),
  })
  .check(
    z.refine(
      (input) =>
        input.name !== undefined ||
        input.email !== undefined ||
        input.order !== undefined ||
        input.accessCode !== undefined ||
        input.verify !== undefined,
      {
        message: 'name, email, order, accessCode or verify is required: give the fields to change',
        path: ['name'],
      },
    ),
    z.refine((input) => input.accessCode === undefined || input.verify === undefined, {
      message: 'accessCode and verify cannot both be given: a signer gives one proof',
      path: ['verify'],
    }),
  );

/** DELETE /v1/sign-requests/{signRequestId}/signers/{signerId}: the path alone. */
export const RemoveSignerInput = z.strictObject(Path);
