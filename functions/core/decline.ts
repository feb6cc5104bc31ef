import { evidenceFields, type Evidence } from './evidence.ts';
import { newId } from './ids.ts';
import { refusalOf } from './guards.ts';
import { declineRule } from './rules.ts';
import {
  SignRequestStatus,
  timeAfterLastChange,
  type DeclineRecord,
  type HistoryEntry,
  type ProofKind,
  type SignRequest,
} from './sign-request.ts';
import { openSigningLink, proofGivenBy, type SignerProofGiven } from './signing.ts';
import type { SigningToken } from './signing-token.ts';

export interface DeclinePlan {
  signRequestId: string;
  record: DeclineRecord;
  /** Where the decline came from: written on its DECLINED history entry, not on the record. */
  evidence: Evidence;
  /** The proof the decliner gave, on the same entry; and whether the same write sets their wrong proofs to 0. */
  proof?: SignerProofGiven;
}

/**
 * A signer declines: planned from the request as read, refused exactly as a signature would be (recalled or
 * expired: 410; signed by this signer: 409 ALREADY_SIGNED; fully signed: 409), and a request this signer already
 * declined answers 409 ALREADY_DECLINED (core/rules.ts `declineRule`). The one conditional write (store `decline`)
 * makes the plan true or fails.
 */
export const planDecline = (
  request: SignRequest | undefined,
  token: SigningToken,
  now: string,
  reason: string,
  callId: string = newId(),
  evidence: Evidence = {},
  proof?: ProofKind,
): DeclinePlan => {
  const { request: current, signer } = openSigningLink(request, token);
  const at = timeAfterLastChange(current, now);
  const refusal = refusalOf(declineRule({ signerId: token.signerId, at }), current);
  if (refusal) throw refusal;
  return {
    signRequestId: token.signRequestId,
    record: { signerId: token.signerId, reason, at, callId },
    evidence,
    ...(proof ? { proof: proofGivenBy(signer, proof) } : {}),
  };
};

/** The refused write found this call's own decline: an earlier attempt landed and its answer was lost. */
export const isOwnDecline = (current: SignRequest | undefined, callId: string): boolean =>
  current?.status === SignRequestStatus.Declined && current.decline?.callId === callId;

export const declineHistoryEntry = (
  record: DeclineRecord,
  evidence: Evidence = {},
  proof?: ProofKind,
): HistoryEntry => ({
  at: record.at,
  event: 'DECLINED',
  signerId: record.signerId,
  ...evidenceFields(evidence),
  ...(proof ? { proof } : {}),
});
