import { setTimeout as sleep } from 'node:timers/promises';
import { refusals } from './errors.ts';

/**
 * Signers no longer collide with each other (their writes do not depend on the request's version); what is left
 * to retry is a write that lost to a change stamped later than its own time, which a fresh time resolves.
 */
export const MAX_CONFLICT_ATTEMPTS = 8;

/**
 * `attempt` reads, decides and writes conditionally; it answers undefined when its condition refused it. Each
 * retry decides afresh from the new state, so a signer racing a recall gets the recall's refusal, not a stale
 * success. Jitter keeps racers from meeting again.
 */
export const retryOnConflict = async <T>(attempt: () => Promise<T | undefined>): Promise<T> => {
  for (let n = 1; n <= MAX_CONFLICT_ATTEMPTS; n++) {
    const result = await attempt();
    if (result !== undefined) return result;
    await sleep(Math.random() * 10 * n);
  }
  throw refusals.tooManyConflicts();
};
