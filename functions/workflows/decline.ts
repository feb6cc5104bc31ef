import { isOwnDecline, planDecline, type DeclinePlan } from '../core/decline.ts';
import type { Evidence } from '../core/evidence.ts';
import { refusals } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { SigningToken } from '../core/signing-token.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { MAX_CONFLICT_ATTEMPTS, pauseAfterConflict } from './retry.ts';
import { settleWrite } from './unknown-outcome.ts';
import { proveSigner, type ProofDependencies, type SignerCredentials } from './signer-proof.ts';

export interface DeclineDependencies {
  signRequests: Pick<SignRequestStore, 'get' | 'decline'> & ProofDependencies['signRequests'];
  clock?: Clock;
  /** How a retry waits after the n-th refusal; tests pass their own to see the pauses without waiting. */
  pause?: (attempt: number) => Promise<void>;
}

/**
 * A signer declines: read (to check the link and refuse with the right reason), decide in core, then the one
 * conditional write a recall also uses, so a recall, a decline and the last signature racing each other leave
 * exactly one winner. A refused write is planned again from the request as it found it: a recall or signature
 * that got there first gives its refusal; this call's own decline (an earlier attempt landed, its answer lost)
 * answers as success.
 */
export const declineSignRequest = async (
  deps: DeclineDependencies,
  token: SigningToken,
  reason: string,
  evidence: Evidence = {},
  credentials: SignerCredentials = {},
): Promise<DeclinePlan> => {
  const clock = deps.clock ?? systemClock;
  const callId = newId();
  let current = await deps.signRequests.get(token.signRequestId);
  const proof = await proveSigner(deps, token, current, credentials, evidence);
  for (let attempt = 1; attempt <= MAX_CONFLICT_ATTEMPTS; attempt++) {
    const plan = planDecline(current, token, clock(), reason, callId, evidence, proof);
    const written = await settleWrite(
      deps.signRequests,
      plan.signRequestId,
      () => deps.signRequests.decline(plan.signRequestId, plan.record, plan.evidence, plan.proof),
      (found) => isOwnDecline(found, callId),
    );
    if (written.ok || isOwnDecline(written.current, callId)) return plan;
    current = written.current;
    if (attempt > 1) await (deps.pause ?? pauseAfterConflict)(attempt);
  }
  throw refusals.tooManyConflicts();
};
