import { refusals } from './errors.ts';
import { SignRequestStatus, SignerStatus, type HistoryEntry, type SignRequest, type Signer } from './sign-request.ts';
import { secretMatches, type SigningToken } from './signing-token.ts';

/** A change to one signer, to be written only if the request is still at `expectedVersion`. */
export interface SignerChange {
  signRequestId: string;
  signerId: string;
  expectedVersion: number;
  at: string;
  history: HistoryEntry[];
}

export interface SignaturePlan extends SignerChange {
  signedName: string;
  signedCount: number;
  newStatus: SignRequestStatus;
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
  if (current.status === SignRequestStatus.Completed) throw refusals.signingCompleted();

  const signedCount = current.signedCount + 1;
  const newStatus =
    signedCount >= current.signerCount ? SignRequestStatus.Completed : SignRequestStatus.PartiallySigned;
  const history: HistoryEntry[] = [{ at: now, event: 'SIGNED', signerId: token.signerId }];
  if (newStatus === SignRequestStatus.Completed) history.push({ at: now, event: 'COMPLETED' });
  return {
    signRequestId: token.signRequestId,
    signerId: token.signerId,
    expectedVersion: current.version,
    at: now,
    history,
    signedName: signedName ?? signer.name,
    signedCount,
    newStatus,
  };
};

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
          expectedVersion: current.version,
          at: now,
          history: [{ at: now, event: 'VIEWED' as const, signerId: token.signerId }],
        }
      : undefined;
  return { request: current, signer, firstView };
};
