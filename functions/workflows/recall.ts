import { refusals } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { isOwnRecall, recallRecord, recallRefusal, type RecallCommand } from '../core/recall.ts';
import { timeAfterLastChange } from '../core/sign-request.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { CLOCK_ATTEMPTS } from './retry.ts';
import { settleWrite } from './unknown-outcome.ts';

export interface RecallDependencies {
  signRequests: Pick<SignRequestStore, 'recall' | 'get'>;
  clock?: Clock;
}

/**
 * The recall: one conditional write decides it. Refused, the request as it stood decides: this call's own recall
 * (an earlier attempt of the write landed and its answer was lost) answers as success; anything else gives its
 * refusal; a write that lost only to a change stamped later than its own time is written again at once, stamped
 * just after that change, so whoever wins, the history never runs backwards. `callId` marks the write as this
 * call's: one per call, or the same for every retry of a call that carries an Idempotency-Key.
 */
export const recallSignRequest = async (
  deps: RecallDependencies,
  command: RecallCommand,
  callId: string = newId(),
): Promise<void> => {
  const clock = deps.clock ?? systemClock;
  let at = clock();
  for (let attempt = 1; attempt <= CLOCK_ATTEMPTS; attempt++) {
    const record = recallRecord(command, at, callId);
    const written = await settleWrite(
      deps.signRequests,
      command.signRequestId,
      () =>
        deps.signRequests.recall(
          command.signRequestId,
          command.appId,
          record,
          command.expectedVersions,
          command.evidence,
        ),
      (found) => isOwnRecall(found, callId),
    );
    // Its own recall first: the landed attempt moved the version, so a retry would otherwise fail its If-Match.
    if (written.ok || isOwnRecall(written.current, callId)) return;
    const refusal = recallRefusal(written.current, command.appId, at, command.expectedVersions);
    if (refusal) throw refusal;
    at = written.current ? timeAfterLastChange(written.current, clock()) : clock();
  }
  throw refusals.tooManyConflicts();
};
