import type { SignRequest } from '../core/sign-request.ts';
import { mayHaveLanded } from '../runtime/unavailable.ts';
import type { WriteResult } from '../store/write-result.ts';

/** Reads a sign request consistently: what a write's outcome is read back from. */
export interface ReadBack {
  get(id: string): Promise<SignRequest | undefined>;
}

/**
 * The longest a read-back is waited for: one store request's timeout (STORE_CALL_LIMITS.requestTimeoutMs). A hung
 * store has already cost the write the SDK's attempts (at most 11.1 s); with this the call still ends inside the
 * functions' 15 s timeout, as 503.
 */
export const READ_BACK_LIMIT_MS = 2_500;

/** The request as it stands now, or the read's failure; no later than `READ_BACK_LIMIT_MS`. */
const readBack = async (store: ReadBack, signRequestId: string): Promise<SignRequest | undefined> => {
  const read = store.get(signRequestId);
  // A read given up on may still fail later: nobody waits for it any more.
  read.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the read-back took too long')), READ_BACK_LIMIT_MS);
  });
  try {
    return await Promise.race([read, limit]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * One conditional write of a sign request whose outcome the workflow learns whatever the SDK still retries. When
 * its answer is lost (a reset, a timeout, a 500: it may or may not have landed), the request is read back,
 * consistently: if it shows this call's own change (`isOwn`: by the call's callId, or by what it planned), the
 * write is reported as a refusal with that request, exactly what a retried write refused by its own landed
 * attempt reports, so the workflow's one way of recognising its own change answers as the landed write would
 * have. Otherwise (it did not land, or the read fails too) the write's own error goes up: 503, as before.
 *
 * Without it, once a brownout has spent the SDK's retry quota, a landed signature whose answer was lost answered
 * 503 and the signer's retry 409 ALREADY_SIGNED. It retries nothing itself: the SDK's attempts bound how long a
 * hung store is waited for, and one read more (within READ_BACK_LIMIT_MS) is all this adds.
 */
export const settleWrite = async <Landed extends object>(
  store: ReadBack,
  signRequestId: string,
  write: () => Promise<WriteResult<Landed>>,
  isOwn: (current: SignRequest | undefined) => boolean,
): Promise<WriteResult<Landed>> => {
  try {
    return await write();
  } catch (error) {
    if (!mayHaveLanded(error)) throw error;
    let current: SignRequest | undefined;
    try {
      current = await readBack(store, signRequestId);
    } catch {
      throw error;
    }
    if (!isOwn(current)) throw error;
    return { ok: false, current };
  }
};
