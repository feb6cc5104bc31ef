import { randomInt } from 'node:crypto';
import { onTestFailed } from 'vitest';

/** mulberry32: a tiny seeded generator, so a run's random choices are replayed exactly from its seed. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/**
 * The seed `variable` names (to replay a failed run), else a fresh one, so every run tries other choices.
 * Either way a failure of the running test prints the seed with the command line that replays it.
 */
export const seedOfThisTest = (variable: string): number => {
  const given = process.env[variable];
  if (given !== undefined && !/^\d{1,10}$/.test(given)) throw new Error(`${variable} must be a whole number`);
  const seed = given === undefined ? randomInt(2 ** 32) : Number(given);
  onTestFailed(() => {
    console.error(`${variable}=${seed} replays this test's random choices (timing aside).`);
  });
  return seed;
};

/** A seeded generator for the running test, its seed from `variable` or fresh, and printed if the test fails. */
export const randomForThisTest = (variable: string): (() => number) => seededRandom(seedOfThisTest(variable));
