import { newId } from './ids.ts';
import { DomainError, refusals } from './errors.ts';
import { evidenceFields, type Evidence } from './evidence.ts';
import { explain, refusalOf } from './guards.ts';
import { firstViewRule, signatureRule } from './rules.ts';
import {
  SignRequestStatus,
  SignerStatus,
  timeAfterLastChange,
  type HistoryEntry,
  type ProofKind,
  type SignRequest,
  type Signer,
} from './sign-request.ts';
import { secretMatches, type SigningToken } from './signing-token.ts';
import { groupStep, type GroupStep } from './signing-order.ts';

/**
 * A change to one signer of a request that is still open. It is written on conditions about that signer and
 * the request's state only, never on the request's version, so signers signing at once never wait on each other.
 */
interface SignerChange extends SignerProofGiven {
  signRequestId: string;
  signerId: string;
  at: string;
  history: HistoryEntry[];
}

/**
 * The proof a signer gave for an act (absent: none was asked), recorded on the act's entry; and whether the act's
 * own write sets the signer's wrong proofs in a row back to 0 (a right proof does, and the act is its write).
 */
export interface SignerProofGiven {
  proof?: ProofKind;
  resetsFailedProofs?: true;
}

/** What an act of `signer` records of the proof they gave. */
export const proofGivenBy = (signer: Signer, proof: ProofKind | undefined): SignerProofGiven => ({
  ...(proof ? { proof } : {}),
  ...(proof && (signer.failedProofs ?? 0) > 0 ? { resetsFailedProofs: true as const } : {}),
});

export interface SignaturePlan extends SignerChange {
  signedName: string;
  /** The token of this call, written into the signer's entry so a retried write recognises its own signature. */
  callId: string;
  /**
   * The request's signer count less one: the signed count this signature expects at most (at most this less
   * one, unless it completes).
   */
  lastButOne: number;
  /**
   * This signature is the last one: its one write also marks the request COMPLETED. Planned from the request as
   * read; a guess proven wrong by the store (another signer got there first) is planned again from what it found.
   */
  completes: boolean;
  /**
   * Its step in the signing order (absent on requests from before it): whether it completes its group, and the
   * next group it then invites in the same write (an INVITED entry among `history`).
   */
  group?: GroupStep;
}

export type FirstViewPlan = SignerChange;

/**
 * The request and signer a token opens, or the refusal a signer sees; checks the secret before anything else. The
 * link of a signer the app changed or removed answers 410 SIGNING_LINK_REPLACED, but only once its secret matched
 * that former signer's: a forged token learns nothing, and stays 404.
 */
export const openSigningLink = (
  request: SignRequest | undefined,
  token: SigningToken,
): { request: SignRequest; signer: Signer } => {
  const signer = request?.signers[token.signerId];
  if (request && signer && secretMatches(token.secret, signer.tokenHash)) return { request, signer };
  const former = request?.formerSigners?.[token.signerId];
  if (!signer && former && secretMatches(token.secret, former.tokenHash)) throw refusals.signingLinkReplaced();
  throw refusals.signingLinkNotFound();
};

/**
 * A signature planned from the request as read, at the time it would be stamped; refused (thrown) by the first
 * guard of its rule that request fails (core/rules.ts `signatureRule`), after the token's own check. Its SIGNED
 * entry carries the caller's evidence and the hash of the document the request carries (the one the signer was
 * shown: a request's document never changes), so the signature's one write records them with it.
 */
export const planSignature = (
  request: SignRequest | undefined,
  token: SigningToken,
  now: string,
  signedName: string | undefined,
  callId: string = newId(),
  evidence: Evidence = {},
  proof?: ProofKind,
): SignaturePlan => {
  const { request: current, signer } = openSigningLink(request, token);
  const at = timeAfterLastChange(current, now);
  const completes = current.signedCount === current.signerCount - 1;
  const group = groupStep(current, token.signerId);
  // Read defensively: a request stored without a document (or before documents existed) has no hash to record.
  const documentSha256 = current.document?.sha256;
  const plan: SignaturePlan = {
    signRequestId: token.signRequestId,
    signerId: token.signerId,
    at,
    history: [
      {
        at,
        event: 'SIGNED',
        signerId: token.signerId,
        ...evidenceFields(evidence),
        ...(documentSha256 ? { documentSha256 } : {}),
        ...(proof ? { proof } : {}),
      },
      ...(group?.next ? [{ at, event: 'INVITED' as const, signerIds: group.next.signerIds }] : []),
      ...(completes ? [{ at, event: 'COMPLETED' as const }] : []),
    ],
    signedName: signedName ?? signer.name,
    callId,
    lastButOne: current.signerCount - 1,
    completes,
    ...(group ? { group } : {}),
    ...proofGivenBy(signer, proof),
  };
  const refusal = refusalOf(signatureRule(plan), current);
  if (refusal) throw refusal;
  return plan;
};

/**
 * The refused write found this call's own signature: an earlier attempt landed and its answer was lost. It
 * answers as that attempt would have: the status its write set.
 */
export const ownSignature = (current: SignRequest | undefined, plan: SignaturePlan): SignRequestStatus | undefined => {
  const signer = current?.signers[plan.signerId];
  if (signer?.status !== SignerStatus.Signed || signer.callId !== plan.callId) return undefined;
  return plan.completes ? SignRequestStatus.Completed : SignRequestStatus.PartiallySigned;
};

/**
 * A signer opening their link: refused (thrown) as the first view's rule says (core/rules.ts `firstViewRule`);
 * the first open of an open request by a pending signer is recorded once, with that open's evidence; later opens
 * write nothing.
 */
export const planFirstView = (
  request: SignRequest | undefined,
  token: SigningToken,
  now: string,
  evidence: Evidence = {},
  proof?: ProofKind,
): { request: SignRequest; signer: Signer; firstView?: FirstViewPlan } => {
  const { request: current, signer } = openSigningLink(request, token);
  const at = timeAfterLastChange(current, now);
  const explained = explain(firstViewRule({ signerId: token.signerId, at }), current);
  if (explained instanceof DomainError) throw explained;
  if (explained === 'unneeded') return { request: current, signer };
  const firstView = {
    signRequestId: token.signRequestId,
    signerId: token.signerId,
    at,
    history: [
      {
        at,
        event: 'VIEWED' as const,
        signerId: token.signerId,
        ...evidenceFields(evidence),
        ...(proof ? { proof } : {}),
      },
    ],
    ...proofGivenBy(signer, proof),
  };
  return { request: current, signer, firstView };
};
