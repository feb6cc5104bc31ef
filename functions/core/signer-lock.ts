import { refusals, type DomainError } from './errors.ts';
import type { Signer } from './sign-request.ts';

/** Wrong proofs in a row that lock a signer: every fifth (the fifth, the tenth, ...). */
const LOCK_AFTER_FAILED_PROOFS = 5;
/** How long a lock lasts. */
export const LOCK_MS = 15 * 60_000;

/** Whether the wrong proof that makes `failedProofs` in a row locks the signer. */
export const locksAt = (failedProofs: number): boolean => failedProofs % LOCK_AFTER_FAILED_PROOFS === 0;

export const lockedUntilAfter = (at: string): string => new Date(Date.parse(at) + LOCK_MS).toISOString();

/** Whether the signer is locked at `now`: times compare as strings, as the store's guard compares them. */
export const isLocked = (signer: Pick<Signer, 'lockedUntil'>, now: string): boolean =>
  signer.lockedUntil !== undefined && signer.lockedUntil > now;

/**
 * The refusal of a locked signer (429 SIGNER_LOCKED, Retry-After the whole seconds left, at least 1), or undefined.
 * Checked before any proof: a locked signer's proof is not even looked at, so guessing on stops counting nothing.
 */
export const lockRefusal = (signer: Pick<Signer, 'lockedUntil'> | undefined, now: string): DomainError | undefined =>
  signer !== undefined && isLocked(signer, now)
    ? refusals.signerLocked(Math.max(1, Math.ceil((Date.parse(signer.lockedUntil ?? now) - Date.parse(now)) / 1000)))
    : undefined;
