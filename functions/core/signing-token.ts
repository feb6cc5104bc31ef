import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isUlid } from './ids.ts';

/**
 * A signing token is `<signRequestId>.<signerId>.<secret>`: it names the one signer of one request it opens,
 * so a signature costs one keyed read, and only sha256(secret) is stored to check it against.
 */
export interface SigningToken {
  signRequestId: string;
  signerId: string;
  secret: string;
}

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * A signer's secret is derived, not drawn: HMAC-SHA256(link signing key, request id + signer id). So a replayed
 * initiate can hand out the same links again without the secrets ever being stored; only their hashes are.
 */
export const deriveSigningSecret = (signingKey: Buffer, signRequestId: string, signerId: string): string =>
  createHmac('sha256', signingKey).update(`${signRequestId}.${signerId}`, 'utf8').digest('base64url');

export const formatSigningToken = ({ signRequestId, signerId, secret }: SigningToken): string =>
  `${signRequestId}.${signerId}.${secret}`;

/** Returns undefined for anything that cannot be a token we issued, so it costs no store call. */
export const parseSigningToken = (raw: string): SigningToken | undefined => {
  const [signRequestId, signerId, secret, ...rest] = raw.split('.');
  if (rest.length > 0 || !signRequestId || !signerId || !secret) return undefined;
  if (!isUlid(signRequestId) || !isUlid(signerId) || !SECRET_PATTERN.test(secret)) return undefined;
  return { signRequestId, signerId, secret };
};

/** Constant-time comparison, so response timing tells nothing about how much of a forged secret matched. */
export const secretMatches = (secret: string, storedHash: string): boolean => {
  const presented = Buffer.from(sha256Hex(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
};
