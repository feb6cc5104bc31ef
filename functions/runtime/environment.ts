/**
 * The settings a process was started with. This module is the only one under functions/ that reads
 * `process.env`, and only when a factory asks: nothing is read at import time, so the local server, the admin
 * command, the tests and the bench can build any function from settings of their own, in any order.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The process's own settings: what Lambda (or the shell) gave it. */
export const readEnvironment = (): Environment => process.env;
