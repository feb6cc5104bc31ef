import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newId } from '../../functions/core/ids.ts';
import {
  deriveSigningSecret,
  formatSigningToken,
  parseSigningToken,
  secretMatches,
  sha256Hex,
} from '../../functions/core/signing-token.ts';

const newSigningSecret = () => deriveSigningSecret(randomBytes(32), newId(), newId());

describe('signing tokens', () => {
  const token = { signRequestId: newId(), signerId: newId(), secret: newSigningSecret() };

  it('round-trips through its text form', () => {
    expect(parseSigningToken(formatSigningToken(token))).toEqual(token);
  });

  it.each([
    ['too few parts', `${token.signRequestId}.${token.secret}`],
    ['too many parts', `${formatSigningToken(token)}.x`],
    ['a request id that is not a ULID', `nope.${token.signerId}.${token.secret}`],
    ['a short secret', `${token.signRequestId}.${token.signerId}.abc`],
    ['a secret with characters outside base64url', `${token.signRequestId}.${token.signerId}.${'+'.repeat(43)}`],
    ['nothing', ''],
  ])('rejects %s without any lookup', (_, raw) => {
    expect(parseSigningToken(raw)).toBeUndefined();
  });

  it('derives the same secret for the same key, request and signer, and another for any change', () => {
    const key = randomBytes(32);
    const [id, signer] = [newId(), newId()];
    const secret = deriveSigningSecret(key, id, signer);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(deriveSigningSecret(Buffer.from(key), id, signer)).toBe(secret);
    expect(deriveSigningSecret(randomBytes(32), id, signer)).not.toBe(secret);
    expect(deriveSigningSecret(key, signer, id)).not.toBe(secret);
  });

  it('matches a secret only against its own hash', () => {
    expect(secretMatches(token.secret, sha256Hex(token.secret))).toBe(true);
    expect(secretMatches(newSigningSecret(), sha256Hex(token.secret))).toBe(false);
    expect(secretMatches(token.secret, 'not-hex')).toBe(false);
  });
});

describe('parseSigningToken: the secret part', () => {
  it('takes exactly 43 base64url characters, no more', () => {
    const [id, signer] = [newId(), newId()];
    expect(parseSigningToken(`${id}.${signer}.${'A'.repeat(43)}`)).toEqual({
      signRequestId: id,
      signerId: signer,
      secret: 'A'.repeat(43),
    });
    expect(parseSigningToken(`${id}.${signer}.${'A'.repeat(44)}`)).toBeUndefined();
  });
});
