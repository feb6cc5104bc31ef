import type { Context } from 'aws-lambda';

/**
 * (secondary port) What the HTTP layer needs to honour an `Idempotency-Key`: run a call once per key, replay its
 * first answer on a retry. Implemented on the table by functions/store/idempotency.ts, handed to a route by its
 * function's wiring (functions/wiring/idempotency.ts).
 */

/** What identifies a retry: the app, the operation and the caller's key; `input` must match the first call's. */
export interface IdempotentCall {
  appId: string;
  operation: string;
  key: string;
  input: unknown;
}

/**
 * What one idempotent call did: ran (or replayed the first answer), or was refused because the key was used
 * with another input or its first call is still at work. The route turns a refusal into its answer.
 */
export type IdempotentOutcome<T> =
  { ok: true; result: T; replayed: boolean } | { ok: false; refused: 'key-reused' | 'in-progress' };

export type IdempotencyRunner = <T extends object>(
  call: IdempotentCall,
  context: Context,
  run: () => Promise<T>,
) => Promise<IdempotentOutcome<T>>;

/** Gives the idempotency runner when a call first needs one. */
export type LoadIdempotencyRunner = () => Promise<IdempotencyRunner>;
