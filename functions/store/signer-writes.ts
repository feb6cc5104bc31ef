import type { CodeSendPlan } from '../core/email-code.ts';
import { codeSendRule, firstViewRule, signatureRule } from '../core/rules.ts';
import { SignRequestStatus, SignerStatus, type SignRequest } from '../core/sign-request.ts';
import type { FirstViewPlan, SignaturePlan } from '../core/signing.ts';
import { LEAVE_EXPIRY_INDEX } from './close-writes.ts';
import { add, append, increment, set, type UpdateAction } from './expressions.ts';
import type { SignRequestTable } from './sign-request-table.ts';
import type { WriteResult } from './write-result.ts';

/**
 * A signature: lands only while this signer has not signed, the request is open and not past its deadline, no
 * later change is on it, and the signed count is what the plan expects: below the last-but-one for a signature
 * that leaves the request partially signed, exactly the last-but-one for the one that completes it, which in
 * the same write marks it COMPLETED and takes it out of the expiry index (core/rules.ts `signatureRule`); only in
 * the signer's turn, and the one that completes its group invites the next in the same write. Landed,
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
      ...groupUpdate(plan),
      ...(plan.resetsFailedProofs ? [set(signer('failedProofs'), 0)] : []),
      ...(plan.completes ? LEAVE_EXPIRY_INDEX : []),
    ],
  });
};

/**
 * The signing order's part of a signature: one fewer of its group pending, or, for the signature that completes
 * its group, the next group's turn (its INVITED entry rides in the plan's history). Nothing on a request from
 * before signing order.
 */
const groupUpdate = (plan: SignaturePlan): UpdateAction[] => {
  if (plan.group === undefined) return [];
  const next = plan.group.next;
  if (next === undefined) return [add(['currentGroupPending'], -1)];
  return [set(['currentOrder'], next.order), set(['currentGroupPending'], next.signerIds.length)];
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

/**
 * Stores a signer's new one-time code (core/rules.ts `codeSendRule`): its hash and expiry over the previous
 * code's, so only the newest works, and its time in `sentAt`, in the place the plan took. Neither `updatedAt` nor
 * `version` moves: a code changes nothing an app reads, so it spoils no If-Match and delays no other write.
 */
export const storeEmailCode = (table: SignRequestTable, plan: CodeSendPlan): Promise<WriteResult> => {
  const emailCode = (...path: (string | number)[]) => ['signers', plan.signerId, 'emailCode', ...path] as const;
  return table.update(plan.signRequestId, {
    rule: codeSendRule(plan),
    update:
      plan.slot === undefined
        ? [set(emailCode(), { hash: plan.hash, expiresAt: plan.expiresAt, sentAt: [plan.at] })]
        : [
            set(emailCode('hash'), plan.hash),
            set(emailCode('expiresAt'), plan.expiresAt),
            set(emailCode('sentAt', plan.slot), plan.at),
          ],
  });
};
