import { newId } from './ids.ts';
import { refusals } from './errors.ts';
import {
  SignRequestStatus,
  SignerStatus,
  timeAfterLastChange,
  type DeclineRecord,
  type HistoryEntry,
  type SignRequest,
} from './sign-request.ts';
import { assertLinkAlive, isFullySigned, openSigningLink } from './signing.ts';
import type { SigningToken } from './signing-token.ts';

export interface DeclinePlan {
  signRequestId: string;
  record: DeclineRecord;
}

/**
 * A signer declines: planned from the request as read, refused exactly as a signature would be (recalled or
 * expired: 410; signed by this signer: 409 ALREADY_SIGNED; fully signed: 409), and a request this signer already
 * declined answers 409 ALREADY_DECLINED. The one conditional write (store `decline`) makes the plan true or fails.
 */
export const planDecline = (
  request: SignRequest | undefined,
  token: SigningToken,
  now: string,
  reason: string,
  callId: string = newId(),
): DeclinePlan => {
  const { request: current, signer } = openSigningLink(request, token);
  if (current.status === SignRequestStatus.Declined && current.decline?.signerId === token.signerId) {
    throw refusals.youDeclined();
  }
  assertLinkAlive(current, now);
  if (signer.status === SignerStatus.Signed) throw refusals.alreadySigned();
  if (current.status === SignRequestStatus.Completed || isFullySigned(current)) throw refusals.signingCompleted();
  return {
    signRequestId: token.signRequestId,
    record: { signerId: token.signerId, reason, at: timeAfterLastChange(current, now), callId },
  };
};

/** The refused write found this call's own decline: an earlier attempt landed and its answer was lost. */
export const isOwnDecline = (current: SignRequest | undefined, callId: string): boolean =>
  current?.status === SignRequestStatus.Declined && current.decline?.callId === callId;

export const declineHistoryEntry = (record: DeclineRecord): HistoryEntry => ({
  at: record.at,
  event: 'DECLINED',
  signerId: record.signerId,
});
