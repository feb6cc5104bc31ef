import type { SignRequest } from '../core/sign-request.ts';
import { mayHaveLanded } from '../store/errors.ts';
import type { WriteResult } from '../store/write-result.ts';

/** Reads a sign request consistently: what a write's outcome is read back from. */
export interface ReadBack {
  get(id: string): Promise<SignRequest | undefined>;
}

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
 * hung store is waited for, and one read more is all this adds.
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
      current = await store.get(signRequestId);
    } catch {
      throw error;
    }
    if (!isOwn(current)) throw error;
    return { ok: false, current };
  }
};
