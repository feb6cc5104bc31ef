import * as z from '../zod.ts';
import { stringOf } from './fields.ts';
import { InitiateFields } from './initiate.ts';

/**
 * POST /v1/sign-requests/{signRequestId}/resend. What may change on a resend, with initiate's very rules; anything left out carries over (core/resend.ts). The
 * requester, the mail options (sender e-mail, invitations, reminders), `recallAfterFailedProofs` and the document (`document`, `documentId`)
 * are the request's own and carry over as they were: naming one is refused like any unknown field, never
 * silently ignored.
 */
export const ResendInput = z.extend(
  z.partial(
    z.omit(InitiateFields, {
      requestedBy: true,
      senderEmail: true,
      sendInvitations: true,
      remindEveryDays: true,
      recallAfterFailedProofs: true,
      document: true,
      documentId: true,
    }),
  ),
  {
    signRequestId: stringOf('signRequestId'),
  },
);
