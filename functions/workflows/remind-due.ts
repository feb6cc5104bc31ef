import { newId } from '../core/ids.ts';
import { isOwnReminder, remindedBefore, remindPlan } from '../core/remind.ts';
import { isOpen, statusAt, timeAfterLastChange, type SignRequest } from '../core/sign-request.ts';
import type { MailCapStore } from '../store/mail-cap.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';

const DAY_MS = 86_400_000;
/** Per run, as the expiry job: the next run, minutes later, takes the rest. */
const MAX_PER_RUN = 5_000;

export interface ReminderRunDependencies {
  signRequests: Pick<SignRequestStore, 'dueForReminder' | 'get' | 'remind' | 'leaveReminderIndex'>;
  mailCap: Pick<MailCapStore, 'take' | 'giveBack'>;
}

export interface ReminderRun {
  due: number;
  /** Requests whose signers were reminded this run (one SignersReminded event each). */
  reminded: number;
  /** Closed requests taken out of the reminder index. */
  left: number;
  /** Requests whose reminder this period was skipped: the app had reached its daily mail cap. */
  capped: number;
}

/** The next reminder after one due at `due`: a period later, and never already past (after a pause of the job). */
const nextAfter = (request: SignRequest, now: string): string => {
  const period = (request.remindEveryDays ?? 1) * DAY_MS;
  const from = Date.parse(request.nextReminderAt ?? now) + period;
  return new Date(from > Date.parse(now) ? from : Date.parse(now) + period).toISOString();
};

/**
 * The automatic reminders (`remindEveryDays` on initiate), run by the scheduled job beside expiry: each request
 * due in the reminder index gets the same one conditional write as POST .../remind, with the next due time, so
 * its signers are mailed through the same event and nobody is reminded twice within the hour. A signer the app
 * reminded within the hour is left out; when that is everyone, only the next due time moves. A closed request
 * leaves the index. A write refused (a signature or a reminder landed in between) is left for the next run.
 */
export const remindDueRequests = async (deps: ReminderRunDependencies, now: string): Promise<ReminderRun> => {
  const run: ReminderRun = { due: 0, reminded: 0, left: 0, capped: 0 };
  for await (const id of deps.signRequests.dueForReminder(now)) {
    run.due++;
    const request = await deps.signRequests.get(id);
    if (!request) continue;
    if (!isOpen(statusAt(request, now)) || request.signedCount >= request.signerCount) {
      if ((await deps.signRequests.leaveReminderIndex(id)).ok) run.left++;
    } else {
      const decided = remindPlan(request, request.appId, now);
      const at = timeAfterLastChange(request, now);
      const planned = 'plan' in decided ? decided.plan.due : [];
      // Over the app's daily mail cap, this period's reminder is skipped: only the next due time moves.
      const allowed = await deps.mailCap.take(request.appId, planned.length, at);
      if (!allowed) run.capped++;
      const signerIds = allowed ? planned : [];
      const callId = newId();
      const written = await deps.signRequests.remind({
        signRequestId: id,
        appId: request.appId,
        signerIds,
        at,
        remindedBefore: remindedBefore(at),
        nextReminderAt: nextAfter(request, now),
        callId,
      });
      // A refusal that finds this run's own reminder (its answer lost) landed: its mail goes, so its count stays.
      const landed = written.ok || isOwnReminder(written.current, callId);
      if (landed && signerIds.length > 0) run.reminded++;
      if (!landed) await deps.mailCap.giveBack(request.appId, signerIds.length, at);
    }
    if (run.due >= MAX_PER_RUN) break;
  }
  return run;
};
