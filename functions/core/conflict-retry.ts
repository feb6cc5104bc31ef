import { setTimeout as sleep } from 'node:timers/promises';
import { refusals } from './errors.ts';

/** Enough for every signer of a large request signing in the same instant; past it the caller is told to retry. */
export const MAX_CONFLICT_ATTEMPTS = 8;

/**
 * Optimistic concurrency: `attempt` reads, decides and writes conditionally on the version it read; it
 * answers undefined when another write got there first. Each retry decides afresh from the new state, so a
 * signer racing a recall gets the recall's refusal, not a stale success. Jitter keeps racers from colliding again.
 */
export const retryOnConflict = async <T>(attempt: () => Promise<T | undefined>): Promise<T> => {
  for (let n = 1; n <= MAX_CONFLICT_ATTEMPTS; n++) {
    const result = await attempt();
    if (result !== undefined) return result;
    await sleep(Math.random() * 10 * n);
  }
  throw refusals.tooManyConflicts();
};
