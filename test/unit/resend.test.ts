import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { replacementOf, resendRecord, resendRefusal } from '../../functions/core/resend.ts';
import { RESENDABLE_STATUSES } from '../../functions/core/rules.ts';
import { deriveSigningSecret } from '../../functions/core/signing-token.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-06-01T00:00:00.000Z';
const key = randomBytes(32);
const secretFor = (id: string, signerId: string) => deriveSigningSecret(key, id, signerId);

describe('what a resend carries over', () => {
  it('the document, message, requester and signers in order; a deadline only while it is ahead', () => {
    const { request } = freshRequest(3, {
      status: 'CANCELLED',
      message: 'Sign please',
      requestedBy: 'Mohit',
      expiresAt: '2030-07-01T00:00:00.000Z',
    });
    const record = resendRecord(request, { signRequestId: request.id, appId: 'APP1' }, 'KAiZEN-9', NOW, 'call');
    expect(record).toMatchObject({
      requestNo: 'KAiZEN-9',
      at: NOW,
      callId: 'call',
      documentName: 'Doc.pdf',
      message: 'Sign please',
      requestedBy: 'Mohit',
      expiresAt: '2030-07-01T00:00:00.000Z',
    });
    expect(record.signers.map(({ name, email }) => ({ name, email }))).toEqual(
      ['S0', 'S1', 'S2'].map((name, i) => ({ name, email: `s${i}@example.com` })),
    );
    const passed = resendRecord(
      { ...request, expiresAt: NOW },
      { signRequestId: request.id, appId: 'APP1' },
      'K-1',
      NOW,
      'c',
    );
    expect(passed).not.toHaveProperty('expiresAt');
    const emptied = resendRecord(request, { signRequestId: request.id, appId: 'APP1', message: '' }, 'K-1', NOW, 'c');
    expect(emptied).not.toHaveProperty('message');
  });

  it('builds the same replacement from one claim, whichever call builds it, naming the request it replaces', () => {
    const { request } = freshRequest(2, { status: 'EXPIRED' });
    const record = resendRecord(request, { signRequestId: request.id, appId: 'APP1' }, 'KAiZEN-2', NOW, 'call');
    const once = replacementOf(request, record, secretFor);
    expect(replacementOf(request, record, secretFor)).toEqual(once);
    expect(once).toMatchObject({
      id: record.signRequestId,
      requestNo: 'KAiZEN-2',
      replaces: request.id,
      createdAt: NOW,
    });
    expect(Object.keys(once.signers)).toEqual(record.signers.map((signer) => signer.signerId));
  });
});

describe('which requests may be resent', () => {
  it('cancelled, expired and declined ones, and open ones past their deadline; open and completed ones are refused', () => {
    expect(RESENDABLE_STATUSES).toEqual(['CANCELLED', 'EXPIRED', 'DECLINED']);
    const { request } = freshRequest(2);
    expect(resendRefusal({ ...request, status: 'CANCELLED' }, undefined, NOW)).toBeUndefined();
    expect(resendRefusal({ ...request, status: 'EXPIRED' }, undefined, NOW)).toBeUndefined();
    expect(resendRefusal({ ...request, status: 'DECLINED' }, undefined, NOW)).toBeUndefined();
    expect(resendRefusal({ ...request, expiresAt: '2030-01-01T00:00:00.000Z' }, undefined, NOW)).toBeUndefined();
    expect(resendRefusal(request, undefined, NOW)?.code).toBe('SIGN_REQUEST_OPEN');
    expect(resendRefusal({ ...request, status: 'COMPLETED', signedCount: 2 }, undefined, NOW)?.code).toBe(
      'SIGN_REQUEST_COMPLETED',
    );
    expect(resendRefusal({ ...request, status: 'CANCELLED' }, [request.version + 1], NOW)?.code).toBe(
      'PRECONDITION_FAILED',
    );
  });
});
