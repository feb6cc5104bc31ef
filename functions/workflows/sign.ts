import { refusals } from '../core/errors.ts';
import { SignRequestStatus, type SignRequest } from '../core/sign-request.ts';
import { awaitsCompletion, isFullySigned, planSignature, type SignaturePlan } from '../core/signing.ts';
import type { SigningToken } from '../core/signing-token.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { MAX_CONFLICT_ATTEMPTS, pauseAfterConflict } from './retry.ts';

export interface SignDependencies {
  signRequests: Pick<SignRequestStore, 'get' | 'applySignature' | 'complete'>;
  clock?: Clock;
}

export interface Signature {
  plan: SignaturePlan;
  /** The request's status once this signature (and the completion it may bring) has landed. */
  status: SignRequestStatus;
}

/** The completing write is stamped no earlier than the signature it follows, whatever this clock says. */
const completionTime = (request: SignRequest, clock: Clock): string =>
  new Date(Math.max(Date.parse(clock()), Date.parse(request.updatedAt))).toISOString();

/**
 * A signature: read, decide in core, then one conditional write that a recall, an expiry or a second signature
 * by the same signer makes fail; each retry decides afresh from the request as the refused write found it, so a
 * signer racing a recall gets the recall's refusal, not a stale success. The signature that makes the request
 * signed by all completes it with a second write; nothing else can land on a request signed by all, so a recall
 * can never come between the two.
 */
export const signSignRequest = async (
  deps: SignDependencies,
  token: SigningToken,
  signedName: string | undefined,
): Promise<Signature> => {
  const clock = deps.clock ?? systemClock;
  let current = await deps.signRequests.get(token.signRequestId);
  for (let attempt = 1; attempt <= MAX_CONFLICT_ATTEMPTS; attempt++) {
    // A signer's function that stopped between the two writes leaves this for the next visit to finish.
    if (current && awaitsCompletion(current))
      await deps.signRequests.complete(current.id, completionTime(current, clock));
    const plan = planSignature(current, token, clock(), signedName);
    const written = await deps.signRequests.applySignature(plan);
    if (written.ok) {
      const signed = written.request;
      if (!isFullySigned(signed)) return { plan, status: signed.status };
      await deps.signRequests.complete(signed.id, completionTime(signed, clock));
      return { plan, status: SignRequestStatus.Completed };
    }
    current = written.current;
    await pauseAfterConflict(attempt);
  }
  throw refusals.tooManyConflicts();
};
