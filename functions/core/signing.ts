import { refusals } from './errors.ts';
import { SignRequestStatus, SignerStatus, type HistoryEntry, type SignRequest, type Signer } from './sign-request.ts';
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

const isPastDeadline = (request: SignRequest, now: string): boolean =>
  request.expiresAt !== undefined && Date.parse(now) >= Date.parse(request.expiresAt);

/** Refuses a signing link whose request was recalled or has expired; both answer 410 Gone. */
const assertLinkAlive = (request: SignRequest, now: string): void => {
  if (request.status === SignRequestStatus.Cancelled) {
    throw refusals.signingCancelled(request.recall?.at ?? request.updatedAt, request.recall?.reason ?? 'recalled');
  }
  if (request.status === SignRequestStatus.Expired || isPastDeadline(request, now)) throw refusals.signingExpired();
};

export const planSignature = (
  request: SignRequest | undefined,
  token: SigningToken,
  now: string,
  signedName: string | undefined,
): SignaturePlan => {
  const { request: current, signer } = openSigningLink(request, token);
  assertLinkAlive(current, now);
  if (signer.status === SignerStatus.Signed) throw refusals.alreadySigned();
  if (current.status === SignRequestStatus.Completed || isFullySigned(current)) throw refusals.signingCompleted();
  return {
    signRequestId: token.signRequestId,
    signerId: token.signerId,
    at: now,
    history: [{ at: now, event: 'SIGNED', signerId: token.signerId }],
    signedName: signedName ?? signer.name,
  };
};

/**
 * Every signer has signed. The signature that gets there marks the request COMPLETED in a second write; from the
 * first, no recall, expiry or other signature can land (their conditions require signedCount < signerCount).
 */
export const isFullySigned = (request: SignRequest): boolean => request.signedCount >= request.signerCount;

/** Signed by all, but the completing write has not landed yet (it follows at once, or on the next visit). */
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
  const firstView =
    signer.viewedAt === undefined && signer.status === SignerStatus.Pending
      ? {
          signRequestId: token.signRequestId,
          signerId: token.signerId,
          at: now,
          history: [{ at: now, event: 'VIEWED' as const, signerId: token.signerId }],
        }
      : undefined;
  return { request: current, signer, firstView };
};
