import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import { planFirstView, planSignature } from '../../functions/core/signing.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-01-02T00:00:00.000Z';

const refusalCode = (act: () => unknown): string => {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('planSignature', () => {
  it('plans a signature of this signer alone, with the name they typed', () => {
    const { request, tokens } = freshRequest(2);
    const plan = planSignature(request, tokens[0]!, NOW, 'Jane Q. Signer', 'call-1');
    expect(plan).toEqual({
      signRequestId: request.id,
      signerId: tokens[0]!.signerId,
      at: NOW,
      signedName: 'Jane Q. Signer',
      history: [{ at: NOW, event: 'SIGNED', signerId: tokens[0]!.signerId }],
      callId: 'call-1',
      lastButOne: 1,
      completes: false,
    });
  });

  it('plans the last signature as the one that completes the request, in the same write', () => {
    const { request, tokens } = freshRequest(2, { signedCount: 1, status: 'PARTIALLY_SIGNED' });
    const plan = planSignature(request, tokens[1]!, NOW, undefined, 'call-2');
    expect(plan).toMatchObject({
      completes: true,
      lastButOne: 1,
      history: [
        { at: NOW, event: 'SIGNED', signerId: tokens[1]!.signerId },
        { at: NOW, event: 'COMPLETED' },
      ],
    });
  });

  it('stamps a signature just after the request’s last change when this clock is behind it', () => {
    const ahead = new Date(Date.parse(NOW) + 5_000).toISOString();
    const { request, tokens } = freshRequest(2, { updatedAt: ahead });
    expect(planSignature(request, tokens[0]!, NOW, undefined).at).toBe(new Date(Date.parse(ahead) + 1).toISOString());
  });

  it('signs in the name the app gave when the signer types none', () => {
    const { request, tokens } = freshRequest(2, { signedCount: 1, status: 'PARTIALLY_SIGNED' });
    expect(planSignature(request, tokens[1]!, NOW, undefined).signedName).toBe('S1');
  });

  it('refuses an open request whose every signer has signed as completed', () => {
    const { request, tokens } = freshRequest(2, { signedCount: 2, status: 'PARTIALLY_SIGNED' });
    expect(refusalCode(() => planSignature(request, tokens[1]!, NOW, undefined))).toBe('SIGN_REQUEST_COMPLETED');
  });

  it('refuses a recalled request with 410, naming when and why', () => {
    const { request, tokens } = freshRequest(2, {
      status: 'CANCELLED',
      recall: { reason: 'Wrong file', by: 'Ops', at: '2030-01-01T12:00:00.000Z' },
    });
    const act = () => planSignature(request, tokens[0]!, NOW, undefined);
    expect(refusalCode(act)).toBe('SIGN_REQUEST_CANCELLED');
    expect(act).toThrow(/Wrong file/);
  });

  it('refuses an expired request, and one past its deadline that the expiry job has not reached yet', () => {
    const expired = freshRequest(1, { status: 'EXPIRED' });
    expect(refusalCode(() => planSignature(expired.request, expired.tokens[0]!, NOW, undefined))).toBe(
      'SIGN_REQUEST_EXPIRED',
    );
    const late = freshRequest(1, { expiresAt: '2030-01-01T23:59:59.000Z' });
    expect(refusalCode(() => planSignature(late.request, late.tokens[0]!, NOW, undefined))).toBe(
      'SIGN_REQUEST_EXPIRED',
    );
    const early = freshRequest(1, { expiresAt: '2030-01-02T00:00:01.000Z' });
    expect(planSignature(early.request, early.tokens[0]!, NOW, undefined).signerId).toBe(early.tokens[0]!.signerId);
  });

  it('refuses a signer who has signed already', () => {
    const { request, tokens } = freshRequest(2);
    const signerId = tokens[0]!.signerId;
    const signed = {
      ...request,
      signers: {
        ...request.signers,
        [signerId]: { ...request.signers[signerId]!, status: 'SIGNED' as const, signedAt: NOW },
      },
    };
    expect(refusalCode(() => planSignature(signed, tokens[0]!, NOW, undefined))).toBe('ALREADY_SIGNED');
  });

  it('refuses a token whose secret or signer does not match, and a missing request, alike', () => {
    const { request, tokens } = freshRequest(1);
    const token = tokens[0]!;
    const forged = { ...token, secret: `${token.secret.slice(0, -1)}${token.secret.endsWith('A') ? 'B' : 'A'}` };
    expect(refusalCode(() => planSignature(request, forged, NOW, undefined))).toBe('SIGNING_LINK_NOT_FOUND');
    expect(refusalCode(() => planSignature(request, { ...token, signerId: request.id }, NOW, undefined))).toBe(
      'SIGNING_LINK_NOT_FOUND',
    );
    expect(refusalCode(() => planSignature(undefined, token, NOW, undefined))).toBe('SIGNING_LINK_NOT_FOUND');
  });
});

describe('planFirstView', () => {
  it('plans a write for the first open only', () => {
    const { request, tokens } = freshRequest(1);
    const first = planFirstView(request, tokens[0]!, NOW);
    expect(first.firstView).toMatchObject({ at: NOW, history: [{ event: 'VIEWED' }] });
    const signerId = tokens[0]!.signerId;
    const viewed = { ...request, signers: { [signerId]: { ...request.signers[signerId]!, viewedAt: NOW } } };
    expect(planFirstView(viewed, tokens[0]!, NOW).firstView).toBeUndefined();
  });

  it('shows a completed request without writing, and refuses a recalled one', () => {
    const { request, tokens } = freshRequest(1, { status: 'COMPLETED' });
    const signerId = tokens[0]!.signerId;
    const done = { ...request, signers: { [signerId]: { ...request.signers[signerId]!, status: 'SIGNED' as const } } };
    expect(planFirstView(done, tokens[0]!, NOW).firstView).toBeUndefined();
    const recalled = { ...request, status: 'CANCELLED' as const };
    expect(refusalCode(() => planFirstView(recalled, tokens[0]!, NOW))).toBe('SIGN_REQUEST_CANCELLED');
  });
});
