import { refusals } from '../core/errors.ts';
import type { Evidence } from '../core/evidence.ts';
import type { SignRequest, Signer } from '../core/sign-request.ts';
import { planFirstView } from '../core/signing.ts';
import type { SigningToken } from '../core/signing-token.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { MAX_CONFLICT_ATTEMPTS, pauseAfterConflict } from './retry.ts';
import { settleWrite } from './unknown-outcome.ts';
import { proveSigner, resetAfterRightProof, type ProofDependencies, type SignerCredentials } from './signer-proof.ts';

export interface ViewDependencies {
  signRequests: Pick<SignRequestStore, 'get' | 'recordFirstView'> & ProofDependencies['signRequests'];
  clock?: Clock;
  /** How a retry waits after the n-th refusal; tests pass their own to see the pauses without waiting. */
  pause?: (attempt: number) => Promise<void>;
}

export interface SigningView {
  request: SignRequest;
  signer: Signer;
  /** When this signer first opened the link: now, if this is that first open. */
  viewedAt: string | undefined;
}

/**
 * A signer opens their link: the first open of an open request is recorded once, with one conditional write;
 * later opens write nothing. The first open's evidence rides on its VIEWED entry. A refused write is decided afresh from the request as it found it: one that finds
 * its own time as the signer's first view landed on an earlier attempt whose answer was lost; so did a write
 * whose answer was lost outright, read back (settleWrite).
 */
export const viewSigningLink = async (
  deps: ViewDependencies,
  token: SigningToken,
  evidence: Evidence = {},
  credentials: SignerCredentials = {},
): Promise<SigningView> => {
  const clock = deps.clock ?? systemClock;
  let current = await deps.signRequests.get(token.signRequestId);
  const proof = await proveSigner(deps, token, current, credentials, evidence);
  for (let attempt = 1; attempt <= MAX_CONFLICT_ATTEMPTS; attempt++) {
    const { request, signer, firstView } = planFirstView(current, token, clock(), evidence, proof);
    if (!firstView) {
      await resetAfterRightProof(deps, token, request, proof);
      return { request, signer, viewedAt: signer.viewedAt };
    }
    // Refused, the stored first view may be this call's own (an earlier attempt landed, its answer lost).
    const isOwn = (found: SignRequest | undefined) => found?.signers[token.signerId]?.viewedAt === firstView.at;
    const written = await settleWrite(
      deps.signRequests,
      firstView.signRequestId,
      () => deps.signRequests.recordFirstView(firstView),
      isOwn,
    );
    if (written.ok || isOwn(written.current)) {
      return { request, signer, viewedAt: firstView.at };
    }
    current = written.current;
    if (attempt > 1) await (deps.pause ?? pauseAfterConflict)(attempt);
  }
  throw refusals.tooManyConflicts();
};
