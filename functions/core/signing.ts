import { newId } from './ids.ts';
import { refusals } from './errors.ts';
import {
  SignRequestStatus,
  SignerStatus,
  timeAfterLastChange,
  type HistoryEntry,
  type SignRequest,
  type Signer,
} from './sign-request.ts';
import { secretMatches, type SigningToken } from './signing-token.ts';

/**
 * A change to one signer of a request that is still open. It is written on conditions about that signer and
 * the request's state only, never on the request's version, so signers signing at once never wait on each other.
 */
export interface SignerChange {
  signRequestId: string;
  signerId: string;
  at: string;
  history: HistoryEntry[];
}

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
}

export type FirstViewPlan = SignerChange;

/** The request and signer a token opens, or the refusal a signer sees; checks the secret before anything else. */
export const openSigningLink = (
  request: SignRequest | undefined,
  token: SigningToken,
): { request: SignRequest; signer: Signer } => {
  const signer = request?.signers[token.signerId];
  if (!request || !signer || !secretMatches(token.secret, signer.tokenHash)) throw refusals.signingLinkNotFound();
  return { request, signer };
};

export const isPastDeadline = (request: SignRequest, now: string): boolean =>
  request.expiresAt !== undefined && Date.parse(now) >= Date.parse(request.expiresAt);

/** Refuses a signing link whose request was recalled, declined or has expired; each answers 410 Gone. */
export const assertLinkAlive = (request: SignRequest, now: string): void => {
  if (request.status === SignRequestStatus.Cancelled) {
    throw refusals.signingCancelled(request.recall?.at ?? request.updatedAt, request.recall?.reason ?? 'recalled');
  }
  if (request.status === SignRequestStatus.Declined) throw refusals.signingDeclined();
  if (request.status === SignRequestStatus.Expired || isPastDeadline(request, now)) throw refusals.signingExpired();
};

export const planSignature = (
  request: SignRequest | undefined,
  token: SigningToken,
  now: string,
  signedName: string | undefined,
  callId: string = newId(),
): SignaturePlan => {
  const { request: current, signer } = openSigningLink(request, token);
  assertLinkAlive(current, now);
  if (signer.status === SignerStatus.Signed) throw refusals.alreadySigned();
  if (current.status === SignRequestStatus.Completed || isFullySigned(current)) throw refusals.signingCompleted();
  const at = timeAfterLastChange(current, now);
  const completes = current.signedCount === current.signerCount - 1;
  return {
    signRequestId: token.signRequestId,
    signerId: token.signerId,
    at,
    history: [
      { at, event: 'SIGNED', signerId: token.signerId },
      ...(completes ? [{ at, event: 'COMPLETED' as const }] : []),
    ],
    signedName: signedName ?? signer.name,
    callId,
    lastButOne: current.signerCount - 1,
    completes,
  };
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
 * Every signer has signed. The signature that gets there marks the request COMPLETED in the same write; from it,
 * no recall, expiry or other signature can land (their conditions require signedCount < signerCount). Requests
 * signed by all before that was so may still await a separate completing write (see awaitsCompletion).
 */
export const isFullySigned = (request: SignRequest): boolean => request.signedCount >= request.signerCount;

/**
 * Signed by all, but not marked COMPLETED: left by a signer's function that stopped between the two writes a
 * last signature took before completion became one write. The next visit, the expiry run or the publisher
 * completes it.
 */
export const awaitsCompletion = (request: SignRequest): boolean =>
  request.status === SignRequestStatus.PartiallySigned && isFullySigned(request);

/** A signer opening their link: the first open of an open request is recorded once, later opens write nothing. */
export const planFirstView = (
  request: SignRequest | undefined,
  token: SigningToken,
  now: string,
): { request: SignRequest; signer: Signer; firstView?: FirstViewPlan } => {
  const { request: current, signer } = openSigningLink(request, token);
  assertLinkAlive(current, now);
  const at = timeAfterLastChange(current, now);
  const firstView =
    signer.viewedAt === undefined && signer.status === SignerStatus.Pending
      ? {
          signRequestId: token.signRequestId,
          signerId: token.signerId,
          at,
          history: [{ at, event: 'VIEWED' as const, signerId: token.signerId }],
        }
      : undefined;
  return { request: current, signer, firstView };
};
