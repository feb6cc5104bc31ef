import { describe, expect, it } from 'vitest';
import { declineHistoryEntry, isOwnDecline, planDecline } from '../../functions/core/decline.ts';
import { DomainError } from '../../functions/core/errors.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-01-02T00:00:00.000Z';

const refusal = (act: () => unknown): { code: string; kind: string } => {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, kind: error.kind };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('planDecline', () => {
  it('plans the decline of this signer, stamped after the last change, marked with its call token', () => {
    const { request, tokens } = freshRequest(2, { updatedAt: '2030-01-02T00:00:05.000Z' });
    expect(planDecline(request, tokens[1]!, NOW, 'Wrong entity', 'call-1')).toEqual({
      signRequestId: request.id,
      record: {
        signerId: tokens[1]!.signerId,
        reason: 'Wrong entity',
        at: '2030-01-02T00:00:05.001Z',
        callId: 'call-1',
      },
      evidence: {},
    });
  });

  it('carries the caller’s evidence to the DECLINED entry, never onto the decline record', () => {
    const { request, tokens } = freshRequest(2);
    const evidence = { ip: '203.0.113.7', userAgent: 'Browser/1.0' };
    const plan = planDecline(request, tokens[1]!, NOW, 'Wrong entity', 'call-1', evidence);
    expect(plan.evidence).toEqual(evidence);
    expect(plan.record).not.toHaveProperty('ip');
    expect(declineHistoryEntry(plan.record, plan.evidence)).toEqual({
      at: plan.record.at,
      event: 'DECLINED',
      signerId: tokens[1]!.signerId,
      ...evidence,
    });
  });

  it('refuses as a signature is refused, and a second decline by the same signer with its own code', () => {
    const { request, tokens } = freshRequest(2);
    const signer = tokens[0]!;
    const declinedByMe = { signerId: signer.signerId, reason: 'r', at: NOW };
    const signed = { ...request.signers[signer.signerId]!, status: 'SIGNED' as const, signedAt: NOW };
    const cases: [Partial<typeof request>, string, string][] = [
      [{ status: 'CANCELLED', recall: { reason: 'x', by: 'y', at: NOW } }, 'SIGN_REQUEST_CANCELLED', 'gone'],
      [{ status: 'EXPIRED' }, 'SIGN_REQUEST_EXPIRED', 'gone'],
      [{ expiresAt: '2030-01-01T00:00:00.000Z' }, 'SIGN_REQUEST_EXPIRED', 'gone'],
      [{ status: 'DECLINED', decline: declinedByMe }, 'ALREADY_DECLINED', 'conflict'],
      [
        { status: 'DECLINED', decline: { ...declinedByMe, signerId: tokens[1]!.signerId } },
        'SIGN_REQUEST_DECLINED',
        'gone',
      ],
      [{ signers: { ...request.signers, [signer.signerId]: signed }, signedCount: 1 }, 'ALREADY_SIGNED', 'conflict'],
      [{ status: 'COMPLETED' }, 'SIGN_REQUEST_COMPLETED', 'conflict'],
    ];
    for (const [overrides, code, kind] of cases) {
      expect(
        refusal(() => planDecline({ ...request, ...overrides }, signer, NOW, 'r')),
        code,
      ).toEqual({ code, kind });
    }
    expect(refusal(() => planDecline(undefined, signer, NOW, 'r')).code).toBe('SIGNING_LINK_NOT_FOUND');
    expect(refusal(() => planDecline(request, { ...signer, secret: 'wrong' }, NOW, 'r')).code).toBe(
      'SIGNING_LINK_NOT_FOUND',
    );
  });

  it('knows its own decline by the call token alone', () => {
    const { request, tokens } = freshRequest(2);
    const decline = { signerId: tokens[0]!.signerId, reason: 'r', at: NOW, callId: 'mine' };
    expect(isOwnDecline({ ...request, status: 'DECLINED', decline }, 'mine')).toBe(true);
    expect(isOwnDecline({ ...request, status: 'DECLINED', decline }, 'theirs')).toBe(false);
    expect(isOwnDecline(undefined, 'mine')).toBe(false);
    // Only a declined request holds this call's decline; a decline record alone is not enough, nor is its absence.
    expect(isOwnDecline({ ...request, status: 'CANCELLED', decline }, 'mine')).toBe(false);
    expect(isOwnDecline({ ...request, status: 'DECLINED' }, 'mine')).toBe(false);
  });

  it('writes a DECLINED history entry at the decline’s time, naming the signer', () => {
    const { request, tokens } = freshRequest(2);
    const { record } = planDecline(request, tokens[1]!, NOW, 'Wrong entity', 'call-1');
    expect(declineHistoryEntry(record)).toEqual({ at: NOW, event: 'DECLINED', signerId: tokens[1]!.signerId });
  });
});
