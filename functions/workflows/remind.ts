import { refusals } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { isOwnReminder, remindedBefore, remindPlan, type RemindPlan } from '../core/remind.ts';
import { timeAfterLastChange } from '../core/sign-request.ts';
import { secondsToNextUtcDay, type MailCapStore } from '../store/mail-cap.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { CLOCK_ATTEMPTS } from './retry.ts';
import { settleWrite } from './unknown-outcome.ts';

export interface RemindDependencies {
  signRequests: Pick<SignRequestStore, 'get' | 'remind'>;
  mailCap: Pick<MailCapStore, 'take' | 'giveBack' | 'dailyCap'>;
  clock?: Clock;
}

/**
 * POST /v1/sign-requests/{id}/remind: reads the request, decides whom to remind (core/remind.ts), and marks them
 * reminded in one conditional write; its REMINDED entry becomes a SignersReminded event, which the mailer turns
 * into one reminder per signer. Refused, the request as it stood is planned again: a concurrent reminder that
 * landed first leaves nobody due, so this call answers 429 and nobody is mailed twice; a refusal that finds this
 * call's own reminder (its answer lost, the SDK's retry refused) answers as the attempt that landed would have.
 */
export const remindSigners = async (
  deps: RemindDependencies,
  signRequestId: string,
  appId: string,
): Promise<RemindPlan & { at: string }> => {
  const clock = deps.clock ?? systemClock;
  const callId = newId();
  let request = await deps.signRequests.get(signRequestId);
  for (let attempt = 1; attempt <= CLOCK_ATTEMPTS; attempt++) {
    const now = clock();
    const decided = remindPlan(request, appId, now);
    if ('refusal' in decided) throw decided.refusal;
    const at = request ? timeAfterLastChange(request, now) : now;
    // Counted against the app's daily mail cap before the write; given back when the write is refused.
    if (!(await deps.mailCap.take(appId, decided.plan.due.length, at)))
      throw refusals.mailCapReached(deps.mailCap.dailyCap, secondsToNextUtcDay(at));
    const write = { signRequestId, appId, signerIds: decided.plan.due, at, remindedBefore: remindedBefore(at), callId };
    const written = await settleWrite(
      deps.signRequests,
      signRequestId,
      () => deps.signRequests.remind(write),
      (found) => isOwnReminder(found, callId),
    );
    if (written.ok || isOwnReminder(written.current, callId)) return { ...decided.plan, at };
    await deps.mailCap.giveBack(appId, decided.plan.due.length, at);
    request = written.current;
  }
  throw refusals.tooManyConflicts();
};
