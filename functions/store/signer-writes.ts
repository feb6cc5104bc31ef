import { firstViewRule, signatureRule } from '../core/rules.ts';
import { SignRequestStatus, SignerStatus, type SignRequest } from '../core/sign-request.ts';
import type { FirstViewPlan, SignaturePlan } from '../core/signing.ts';
import { LEAVE_EXPIRY_INDEX } from './close-writes.ts';
import { add, append, increment, set } from './expressions.ts';
import type { SignRequestTable } from './sign-request-table.ts';
import type { WriteResult } from './write-result.ts';

/**
 * A signature: lands only while this signer has not signed, the request is open and not past its deadline, no
 * later change is on it, and the signed count is what the plan expects: below the last-but-one for a signature
 * that leaves the request partially signed, exactly the last-but-one for the one that completes it, which in
 * the same write marks it COMPLETED and takes it out of the expiry index (core/rules.ts `signatureRule`). Landed,
 * it answers the request as it is after the write.
 */
export const applySignature = (
  table: SignRequestTable,
  plan: SignaturePlan,
): Promise<WriteResult<{ request: SignRequest }>> => {
  const signer = (name: string) => ['signers', plan.signerId, name] as const;
  return table.updateAndRead(plan.signRequestId, {
    rule: signatureRule(plan),
    update: [
      set(signer('status'), SignerStatus.Signed),
      set(signer('signedAt'), plan.at),
      set(signer('signedName'), plan.signedName),
      set(signer('callId'), plan.callId),
      set(['status'], plan.completes ? SignRequestStatus.Completed : SignRequestStatus.PartiallySigned),
      set(['updatedAt'], plan.at),
      increment(['version']),
      append(['history'], plan.history),
      add(['signedCount'], 1),
      ...(plan.resetsFailedProofs ? [set(signer('failedProofs'), 0)] : []),
      ...(plan.completes ? LEAVE_EXPIRY_INDEX : []),
    ],
  });
};

/** Records a signer's first open of their link, once, while the request is open (core/rules.ts `firstViewRule`). */
export const recordFirstView = (table: SignRequestTable, plan: FirstViewPlan): Promise<WriteResult> =>
  table.update(plan.signRequestId, {
    rule: firstViewRule(plan),
    update: [
      set(['signers', plan.signerId, 'viewedAt'], plan.at),
      ...(plan.resetsFailedProofs ? [set(['signers', plan.signerId, 'failedProofs'], 0)] : []),
      set(['updatedAt'], plan.at),
      increment(['version']),
      append(['history'], plan.history),
    ],
  });
