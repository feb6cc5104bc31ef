import { refusals } from '../core/errors.ts';
import type { Evidence } from '../core/evidence.ts';
import { newId } from '../core/ids.ts';
import type { SignRequestStatus } from '../core/sign-request.ts';
import { ownSignature, planSignature, type SignaturePlan } from '../core/signing.ts';
import type { SigningToken } from '../core/signing-token.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { MAX_CONFLICT_ATTEMPTS, pauseAfterConflict } from './retry.ts';
import { settleWrite } from './unknown-outcome.ts';
import { proveSigner, type ProofDependencies, type SignerCredentials } from './signer-proof.ts';

export interface SignDependencies {
  signRequests: Pick<SignRequestStore, 'get' | 'applySignature'> & ProofDependencies['signRequests'];
  clock?: Clock;
  /** How a retry waits after the n-th refusal; tests pass their own to see the pauses without waiting. */
  pause?: (attempt: number) => Promise<void>;
}

export interface Signature {
  plan: SignaturePlan;
  /** The request's status once this signature (and the completion it may bring) has landed. */
  status: SignRequestStatus;
}

/**
 * A signature: read, decide in core, then one conditional write that a recall, an expiry, a second signature by
 * the same signer, or another signer who got there first makes fail; each retry decides afresh from the request
 * as the refused write found it, so a signer racing a recall gets the recall's refusal, not a stale success. The
 * signature that makes the request signed by all completes it in the same write, so nothing is ever left half
 * done. A refusal that finds this call's own signature (an earlier attempt landed, its answer lost) answers as
 * that attempt did; so does a write whose answer was lost outright, read back (settleWrite). The caller's
 * evidence rides on the SIGNED entry of that same write.
 */
export const signSignRequest = async (
  deps: SignDependencies,
  token: SigningToken,
  signedName: string | undefined,
  evidence: Evidence = {},
  credentials: SignerCredentials = {},
): Promise<Signature> => {
  const clock = deps.clock ?? systemClock;
  const callId = newId();
  let current = await deps.signRequests.get(token.signRequestId);
  // The proof first (core/rules.ts keeps a locked signer from signing in the store too): its kind rides on SIGNED.
  const proof = await proveSigner(deps, token, current, credentials, evidence);
  for (let attempt = 1; attempt <= MAX_CONFLICT_ATTEMPTS; attempt++) {
    const plan = planSignature(current, token, clock(), signedName, callId, evidence, proof);
    const written = await settleWrite(
      deps.signRequests,
      plan.signRequestId,
      () => deps.signRequests.applySignature(plan),
      (found) => ownSignature(found, plan) !== undefined,
    );
    if (written.ok) return { plan, status: written.request.status };
    const own = ownSignature(written.current, plan);
    if (own) return { plan, status: own };
    current = written.current;
    // The first refusal is planned again at once from `current` (most often a write that lost only on time, or
    // a wrong guess about being last); later ones pause with growing jitter, so racers that met once part.
    if (attempt > 1) await (deps.pause ?? pauseAfterConflict)(attempt);
  }
  throw refusals.tooManyConflicts();
};
