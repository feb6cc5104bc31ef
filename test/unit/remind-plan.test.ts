import { describe, expect, it } from 'vitest';
import { isOwnReminder, MAX_REMINDERS, REMIND_INTERVAL_MS, remindPlan } from '../../functions/core/remind.ts';
import { freshRequest } from '../support/requests.ts';

const at = (ms: number) => new Date(Date.parse('2030-01-01T00:00:00.000Z') + ms).toISOString();

describe('remindPlan', () => {
  it('reminds the signers not reminded within the hour and names the others with their time', () => {
    const { request } = freshRequest(3);
    const [a, b, c] = Object.keys(request.signers) as [string, string, string];
    request.signers[a]!.lastRemindedAt = at(0);
    request.signers[b]!.lastRemindedAt = at(-REMIND_INTERVAL_MS);
    const decided = remindPlan(request, 'APP1', at(10 * 60_000));
    expect(decided).toEqual({ plan: { due: [b, c], notYet: [{ signerId: a, at: at(REMIND_INTERVAL_MS) }] } });
  });

  it('refuses with the seconds until the first is due when nobody is, and another app as not found', () => {
    const { request } = freshRequest(1);
    for (const signer of Object.values(request.signers)) signer.lastRemindedAt = at(0);
    const decided = remindPlan(request, 'APP1', at(59 * 60_000 + 30_000));
    expect('refusal' in decided && decided.refusal.code).toBe('REMIND_TOO_SOON');
    expect('refusal' in decided && decided.refusal.retryAfterSeconds).toBe(30);
    const foreign = remindPlan(request, 'OTHER', at(0));
    expect('refusal' in foreign && foreign.refusal.code).toBe('SIGN_REQUEST_NOT_FOUND');
  });

  it(`refuses a request that has had ${MAX_REMINDERS} reminders, and a closed one`, () => {
    const { request } = freshRequest(1);
    request.history.push(...Array.from({ length: MAX_REMINDERS }, () => ({ at: at(0), event: 'REMINDED' as const })));
    const limit = remindPlan(request, 'APP1', at(0));
    expect('refusal' in limit && limit.refusal.code).toBe('REMINDER_LIMIT_REACHED');
    const closed = remindPlan({ ...freshRequest(1).request, status: 'CANCELLED' }, 'APP1', at(0));
    expect('refusal' in closed && closed.refusal.code).toBe('SIGN_REQUEST_CLOSED');
  });
});

describe('isOwnReminder', () => {
  it('finds the call’s own reminder by its token, even when a view or a signature landed after it', () => {
    const { request } = freshRequest(2);
    const [first, second] = Object.keys(request.signers);
    const reminded = {
      ...request,
      history: [
        ...request.history,
        { at: '2030-01-01T00:01:00.000Z', event: 'REMINDED' as const, signerIds: [first!, second!], callId: 'mine' },
        { at: '2030-01-01T00:02:00.000Z', event: 'VIEWED' as const, signerId: first! },
        { at: '2030-01-01T00:03:00.000Z', event: 'SIGNED' as const, signerId: first! },
      ],
    };
    expect(isOwnReminder(reminded, 'mine')).toBe(true);
    // Another call's reminder, at the same moment to the same signers, is not this one's.
    expect(isOwnReminder(reminded, 'theirs')).toBe(false);
    expect(isOwnReminder(request, 'mine')).toBe(false);
    expect(isOwnReminder(undefined, 'mine')).toBe(false);
  });
});

describe('remindPlan: whom it counts', () => {
  it('counts only REMINDED entries towards the limit', () => {
    const { request } = freshRequest(1);
    const entries = (event: 'REMINDED' | 'VIEWED', count: number) =>
      Array.from({ length: count }, () => ({ at: at(0), event }));
    request.history.push(...entries('REMINDED', MAX_REMINDERS - 1), ...entries('VIEWED', 5));
    const [signerId] = Object.keys(request.signers);
    expect(remindPlan(request, 'APP1', at(0))).toEqual({ plan: { due: [signerId], notYet: [] } });
  });

  it('leaves out signers who signed: they are neither due nor named for later', () => {
    const { request } = freshRequest(3, { status: 'PARTIALLY_SIGNED', signedCount: 1 });
    const [a, b, c] = Object.keys(request.signers) as [string, string, string];
    request.signers[a] = { ...request.signers[a]!, status: 'SIGNED', lastRemindedAt: at(0) };
    request.signers[b]!.lastRemindedAt = at(0);
    expect(remindPlan(request, 'APP1', at(60_000))).toEqual({
      plan: { due: [c], notYet: [{ signerId: b, at: at(REMIND_INTERVAL_MS) }] },
    });
  });

  it('waits for the first signer who may be reminded again, not the last', () => {
    const { request } = freshRequest(2);
    const [a, b] = Object.keys(request.signers) as [string, string];
    request.signers[a]!.lastRemindedAt = at(20 * 60_000);
    request.signers[b]!.lastRemindedAt = at(10 * 60_000);
    const decided = remindPlan(request, 'APP1', at(30 * 60_000));
    // b was reminded first: due again at 1:10, 40 minutes after the call at 0:30.
    expect('refusal' in decided && decided.refusal.retryAfterSeconds).toBe(40 * 60);
  });
});

describe('isOwnReminder: only a REMINDED entry', () => {
  it('does not take another event carrying the same token for its reminder', () => {
    const { request } = freshRequest(1);
    const other = {
      ...request,
      history: [...request.history, { at: at(0), event: 'VIEWED' as const, callId: 'mine' }],
    };
    expect(isOwnReminder(other, 'mine')).toBe(false);
  });
});
