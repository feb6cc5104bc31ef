import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { replacementOf, resendRecord, resendRefusal, resentRefusal } from '../../functions/core/resend.ts';
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

describe('a resend record: the body’s fields win, the rest carries over', () => {
  const options = {
    status: 'EXPIRED' as const,
    message: 'Sign please',
    requestedBy: 'Mohit',
    senderEmail: 'legal@example.com',
    sendInvitations: false as const,
    remindEveryDays: 3,
  };

  it('carries the sender, invitations and reminders over unchanged, and the body replaces the rest', () => {
    const { request } = freshRequest(2, options);
    const record = resendRecord(
      request,
      {
        signRequestId: request.id,
        appId: 'APP1',
        documentName: 'Fixed.pdf',
        message: 'Corrected',
        expiresAt: '2031-01-01T00:00:00.000Z',
        signers: [{ name: 'New', email: 'new@example.com' }],
      },
      'KAiZEN-3',
      NOW,
      'call',
    );
    const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
    expect(record.signRequestId).toMatch(ULID);
    expect(record.signers[0]?.signerId).toMatch(ULID);
    expect(record).toEqual({
      signRequestId: record.signRequestId,
      requestNo: 'KAiZEN-3',
      at: NOW,
      callId: 'call',
      documentName: 'Fixed.pdf',
      message: 'Corrected',
      requestedBy: 'Mohit',
      expiresAt: '2031-01-01T00:00:00.000Z',
      senderEmail: 'legal@example.com',
      sendInvitations: false,
      remindEveryDays: 3,
      signers: [{ signerId: record.signers[0]?.signerId, name: 'New', email: 'new@example.com' }],
    });
    expect(record.signRequestId).not.toBe(request.id);
  });

  it('leaves out what the request resent did not have, and keeps signers in their order, not their key order', () => {
    const { request } = freshRequest(3, { status: 'CANCELLED' });
    // Reverse the signers' key order; their `order` still says S0, S1, S2.
    const reversed = { ...request, signers: Object.fromEntries(Object.entries(request.signers).reverse()) };
    const record = resendRecord(reversed, { signRequestId: request.id, appId: 'APP1' }, 'K-4', NOW, 'c');
    expect(Object.keys(record).sort()).toEqual(
      ['signRequestId', 'requestNo', 'at', 'callId', 'documentName', 'signers'].sort(),
    );
    expect(record.signers.map((signer) => signer.name)).toEqual(['S0', 'S1', 'S2']);
    expect(new Set(record.signers.map((signer) => signer.signerId)).size).toBe(3);
    const expiredLongAgo = resendRecord(
      { ...request, expiresAt: '2030-05-31T23:59:59.999Z' },
      { signRequestId: request.id, appId: 'APP1' },
      'K-4',
      NOW,
      'c',
    );
    expect(expiredLongAgo).not.toHaveProperty('expiresAt');
    const justAhead = new Date(Date.parse(NOW) + 1).toISOString();
    expect(
      resendRecord({ ...request, expiresAt: justAhead }, { signRequestId: request.id, appId: 'APP1' }, 'K', NOW, 'c')
        .expiresAt,
    ).toBe(justAhead);
  });

  it('builds a replacement with the record’s content and the resent request’s app and mail options', () => {
    const { request } = freshRequest(2, { ...options, appId: 'APP7' });
    const record = resendRecord(
      request,
      { signRequestId: request.id, appId: 'APP7', expiresAt: '2031-01-01T00:00:00.000Z' },
      'K-5',
      NOW,
      'c',
    );
    const replacement = replacementOf(request, record, secretFor);
    expect(replacement).toMatchObject({
      appId: 'APP7',
      status: 'PENDING',
      documentName: 'Doc.pdf',
      message: 'Sign please',
      requestedBy: 'Mohit',
      expiresAt: '2031-01-01T00:00:00.000Z',
      senderEmail: 'legal@example.com',
      sendInvitations: false,
      remindEveryDays: 3,
      nextReminderAt: '2030-06-04T00:00:00.000Z',
      replaces: request.id,
      updatedAt: NOW,
    });
    expect(Object.values(replacement.signers).map(({ name, email, order }) => ({ name, email, order }))).toEqual([
      { name: 'S0', email: 's0@example.com', order: 0 },
      { name: 'S1', email: 's1@example.com', order: 1 },
    ]);
    const plain = replacementOf(
      freshRequest(1, { status: 'CANCELLED' }).request,
      resendRecord(freshRequest(1).request, { signRequestId: 'x', appId: 'APP1' }, 'K-6', NOW, 'c'),
      secretFor,
    );
    for (const absent of ['message', 'requestedBy', 'expiresAt', 'senderEmail', 'sendInvitations', 'remindEveryDays'])
      expect(plain).not.toHaveProperty(absent);
  });
});

describe('the claim’s refusals, in their order', () => {
  const PAST = '2030-01-01T00:00:00.000Z';

  it('a stale If-Match first, then a resend already made, then completed, then still open', () => {
    const { request } = freshRequest(2, { status: 'COMPLETED', signedCount: 2 });
    const resend = resendRecord(request, { signRequestId: request.id, appId: 'APP1' }, 'K-7', NOW, 'claim');
    const resent = { ...request, resend };
    const stale = [request.version + 1];
    expect(resendRefusal(resent, stale, NOW)?.code).toBe('PRECONDITION_FAILED');
    const already = resendRefusal(resent, [request.version], NOW);
    expect(already?.code).toBe('SIGN_REQUEST_ALREADY_RESENT');
    expect(already?.message).toContain(resend.signRequestId);
    expect(resendRefusal(request, undefined, NOW)?.code).toBe('SIGN_REQUEST_COMPLETED');
    expect(resendRefusal({ ...request, status: 'PARTIALLY_SIGNED' }, undefined, NOW)?.code).toBe(
      'SIGN_REQUEST_COMPLETED',
    );
    // Signed by all but cancelled, expired or declined: closed without completing, so it may be resent.
    for (const status of RESENDABLE_STATUSES)
      expect(resendRefusal({ ...request, status }, undefined, NOW)).toBeUndefined();
    const open = { ...request, status: 'PARTIALLY_SIGNED' as const, signedCount: 1 };
    expect(resendRefusal(open, undefined, NOW)?.code).toBe('SIGN_REQUEST_OPEN');
    expect(resendRefusal({ ...open, expiresAt: PAST }, undefined, NOW)).toBeUndefined();
    // The deadline has passed at its very time.
    expect(resendRefusal({ ...open, expiresAt: NOW }, undefined, NOW)).toBeUndefined();
    const justAhead = new Date(Date.parse(NOW) + 1).toISOString();
    expect(resendRefusal({ ...open, expiresAt: justAhead }, undefined, NOW)?.code).toBe('SIGN_REQUEST_OPEN');
  });

  it('a resent request: this call’s own claim answers as success, any other call is refused', () => {
    const { request } = freshRequest(2, { status: 'CANCELLED' });
    const resend = resendRecord(request, { signRequestId: request.id, appId: 'APP1' }, 'K-8', NOW, 'mine');
    const resent = { ...request, resend };
    expect(resentRefusal(resent, 'mine', [request.version + 1])).toBeUndefined();
    expect(resentRefusal(resent, 'theirs', undefined)?.code).toBe('SIGN_REQUEST_ALREADY_RESENT');
    expect(resentRefusal(resent, 'theirs', undefined)?.message).toBe(
      `SIGN_REQUEST_ALREADY_RESENT: This request was already resent as ${resend.signRequestId}`,
    );
    expect(resentRefusal(resent, 'theirs', [request.version + 1])?.code).toBe('PRECONDITION_FAILED');
    expect(resentRefusal({ ...resent, appId: 'OTHER' }, 'theirs', undefined)?.code).toBe('SIGN_REQUEST_ALREADY_RESENT');
  });
});
