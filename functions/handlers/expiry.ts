import type { ScheduledEvent } from 'aws-lambda';
import { signRequests } from '../dependencies.ts';
import { logger } from '../logger.ts';

/** Per run, so one run stays well inside its timeout; the next run, minutes later, takes the rest. */
const MAX_PER_RUN = 500;
const PARALLEL_WRITES = 10;

/**
 * Closes every open request whose deadline has passed, each with the same one conditional write as a recall
 * (status EXPIRED). A request that a signature or a recall closes first is left alone: the condition refuses.
 */
export const expireDue = async (now: string): Promise<{ due: number; expired: number }> => {
  const due = await signRequests.dueForExpiry(now, MAX_PER_RUN);
  let expired = 0;
  for (let start = 0; start < due.length; start += PARALLEL_WRITES) {
    const outcomes = await Promise.all(
      due.slice(start, start + PARALLEL_WRITES).map((id) => signRequests.expire(id, now)),
    );
    expired += outcomes.filter(Boolean).length;
  }
  return { due: due.length, expired };
};

/** (primary adapter) Run on a schedule (an EventBridge rule every few minutes). */
export const handler = async (event: ScheduledEvent): Promise<{ due: number; expired: number }> => {
  const result = await expireDue(
    event.time ? new Date(Math.max(Date.parse(event.time), Date.now())).toISOString() : new Date().toISOString(),
  );
  if (result.due > 0) logger.info('expiry run', result);
  return result;
};
