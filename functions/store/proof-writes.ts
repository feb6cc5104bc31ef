import {
  failedProofGuardsOf,
  proofResetGuardsOf,
  type FailedProofPlan,
  type ProofResetPlan,
} from '../core/failed-proof.ts';
import { SignRequestStatus } from '../core/sign-request.ts';
import { LEAVE_EXPIRY_INDEX } from './close-writes.ts';
import { append, increment, set } from './expressions.ts';
import type { SignRequestTable } from './sign-request-table.ts';
import type { WriteResult } from './write-result.ts';

/**
 * A wrong proof: ONE conditional write (core/rules.ts `failedProofRule`) that counts it (in a row and in all),
 * locks the signer at the fifth in a row, appends its AUTH_FAILED entry (the first MAX_RECORDED_FAILED_PROOFS of the
 * request) and, when it reaches the request's
 * `recallAfterFailedProofs`, recalls the request as an app's recall would (status, record, RECALLED entry, out of
 * the expiry index). So a signature racing it lands before it (and the count it was planned on is gone) or after
 * it (and meets the lock or the recall), never both.
 */
export const recordFailedProof = (table: SignRequestTable, plan: FailedProofPlan): Promise<WriteResult> => {
  const signer = (name: string) => ['signers', plan.signerId, name] as const;
  return table.update(plan.signRequestId, {
    rule: failedProofGuardsOf(plan),
    update: [
      set(signer('failedProofs'), plan.failedProofs),
      set(signer('failedProofsTotal'), plan.failedProofsTotal),
      set(signer('failedProofCallId'), plan.callId),
      ...(plan.lockedUntil ? [set(signer('lockedUntil'), plan.lockedUntil)] : []),
      ...(plan.recall
        ? [set(['status'], SignRequestStatus.Cancelled), set(['recall'], plan.recall), ...LEAVE_EXPIRY_INDEX]
        : []),
      set(['updatedAt'], plan.at),
      increment(['version']),
      append(['history'], plan.history),
    ],
  });
};

/** A right proof sets the wrong ones in a row back to 0 (core/rules.ts `proofResetRule`): nothing a reader sees. */
export const resetFailedProofs = (table: SignRequestTable, plan: ProofResetPlan): Promise<WriteResult> =>
  table.update(plan.signRequestId, {
    rule: proofResetGuardsOf(plan),
    update: [set(['signers', plan.signerId, 'failedProofs'], 0)],
  });
