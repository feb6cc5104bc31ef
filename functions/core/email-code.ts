import { timingSafeEqual } from 'node:crypto';
import type { Signer } from './sign-request.ts';
import { sha256Hex } from './signing-token.ts';

/**
 * Whether `presented` is the signer's current one-time code, still valid at `now`: its hash compared in constant
 * time. (A minimal version: the one-time code's own module, with sending, replaces it.)
 */
export const emailCodeMatches = (signer: Signer, presented: string, now: string): boolean => {
  const code = signer.emailCode;
  if (!code || code.expiresAt <= now) return false;
  const stored = Buffer.from(code.hash, 'hex');
  const given = Buffer.from(sha256Hex(presented), 'hex');
  return stored.length === given.length && timingSafeEqual(stored, given);
};
