import { leaveReminderIndexRule, reminderRule } from '../core/rules.ts';
import type { HistoryEntry } from '../core/sign-request.ts';
import { append, increment, remove, set, type UpdateAction } from './expressions.ts';
import { reminderIndexKey } from './keys.ts';
import type { SignRequestTable } from './sign-request-table.ts';
import { Gsi3 } from './table.ts';
import type { WriteResult } from './write-result.ts';

/** What a reminder writes: who, when, and (for the automatic reminders) when the next falls due. */
export interface ReminderWrite {
  signRequestId: string;
  appId: string;
  signerIds: readonly string[];
  at: string;
  /** A signer reminded at or before this may be reminded again (an hour before `at`). */
  remindedBefore: string;
  nextReminderAt?: string;
  /** Marks the REMINDED entry as this call's, so a retried write that finds it knows it landed (core/remind.ts). */
  callId?: string;
}

/** The next automatic reminder's time, and the request's place in the reminder index by it. */
const nextReminder = (signRequestId: string, nextReminderAt: string): UpdateAction[] => {
  const index = reminderIndexKey(nextReminderAt, signRequestId);
  return [
    set(['nextReminderAt'], nextReminderAt),
    set([Gsi3.partitionKey], index.gsi3pk),
    set([Gsi3.sortKey], index.gsi3sk),
  ];
};

/**
 * A reminder: marks each signer reminded, with a REMINDED history entry (whose event makes the mail), in one
 * conditional write that lands only while the request is the app's, open, before its deadline, and each of
 * these signers has not signed and was not reminded since `remindedBefore` (core/rules.ts `reminderRule`). Two
 * reminders at once cannot both land for a signer: the second finds the first's time and is refused, so a signer
 * is mailed once. With no signers, only the next reminder's time moves.
 */
export const remind = (table: SignRequestTable, write: ReminderWrite): Promise<WriteResult> => {
  const entry: HistoryEntry = {
    at: write.at,
    event: 'REMINDED',
    signerIds: [...write.signerIds],
    ...(write.callId ? { callId: write.callId } : {}),
  };
  const reminds = write.signerIds.length > 0;
  return table.update(write.signRequestId, {
    rule: reminderRule(write),
    update: [
      ...write.signerIds.map((signerId) => set(['signers', signerId, 'lastRemindedAt'], write.at)),
      ...(write.nextReminderAt ? nextReminder(write.signRequestId, write.nextReminderAt) : []),
      ...(reminds ? [set(['updatedAt'], write.at), increment(['version']), append(['history'], [entry])] : []),
    ],
  });
};

/** A closed request leaves the reminder index (the reminder job finds it there once, and takes it out). */
export const leaveReminderIndex = (table: SignRequestTable, id: string): Promise<WriteResult> =>
  table.update(id, {
    rule: leaveReminderIndexRule,
    update: remove([Gsi3.partitionKey], [Gsi3.sortKey], ['nextReminderAt']),
  });
