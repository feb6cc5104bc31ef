import { describe, expect, it } from 'vitest';
import { newId } from '../../functions/core/ids.ts';
import {
  formatSigningToken,
  newSigningSecret,
  parseSigningToken,
  secretMatches,
  sha256Hex,
} from '../../functions/core/signing-token.ts';

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

  it('matches a secret only against its own hash', () => {
    expect(secretMatches(token.secret, sha256Hex(token.secret))).toBe(true);
    expect(secretMatches(newSigningSecret(), sha256Hex(token.secret))).toBe(false);
    expect(secretMatches(token.secret, 'not-hex')).toBe(false);
  });
});
