import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Signers rarely collide (their writes do not depend on the request's version): what is left to retry is a write
 * that lost to a change stamped later than its own time, and a signature whose guess about being the last one
 * was wrong (another signature landed between its read and its write); each retry decides afresh.
 */
export const MAX_CONFLICT_ATTEMPTS = 8;

/**
 * A write refused only for its time is tried again at once, stamped just after the change it lost to; more tries
 * are needed only while other changes keep landing in between.
 */
export const CLOCK_ATTEMPTS = 5;

/**
 * How long to wait after the n-th refused attempt: jitter under 10 ms × n, growing with each one, so racers that
 * met once do not meet again. `random` is Math.random's kind: [0, 1).
 */
export const conflictPauseMs = (attempt: number, random: () => number = Math.random): number => random() * 10 * attempt;

/** After the n-th refused attempt: the pause above, slept. */
export const pauseAfterConflict = (attempt: number): Promise<void> => sleep(conflictPauseMs(attempt));
