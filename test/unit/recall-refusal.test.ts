import { describe, expect, it } from 'vitest';
import { explain, firstFailing } from '../../functions/core/guards.ts';
import { isOwnRecall, recallHistoryEntry, recallRecord, recallRefusal } from '../../functions/core/recall.ts';
import { recallRule } from '../../functions/core/rules.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { freshRequest } from '../support/requests.ts';

const AT = '2030-06-01T00:00:00.000Z';

describe('recallRefusal: why a recall write was refused, from the item as it stood', () => {
  it.each([
    ['CANCELLED', 409, 'SIGN_REQUEST_ALREADY_CANCELLED', 'This request is already cancelled'],
    ['COMPLETED', 409, 'SIGN_REQUEST_COMPLETED', 'This request is already cancelled'],
    ['EXPIRED', 409, 'SIGN_REQUEST_EXPIRED', 'This request has expired'],
    ['DECLINED', 409, 'SIGN_REQUEST_DECLINED', 'This request is already cancelled'],
  ] as const)('a %s request is refused as a conflict with %s', (status, _http, code, message) => {
    const { request } = freshRequest(1, { status });
    const refusal = recallRefusal(request, 'APP1', AT);
    expect(refusal?.kind).toBe('conflict');
    expect(refusal?.rules).toEqual([{ Code: code, Message: message }]);
  });

  it('a missing request and another app’s request give the same not-found refusal', () => {
    const { request } = freshRequest(1, { status: 'COMPLETED' });
    const missing = recallRefusal(undefined, 'APP1', AT);
    const foreign = recallRefusal(request, 'SOMEONE-ELSE', AT);
    expect(missing?.rules).toEqual([{ Code: 'SIGN_REQUEST_NOT_FOUND', Message: 'No sign request found' }]);
    expect(foreign?.rules).toEqual(missing?.rules);
    expect(foreign?.kind).toBe('not-found');
  });

  it('refuses an open request signed by all (its completion a write away) as completed', () => {
    const { request } = freshRequest(2, { status: 'PARTIALLY_SIGNED', signedCount: 2 });
    expect(recallRefusal(request, 'APP1', AT)?.code).toBe('SIGN_REQUEST_COMPLETED');
  });

  it('refuses an open request past its deadline as expired, before the expiry job has caught up', () => {
    const { request } = freshRequest(1, { expiresAt: '2030-01-01T00:00:00.000Z' });
    expect(recallRefusal(request, 'APP1', AT)?.code).toBe('SIGN_REQUEST_EXPIRED');
    expect(recallRefusal(request, 'APP1', '2029-12-31T23:59:59.999Z')).toBeUndefined();
  });

  it('asks for another try, with a fresh time, when nothing refuses the recall but its time was too early', () => {
    const { request } = freshRequest(1, { updatedAt: '2030-06-01T00:00:00.000Z' });
    expect(recallRefusal(request, 'APP1', AT)).toBeUndefined();
  });
});

describe('recallRefusal: which refusal wins when a request fails several guards', () => {
  const PAST = '2030-01-01T00:00:00.000Z';
  // Every reason at once: closed, signed by all, past its deadline, changed after the recall's time.
  const { request: everything } = freshRequest(2, {
    status: 'CANCELLED',
    signedCount: 2,
    expiresAt: PAST,
    updatedAt: '2031-01-01T00:00:00.000Z',
  });
  const stale = [everything.version + 1];

  it('another app’s request is not found before a stale If-Match, and a stale If-Match before any state', () => {
    expect(recallRefusal(everything, 'SOMEONE-ELSE', AT, stale)?.code).toBe('SIGN_REQUEST_NOT_FOUND');
    expect(recallRefusal(everything, 'APP1', AT, stale)?.code).toBe('PRECONDITION_FAILED');
    expect(recallRefusal(everything, 'APP1', AT, stale)?.kind).toBe('precondition-failed');
    // If-Match naming the version it is at, or among others, lets the state speak.
    expect(recallRefusal(everything, 'APP1', AT, [everything.version])?.code).toBe('SIGN_REQUEST_ALREADY_CANCELLED');
    expect(recallRefusal(everything, 'APP1', AT, [...stale, everything.version])?.code).toBe(
      'SIGN_REQUEST_ALREADY_CANCELLED',
    );
  });

  it('an If-Match naming no version at all (only weak or foreign tags) refuses as a stale one does', () => {
    const { request } = freshRequest(1);
    expect(recallRefusal(request, 'APP1', AT, [])?.code).toBe('PRECONDITION_FAILED');
    expect(recallRefusal(request, 'APP1', AT, [request.version])).toBeUndefined();
  });

  it('each closed status is refused by its own code before signed-by-all and the deadline', () => {
    const refusedAs = (status: 'CANCELLED' | 'COMPLETED' | 'EXPIRED' | 'DECLINED') =>
      recallRefusal({ ...everything, status }, 'APP1', AT)?.code;
    expect(refusedAs('CANCELLED')).toBe('SIGN_REQUEST_ALREADY_CANCELLED');
    expect(refusedAs('COMPLETED')).toBe('SIGN_REQUEST_COMPLETED');
    expect(refusedAs('EXPIRED')).toBe('SIGN_REQUEST_EXPIRED');
    expect(refusedAs('DECLINED')).toBe('SIGN_REQUEST_DECLINED');
  });

  it('an open request signed by all is completed before it is past its deadline, which comes before a later change', () => {
    const open = { ...everything, status: 'PARTIALLY_SIGNED' as const };
    expect(recallRefusal(open, 'APP1', AT)?.code).toBe('SIGN_REQUEST_COMPLETED');
    expect(recallRefusal({ ...open, signedCount: 1 }, 'APP1', AT)?.code).toBe('SIGN_REQUEST_EXPIRED');
    expect(recallRefusal({ ...open, signedCount: 1, expiresAt: undefined }, 'APP1', AT)).toBeUndefined();
  });

  it('a deadline at the very time of the recall has passed; one a millisecond later has not', () => {
    const { request } = freshRequest(1, { expiresAt: AT });
    expect(recallRefusal(request, 'APP1', AT)?.code).toBe('SIGN_REQUEST_EXPIRED');
    const later = new Date(Date.parse(AT) + 1).toISOString();
    expect(recallRefusal({ ...request, expiresAt: later }, 'APP1', AT)).toBeUndefined();
  });
});

describe('recallRule: the guards of the one recall write, in the order they refuse', () => {
  it('names the guard that fails first, and lets a recall after the last change land', () => {
    const { request } = freshRequest(2);
    const failing = (current: SignRequest | undefined, at = AT, expectedVersions?: number[]) =>
      firstFailing(recallRule({ appId: 'APP1', at, expectedVersions }), current)?.name;
    expect(failing(undefined)).toBe('exists');
    expect(failing({ ...request, appId: 'OTHER' })).toBe('own');
    expect(failing(request, AT, [request.version + 1])).toBe('if-match');
    expect(failing({ ...request, status: 'DECLINED' })).toBe('not declined');
    expect(failing({ ...request, signedCount: 2 })).toBe('not signed by all');
    expect(failing({ ...request, expiresAt: AT })).toBe('before deadline');
    expect(failing(request, request.updatedAt)).toBeUndefined();
    const justBefore = new Date(Date.parse(request.updatedAt) - 1).toISOString();
    expect(failing(request, justBefore)).toBe('after last change');
    expect(explain(recallRule({ appId: 'APP1', at: justBefore }), request)).toBe('retry');
  });
});

describe('a recall’s record and how a lost answer recognises it', () => {
  const command = { signRequestId: 'ID', appId: 'APP1', reason: 'Wrong file', by: 'Ops' };

  it('records the reason, who and when, and the call’s token; no one is mailed only when asked', () => {
    expect(recallRecord(command, AT, 'call-1')).toEqual({ reason: 'Wrong file', by: 'Ops', at: AT, callId: 'call-1' });
    expect(recallRecord({ ...command, notifySigners: false }, AT, 'call-1')).toEqual({
      reason: 'Wrong file',
      by: 'Ops',
      at: AT,
      notifySigners: false,
      callId: 'call-1',
    });
    const drawn = [recallRecord(command, AT).callId, recallRecord(command, AT).callId];
    expect(drawn[0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(drawn[0]).not.toBe(drawn[1]);
  });

  it('writes a RECALLED history entry at the record’s time, naming who recalled', () => {
    expect(recallHistoryEntry(recallRecord(command, AT, 'c'))).toEqual({ at: AT, event: 'RECALLED', by: 'Ops' });
  });

  it('isOwnRecall: a cancelled request whose recall carries this call’s token, and nothing else', () => {
    const { request } = freshRequest(1);
    const recall = recallRecord(command, AT, 'mine');
    expect(isOwnRecall({ ...request, status: 'CANCELLED', recall }, 'mine')).toBe(true);
    expect(isOwnRecall({ ...request, status: 'CANCELLED', recall }, 'theirs')).toBe(false);
    // The recall record alone does not make it this call's: the request must be cancelled.
    expect(isOwnRecall({ ...request, status: 'PENDING', recall }, 'mine')).toBe(false);
    expect(isOwnRecall({ ...request, status: 'CANCELLED' }, 'mine')).toBe(false);
    expect(isOwnRecall(undefined, 'mine')).toBe(false);
  });
});
