import { describe, expect, it } from 'vitest';
import { issueSignerPass, SIGNER_PASS_SECONDS, signerPassKind } from '../../functions/core/signer-pass.ts';

const KEY = Buffer.alloc(32, 7);
const NOW = '2030-01-01T00:00:00.000Z';
const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();
const request = { id: 'req-1' };
const signer = { tokenHash: 'hash-of-the-link' };

describe('signerPassKind', () => {
  it('tells which proof a pass stands for: an EMAIL pass is never taken for an ACCESS_CODE one', () => {
    const email = issueSignerPass(KEY, request, 's1', signer, 'EMAIL', NOW);
    const code = issueSignerPass(KEY, request, 's1', signer, 'ACCESS_CODE', NOW);
    expect(email).not.toBe(code);
    expect(signerPassKind(KEY, email, request, 's1', signer, NOW)).toBe('EMAIL');
    expect(signerPassKind(KEY, code, request, 's1', signer, NOW)).toBe('ACCESS_CODE');
  });

  it('is bound to its request, its signer and the link it was given on', () => {
    const pass = issueSignerPass(KEY, request, 's1', signer, 'EMAIL', NOW);
    expect(signerPassKind(KEY, pass, { id: 'req-2' }, 's1', signer, NOW)).toBeUndefined();
    expect(signerPassKind(KEY, pass, request, 's2', signer, NOW)).toBeUndefined();
    expect(signerPassKind(KEY, pass, request, 's1', { tokenHash: 'a-new-link' }, NOW)).toBeUndefined();
  });

  it('lasts SIGNER_PASS_SECONDS: good a millisecond before, refused at the very instant of its expiry', () => {
    const pass = issueSignerPass(KEY, request, 's1', signer, 'ACCESS_CODE', NOW);
    const expiresAt = plusMs(NOW, SIGNER_PASS_SECONDS * 1000);
    expect(signerPassKind(KEY, pass, request, 's1', signer, plusMs(expiresAt, -1))).toBe('ACCESS_CODE');
    expect(signerPassKind(KEY, pass, request, 's1', signer, expiresAt)).toBeUndefined();
    expect(signerPassKind(KEY, pass, request, 's1', signer, plusMs(expiresAt, 60_000))).toBeUndefined();
  });

  it('refuses, without throwing, whatever is not shaped like a pass', () => {
    const pass = issueSignerPass(KEY, request, 's1', signer, 'EMAIL', NOW);
    const [expiry, macPart] = pass.split('.');
    for (const malformed of [
      '',
      'garbage',
      `${expiry}`,
      `${expiry}.`,
      `.${macPart}`,
      `${expiry}.${macPart}x`,
      `x${pass}`,
    ])
      expect(signerPassKind(KEY, malformed, request, 's1', signer, NOW)).toBeUndefined();
    // A later expiry written onto a real MAC is a forgery, not a longer pass.
    expect(signerPassKind(KEY, `${Number(expiry) + 3600}.${macPart}`, request, 's1', signer, NOW)).toBeUndefined();
  });
});
