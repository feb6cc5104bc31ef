import { refusals } from '../core/errors.ts';
import { recallRecord, recallRefusal, type RecallCommand } from '../core/recall.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { CLOCK_ATTEMPTS } from './retry.ts';

export interface RecallDependencies {
  signRequests: Pick<SignRequestStore, 'recall'>;
  clock?: Clock;
}

/**
 * The recall: one conditional write decides it. Refused, the request as it stood decides which refusal to give.
 * Only when a change stamped later than the recall's own time got there first is it written again, with a fresh
 * time: whoever wins, the history never runs backwards.
 */
export const recallSignRequest = async (deps: RecallDependencies, command: RecallCommand): Promise<void> => {
  const clock = deps.clock ?? systemClock;
  for (let attempt = 1; attempt <= CLOCK_ATTEMPTS; attempt++) {
    const at = clock();
    const written = await deps.signRequests.recall(command.signRequestId, command.appId, recallRecord(command, at));
    if (written.ok) return;
    const refusal = recallRefusal(written.current, command.appId, at);
    if (refusal) throw refusal;
  }
  throw refusals.tooManyConflicts();
};
