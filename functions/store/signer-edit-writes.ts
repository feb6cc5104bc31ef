import { signerChangeRule, signerRemovalRule } from '../core/rules.ts';
import type { SignRequest } from '../core/sign-request.ts';
import type { SignerChangePlan, SignerRemovalPlan } from '../core/signer-change.ts';
import { LEAVE_EXPIRY_INDEX } from './close-writes.ts';
import { append, increment, remove, set, type UpdateAction } from './expressions.ts';
import type { SignRequestTable } from './sign-request-table.ts';
import type { WriteResult } from './write-result.ts';

/**
 * What every change of the signers writes: the former signers and every attribute derived from the signers, as
 * planned from the version read (the write lands on that version only, so they are rewritten whole, never counted
 * up or down), the time, the version, the history.
 */
const signersChanged = (plan: SignerChangePlan | SignerRemovalPlan): UpdateAction[] => [
  ...remove(['signers', plan.signerId]),
  set(['formerSigners'], plan.formerSigners),
  ...Object.entries(plan.derived).map(([name, value]) => set([name], value)),
  set(['updatedAt'], plan.at),
  increment(['version']),
  append(['history'], plan.history),
];

/**
 * A signer replaced (PATCH .../signers/{signerId}): the old signer leaves `signers` for `formerSigners`, the new
 * one joins under its new id, in one conditional write on the version read while the old signer has not acted
 * (core/rules.ts `signerChangeRule`). Landed, it answers the request as it is after the write.
 */
export const changeSigner = (
  table: SignRequestTable,
  plan: SignerChangePlan,
): Promise<WriteResult<{ request: SignRequest }>> =>
  table.updateAndRead(plan.signRequestId, {
    rule: signerChangeRule(plan),
    update: [set(['signers', plan.newSignerId], plan.newSigner), ...signersChanged(plan)],
  });

/**
 * A signer removed (DELETE .../signers/{signerId}), on `signerRemovalRule`. When everyone left has signed, the
 * same write completes the request and takes it out of the expiry index, as the completing signature does.
 */
export const removeSigner = (
  table: SignRequestTable,
  plan: SignerRemovalPlan,
): Promise<WriteResult<{ request: SignRequest }>> =>
  table.updateAndRead(plan.signRequestId, {
    rule: signerRemovalRule(plan),
    update: [...signersChanged(plan), ...(plan.completes ? [set(['status'], plan.status), ...LEAVE_EXPIRY_INDEX] : [])],
  });
