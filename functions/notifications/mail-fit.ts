import { SignerStatus, SignRequestStatus, isOpen, statusAt, type SignRequest } from '../core/sign-request.ts';
import { isSignersTurn } from '../core/signing-order.ts';
import type { Mail } from './mail.ts';

/**
 * Whether a message still fits the request as it stands at `now`: the mailer asks just before each send, on a
 * consistent read, because an event's mail can go out long after the event (a queue backlog, a retry):
 * - an invitation or a reminder only while the request is open (not past its deadline) and its signer has not
 *   signed, and it is their turn in the signing order, so no signer is asked to sign a request recalled, declined,
 *   expired or completed, or signed already, or before their turn;
 * - a recall notice only while the request is cancelled and the recall asked to tell people;
 * - a decline or completion notice only while the request is declined or completed.
 * Closed states are final, so a notice that fits once fits for good; only an invitation or reminder can go stale.
 */
export const mailStillFits = (mail: Pick<Mail, 'kind' | 'signerId'>, request: SignRequest, now: string): boolean => {
  switch (mail.kind) {
    case 'INVITATION':
    case 'REMINDER': {
      const signer = mail.signerId === undefined ? undefined : request.signers[mail.signerId];
      return (
        isOpen(statusAt(request, now)) &&
        signer?.status === SignerStatus.Pending &&
        isSignersTurn(request, mail.signerId ?? '')
      );
    }
    case 'RECALLED':
      return request.status === SignRequestStatus.Cancelled && request.recall?.notifySigners !== false;
    case 'DECLINED':
      return request.status === SignRequestStatus.Declined;
    case 'COMPLETED':
      return request.status === SignRequestStatus.Completed;
    case 'SIGNING_CODE':
      // Sent at once by the call that stored it (never queued), on that call's own conditional write.
      return true;
  }
};
