import type { SignRequest } from '../core/sign-request.ts';
import { mayHaveLanded } from '../store/errors.ts';
import type { WriteResult } from '../store/write-result.ts';

/**
 * How many writes of one call may end with an unknown outcome before the call gives up (503): as many as the
 * store client's own attempts, so a store that keeps losing answers costs no more than the SDK would spend.
 */
export const MAX_UNKNOWN_OUTCOMES = 3;

/** Reads a sign request consistently: what a write's outcome is read back from. */
export interface ReadBack {
  get(id: string): Promise<SignRequest | undefined>;
}

/**
 * Settles the outcome of one call's conditional writes of sign requests, whatever the SDK still retries. A write
 * whose answer is lost (a reset, a timeout, a 500: it may or may not have landed) is read back, consistently,
 * and reported as a refusal with the request as it stands now: exactly what a retried write refused by its own
 * landed attempt reports. So each workflow's one way of deciding from a refusal's item serves here too: its own
 * change (by its callId, or by what it planned) answers as the landed write would have; no change of its own,
 * the write is planned and made again (with the same callId), within the workflow's bound. Without this, once a
 * brownout has spent the SDK's retry quota, a landed signature whose answer was lost would answer 503 and the
 * signer's retry 409 ALREADY_SIGNED.
 *
 * A store that stays unavailable still ends as 503: the write's own error goes up when the read-back fails too,
 * or after MAX_UNKNOWN_OUTCOMES lost answers in one call. One settler per call.
 */
export const settleWrites = (store: ReadBack) => {
  let unknown = 0;
  return async <Landed extends object>(
    signRequestId: string,
    write: () => Promise<WriteResult<Landed>>,
  ): Promise<WriteResult<Landed>> => {
    try {
      return await write();
    } catch (error) {
      if (!mayHaveLanded(error) || ++unknown > MAX_UNKNOWN_OUTCOMES) throw error;
      let current: SignRequest | undefined;
      try {
        current = await store.get(signRequestId);
      } catch {
        throw error;
      }
      return { ok: false, current };
    }
  };
};
