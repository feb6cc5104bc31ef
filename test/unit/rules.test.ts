import { describe, expect, it } from 'vitest';
import { evaluate } from '../../functions/core/conditions.ts';
import { DomainError } from '../../functions/core/errors.ts';
import { explain, firstFailing, ruleCondition, type Rule } from '../../functions/core/guards.ts';
import {
  codeSendRule,
  declineRule,
  expiryRule,
  firstViewRule,
  leaveExpiryIndexRule,
  leaveReminderIndexRule,
  linkOpenRule,
  recallRule,
  reminderRule,
  resendClaimRule,
  signatureRule,
  signerRemindable,
} from '../../functions/core/rules.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { expressions } from '../../functions/store/expressions.ts';
import { freshRequest } from '../support/requests.ts';

const AT = '2030-06-01T00:00:00.000Z';
const PAST = '2030-01-01T00:00:00.000Z';
const LATER = '2031-01-01T00:00:00.000Z';

/**
 * A rule's precedence, shown by peeling: start from a request failing every guard, mend one thing at a time, and
 * name the guard the request fails first after each step (undefined: the write lands).
 */
const peel = <F>(rule: Rule<F>, start: SignRequest | undefined, mends: ((r: SignRequest) => SignRequest)[]) => {
  const seen: (string | undefined)[] = [firstFailing(rule, start)?.name];
  let current = start ?? freshRequest(2).request;
  for (const mend of mends) {
    current = mend(current);
    seen.push(firstFailing(rule, current)?.name);
  }
  return { seen, last: current };
};

/** A request failing every guard a state can fail: foreign, changed since, closed, signed by all, past everything. */
const { request: base, tokens } = freshRequest(2);
const [me, other] = [tokens[0]!.signerId, tokens[1]!.signerId];
const signer = (request: SignRequest, signerId: string, changes: object): SignRequest => ({
  ...request,
  signers: { ...request.signers, [signerId]: { ...request.signers[signerId]!, ...changes } },
});
const codeOf = (explained: ReturnType<typeof explain>) =>
  explained instanceof DomainError ? explained.code : explained;

describe('recallRule', () => {
  it('refuses in this order: missing or foreign, If-Match, each closed status, signed by all, deadline, time', () => {
    const start = { ...base, appId: 'OTHER', version: 3, status: 'CANCELLED' as const, signedCount: 2 };
    const rule = recallRule({ appId: 'APP1', at: AT, expectedVersions: [4] });
    const { seen } = peel(rule, undefined, [
      () => ({ ...start, expiresAt: PAST, updatedAt: LATER }),
      (r) => ({ ...r, appId: 'APP1' }),
      (r) => ({ ...r, version: 4 }),
      (r) => ({ ...r, status: 'COMPLETED' }),
      (r) => ({ ...r, status: 'EXPIRED' }),
      (r) => ({ ...r, status: 'DECLINED' }),
      (r) => ({ ...r, status: 'PARTIALLY_SIGNED' }),
      (r) => ({ ...r, signedCount: 1 }),
      (r) => ({ ...r, expiresAt: LATER }),
      (r) => ({ ...r, updatedAt: AT }),
    ]);
    expect(seen).toEqual([
      'exists',
      'own',
      'if-match',
      'not cancelled',
      'not completed',
      'not expired',
      'not declined',
      'not signed by all',
      'before deadline',
      'after last change',
      undefined,
    ]);
  });

  it('compiles an If-Match naming no version into a list DynamoDB accepts, which no version matches', () => {
    const condition = ruleCondition(recallRule({ appId: 'APP1', at: AT, expectedVersions: [] }));
    // DynamoDB's IN takes one to a hundred values: an empty list would be a malformed expression, not a refusal.
    expect(expressions({ condition }).ConditionExpression).toMatch(/ IN \(:\w+\)/);
    expect(evaluate(condition, base)).toBe(false);
    expect(evaluate(ruleCondition(recallRule({ appId: 'APP1', at: AT })), base)).toBe(true);
  });
});

describe('linkOpenRule', () => {
  it('keeps a completed request’s links alive past its deadline, while an open one past it is expired', () => {
    const me = tokens[0]!.signerId;
    const rule = linkOpenRule({ signerId: me, at: AT });
    const pastDeadline = { ...base, expiresAt: PAST };
    expect(firstFailing(rule, { ...pastDeadline, status: 'COMPLETED' })).toBeUndefined();
    expect(firstFailing(rule, { ...pastDeadline, status: 'PARTIALLY_SIGNED' })?.name).toBe('not expired');
    expect(firstFailing(rule, { ...pastDeadline, status: 'EXPIRED' })?.name).toBe('not expired');
    for (const status of ['COMPLETED', 'PARTIALLY_SIGNED'] as const)
      expect(evaluate(ruleCondition(rule), { ...pastDeadline, status }), status).toBe(status === 'COMPLETED');
  });
});

describe('signatureRule and declineRule', () => {
  const plan = { signerId: me, at: AT, lastButOne: 1 };

  it('refuse in this order: the link (missing, recalled, declined, expired), then the signer, then the guess', () => {
    const noSigner = { ...base, signers: { [other]: base.signers[other]! } };
    const rule = signatureRule({ ...plan, completes: false });
    const { seen } = peel(rule, undefined, [
      () => ({ ...noSigner, status: 'CANCELLED', signedCount: 2, expiresAt: PAST, updatedAt: LATER }),
      (r) => signer({ ...r, signers: base.signers }, me, { status: 'SIGNED' }),
      (r) => ({ ...r, status: 'DECLINED' }),
      (r) => ({ ...r, status: 'EXPIRED' }),
      (r) => ({ ...r, status: 'PARTIALLY_SIGNED' }),
      (r) => ({ ...r, expiresAt: LATER }),
      (r) => signer(r, me, { status: 'PENDING' }),
      (r) => ({ ...r, signedCount: 1 }),
      (r) => ({ ...r, signedCount: 0 }),
      (r) => ({ ...r, updatedAt: AT }),
    ]);
    expect(seen).toEqual([
      'exists',
      'signer exists',
      'not recalled',
      'not declined',
      'not expired',
      'not expired',
      'signer pending',
      'not completed',
      'not last as planned',
      'after last change',
      undefined,
    ]);
  });

  it('a completing signature expects to be the last: a count below it means another signer is missing', () => {
    const rule = signatureRule({ ...plan, completes: true });
    expect(firstFailing(rule, { ...base, signedCount: 0, updatedAt: AT })?.name).toBe('last as planned');
    expect(explain(rule, { ...base, signedCount: 0 })).toBe('retry');
    expect(firstFailing(rule, { ...base, signedCount: 1, updatedAt: AT })).toBeUndefined();
    expect(explain(signatureRule({ ...plan, completes: false }), { ...base, signedCount: 1 })).toBe('retry');
    expect(explain(rule, { ...base, signedCount: 1, updatedAt: LATER })).toBe('retry');
  });

  it('a declined request is ALREADY_DECLINED only to the signer who declined it', () => {
    const declined = (decline?: SignRequest['decline']): SignRequest => ({
      ...base,
      status: 'DECLINED',
      ...(decline ? { decline } : {}),
    });
    const byMe = { signerId: me, reason: 'No', at: PAST };
    expect(codeOf(explain(declineRule({ signerId: me, at: AT }), declined(byMe)))).toBe('ALREADY_DECLINED');
    expect(codeOf(explain(declineRule({ signerId: other, at: AT }), declined(byMe)))).toBe('SIGN_REQUEST_DECLINED');
    // Without its record (never written so, but the refusal must not fail): declined, not by this signer.
    expect(codeOf(explain(declineRule({ signerId: me, at: AT }), declined()))).toBe('SIGN_REQUEST_DECLINED');
    // A view or a signature never hears ALREADY_DECLINED, even from the decliner's own link.
    expect(codeOf(explain(signatureRule({ ...plan, completes: false }), declined(byMe)))).toBe('SIGN_REQUEST_DECLINED');
    expect(codeOf(explain(firstViewRule({ signerId: me, at: AT }), declined(byMe)))).toBe('SIGN_REQUEST_DECLINED');
    // A view names no decliner: a declined request without its record is not "yours" either.
    expect(codeOf(explain(firstViewRule({ signerId: me, at: AT }), declined()))).toBe('SIGN_REQUEST_DECLINED');
  });

  it('a decline has no guess to check: after the signer’s refusals comes only the time', () => {
    const rule = declineRule({ signerId: me, at: AT });
    expect(firstFailing(rule, { ...base, signedCount: 1, updatedAt: LATER })?.name).toBe('after last change');
    expect(firstFailing(rule, { ...base, signedCount: 1, updatedAt: AT })).toBeUndefined();
    expect(firstFailing(rule, { ...base, status: 'COMPLETED' })?.name).toBe('not completed');
  });
});

describe('the signing order in signatureRule, declineRule, firstViewRule and reminders', () => {
  const plan = { signerId: me, at: AT, lastButOne: 1, completes: false };
  /** `me` in group 2 and `other` in group 1, whose turn it is: one of group 1 pending. */
  const later = signer(signer({ ...base, currentOrder: 1, currentGroupPending: 1 }, me, { signingOrder: 2 }), other, {
    signingOrder: 1,
  });

  it('refuses a later group’s signature and decline 409 NOT_YOUR_TURN, after the link’s and the signer’s refusals', () => {
    expect(codeOf(explain(signatureRule(plan), later))).toBe('NOT_YOUR_TURN');
    expect(codeOf(explain(declineRule({ signerId: me, at: AT }), later))).toBe('NOT_YOUR_TURN');
    expect(codeOf(explain(signatureRule(plan), { ...later, status: 'CANCELLED' }))).toBe('SIGN_REQUEST_CANCELLED');
    expect(codeOf(explain(declineRule({ signerId: me, at: AT }), signer(later, me, { status: 'SIGNED' })))).toBe(
      'ALREADY_SIGNED',
    );
    // Its turn come (the request's current group is the signer's), the same signature lands.
    expect(firstFailing(signatureRule(plan), { ...later, currentOrder: 2, currentGroupPending: 2 })).toBeUndefined();
  });

  it('lets every signer act on a request from before signing order (no current group), as it always did', () => {
    const { currentOrder: _order, currentGroupPending: _pending, ...legacy } = later;
    expect(firstFailing(signatureRule(plan), legacy)).toBeUndefined();
    expect(firstFailing(declineRule({ signerId: me, at: AT }), legacy)).toBeUndefined();
  });

  it('a signer without a group on a request with one is nobody’s turn: the store compares a missing group false', () => {
    expect(codeOf(explain(signatureRule(plan), signer(later, me, { signingOrder: undefined })))).toBe('NOT_YOUR_TURN');
  });

  it('records no first view of a later group’s signer: nothing to act on yet', () => {
    expect(explain(firstViewRule({ signerId: me, at: AT }), later)).toBe('unneeded');
    expect(explain(firstViewRule({ signerId: other, at: AT }), later)).toBeUndefined();
  });

  it('reminds only the current group', () => {
    expect(evaluate(signerRemindable(me, PAST), later)).toBe(false);
    expect(evaluate(signerRemindable(other, PAST), later)).toBe(true);
  });

  it('checks the group guess like the last-signer guess: one of the group left, or more; a wrong one is replanned', () => {
    const group = (pending: number) => ({ ...later, currentOrder: 2, currentGroupPending: pending, updatedAt: AT });
    const completing = signatureRule({ ...plan, group: { completes: true } });
    const partial = signatureRule({ ...plan, group: { completes: false } });
    expect(firstFailing(completing, group(1))).toBeUndefined();
    expect(firstFailing(completing, group(2))?.name).toBe('completes group as planned');
    expect(explain(completing, group(2))).toBe('retry');
    expect(firstFailing(partial, group(2))).toBeUndefined();
    expect(firstFailing(partial, group(1))?.name).toBe('not last of group as planned');
    expect(explain(partial, group(1))).toBe('retry');
  });

  it('lets the signature that invites the next group land only on the version it read', () => {
    const state = { ...later, currentOrder: 2, currentGroupPending: 1, updatedAt: AT, version: 5 };
    expect(firstFailing(signatureRule({ ...plan, group: { completes: true, readVersion: 5 } }), state)).toBeUndefined();
    const stale = signatureRule({ ...plan, group: { completes: true, readVersion: 4 } });
    expect(firstFailing(stale, state)?.name).toBe('signers as read');
    expect(explain(stale, state)).toBe('retry');
  });

  it('compiles the turn to one comparison of two attributes in the store’s condition', () => {
    const built = expressions({ condition: ruleCondition(declineRule({ signerId: me, at: AT })) });
    expect(built.ConditionExpression).toContain('attribute_not_exists(#currentOrder) OR #currentOrder = #signers.');
    expect(built.ConditionExpression).toMatch(/#currentOrder = #signers\.#N\d+\.#signingOrder/);
  });
});

describe('firstViewRule', () => {
  it('after the link’s refusals, nothing to write when viewed already, signed, or closed; then the time', () => {
    const rule = firstViewRule({ signerId: me, at: AT });
    const { seen } = peel(rule, undefined, [
      () => signer({ ...base, status: 'COMPLETED', updatedAt: LATER }, me, { viewedAt: PAST, status: 'SIGNED' }),
      (r) => signer(r, me, { viewedAt: undefined }),
      (r) => signer(r, me, { status: 'PENDING' }),
      (r) => ({ ...r, status: 'PENDING' }),
      (r) => ({ ...r, updatedAt: AT }),
    ]);
    expect(seen).toEqual(['exists', 'not viewed', 'signer pending', 'open', 'after last change', undefined]);
    const viewed = signer(base, me, { viewedAt: PAST });
    expect(explain(rule, viewed)).toBe('unneeded');
    expect(explain(rule, { ...base, status: 'COMPLETED' })).toBe('unneeded');
  });
});

describe('codeSendRule', () => {
  const HOUR_BEFORE = '2030-05-31T23:00:00.000Z';
  const recent = '2030-05-31T23:30:00.000Z';
  const code = (sentAt: string[]) => ({ hash: 'ab'.repeat(32), expiresAt: AT, sentAt });

  it('after the link’s refusals: a signer asked for a code, who may act, under the hourly limit, then the place', () => {
    const rule = codeSendRule({ signerId: me, at: AT, slot: 2 });
    const { seen } = peel(rule, undefined, [
      () => signer({ ...base, status: 'PENDING', signedCount: 2 }, me, { status: 'SIGNED' }),
      (r) => signer(r, me, { proof: { kind: 'EMAIL' } }),
      (r) => signer(r, me, { status: 'PENDING' }),
      (r) => ({ ...r, signedCount: 0 }),
      (r) => signer(r, me, { emailCode: code([recent, recent, recent, recent, recent]) }),
      (r) => signer(r, me, { emailCode: code([recent, recent, recent, recent, HOUR_BEFORE]) }),
      (r) => signer(r, me, { emailCode: code([recent, recent, HOUR_BEFORE, recent, recent]) }),
    ]);
    expect(seen).toEqual([
      'exists',
      'asks for a mailed code',
      'signer pending',
      'not completed',
      // No code yet: a plan for place 2 was made on a state that had one.
      'place as planned',
      'fewer than 5 sends in the last hour',
      'place as planned',
      undefined,
    ]);
  });

  it('refuses a place another send took as retry, and the limit with Retry-After from the oldest send kept', () => {
    const emailed = signer(base, me, { proof: { kind: 'EMAIL' } });
    const taken = signer(emailed, me, { emailCode: code([HOUR_BEFORE, recent]) });
    expect(explain(codeSendRule({ signerId: me, at: AT, slot: 1 }), taken)).toBe('retry');
    expect(explain(codeSendRule({ signerId: me, at: AT, slot: undefined }), taken)).toBe('retry');
    expect(explain(codeSendRule({ signerId: me, at: AT, slot: 0 }), emailed)).toBe('retry');
    expect(explain(codeSendRule({ signerId: me, at: AT, slot: undefined }), emailed)).toBeUndefined();
    const full = signer(emailed, me, { emailCode: code([recent, '2030-05-31T23:10:00.000Z', recent, recent, recent]) });
    const limit = explain(codeSendRule({ signerId: me, at: AT, slot: 1 }), full);
    expect(limit).toBeInstanceOf(DomainError);
    expect((limit as DomainError).code).toBe('SIGNING_CODE_LIMIT');
    expect((limit as DomainError).retryAfterSeconds).toBe(600);
    expect(codeOf(explain(codeSendRule({ signerId: other, at: AT, slot: undefined }), emailed))).toBe(
      'SIGNING_CODE_NOT_USED',
    );
  });
});

describe('resendClaimRule', () => {
  it('refuses in this order: missing or foreign, If-Match, resent already, completed, still open', () => {
    const rule = resendClaimRule({ appId: 'APP1', at: AT, expectedVersions: [4] });
    const resend = { signRequestId: 'NEXT', requestNo: 'K', at: PAST, callId: 'c', documentName: 'D', signers: [] };
    const { seen } = peel(rule, undefined, [
      () => ({ ...base, appId: 'OTHER', version: 3, resend, status: 'COMPLETED', signedCount: 2 }),
      (r) => ({ ...r, appId: 'APP1' }),
      (r) => ({ ...r, version: 4 }),
      (r) => {
        const { resend: _resend, ...rest } = r;
        return rest;
      },
      (r) => ({ ...r, status: 'PARTIALLY_SIGNED', signedCount: 1 }),
      (r) => ({ ...r, expiresAt: AT }),
    ]);
    expect(seen).toEqual(['exists', 'own', 'if-match', 'not resent', 'not completed', 'resendable', undefined]);
    const named = explain(rule, { ...base, version: 4, resend });
    expect(named instanceof DomainError && named.message).toBe(
      'SIGN_REQUEST_ALREADY_RESENT: This request was already resent as NEXT',
    );
  });
});

describe('reminderRule', () => {
  const input = { appId: 'APP1', at: AT, remindedBefore: '2030-05-31T23:00:00.000Z' };

  it('reminding somebody: the request’s refusals, then the deadline, the time, and each signer in turn', () => {
    const rule = reminderRule({ ...input, signerIds: [me, other] });
    const { seen } = peel(rule, undefined, [
      () =>
        signer({ ...base, appId: 'OTHER', status: 'CANCELLED', signedCount: 2, expiresAt: AT, updatedAt: LATER }, me, {
          status: 'SIGNED',
        }),
      (r) => ({ ...r, appId: 'APP1' }),
      (r) => ({ ...r, status: 'PARTIALLY_SIGNED' }),
      (r) => ({ ...r, signedCount: 1 }),
      (r) => ({ ...r, expiresAt: LATER }),
      (r) => ({ ...r, updatedAt: AT }),
      (r) => signer(r, me, { status: 'PENDING' }),
      (r) => signer(r, other, { lastRemindedAt: '2030-05-31T23:00:00.001Z' }),
      (r) => signer(r, other, { lastRemindedAt: input.remindedBefore }),
    ]);
    expect(seen).toEqual([
      'exists',
      'own',
      'open',
      'not signed by all',
      'before deadline',
      'after last change',
      `signer ${me} remindable`,
      undefined,
      `signer ${other} remindable`,
      undefined,
    ]);
  });

  it('says why a closed request has nobody to remind: its status, completed when signed by all, expired past its deadline', () => {
    const rule = reminderRule({ ...input, signerIds: [me] });
    const message = (request: SignRequest) => {
      const explained = explain(rule, request);
      return explained instanceof DomainError ? explained.rules[0]?.Message : explained;
    };
    expect(message({ ...base, status: 'DECLINED' })).toBe('This request is declined: nobody is left to remind');
    expect(message({ ...base, signedCount: 2 })).toBe('This request is completed: nobody is left to remind');
    expect(message({ ...base, expiresAt: AT })).toBe('This request is expired: nobody is left to remind');
    expect(message({ ...base, appId: 'OTHER' })).toBe('No sign request found');
    expect(explain(rule, signer(base, me, { lastRemindedAt: AT }))).toBe('retry');
  });

  it('moving only the next reminder’s time checks the request alone: not its deadline, its time, or any signer', () => {
    const rule = reminderRule({ ...input, signerIds: [] });
    const late = signer({ ...base, expiresAt: PAST, updatedAt: LATER }, me, { lastRemindedAt: AT });
    expect(firstFailing(rule, late)).toBeUndefined();
    expect(firstFailing(rule, { ...late, status: 'EXPIRED' })?.name).toBe('open');
    expect(rule.map((each) => each.name)).toEqual(['exists', 'own', 'open', 'not signed by all']);
  });

  it('a signer is remindable while pending and not reminded since the hour before', () => {
    const remindable = (changes: object) =>
      evaluate(signerRemindable(me, input.remindedBefore), signer(base, me, changes));
    expect(remindable({})).toBe(true);
    expect(remindable({ lastRemindedAt: input.remindedBefore })).toBe(true);
    expect(remindable({ lastRemindedAt: '2030-05-31T23:00:00.001Z' })).toBe(false);
    expect(remindable({ status: 'SIGNED' })).toBe(false);
  });
});

describe('expiry and the indexes', () => {
  it('expiry: missing, closed, signed by all, not due, then the time; each failure named for the run', () => {
    const rule = expiryRule(AT);
    const failures: (string | undefined)[] = [firstFailing(rule, undefined)?.failure];
    let current: SignRequest = { ...base, status: 'CANCELLED', signedCount: 2, expiresAt: LATER, updatedAt: LATER };
    for (const mend of [
      (r: SignRequest): SignRequest => r,
      (r: SignRequest): SignRequest => ({ ...r, status: 'PENDING' }),
      (r: SignRequest): SignRequest => ({ ...r, signedCount: 1 }),
      (r: SignRequest): SignRequest => ({ ...r, expiresAt: AT }),
      (r: SignRequest): SignRequest => ({ ...r, updatedAt: AT }),
    ]) {
      current = mend(current);
      failures.push(firstFailing(rule, current)?.failure);
    }
    expect(failures).toEqual(['missing', 'closed', 'signed by all', 'not due', 'retry', undefined]);
    // An open request without a deadline is never due.
    const { expiresAt: _deadline, ...noDeadline } = current;
    expect(firstFailing(rule, noDeadline)?.name).toBe('due');
    expect(rule.map((each) => each.name)).toEqual(['exists', 'open', 'not signed by all', 'due', 'after last change']);
  });

  it('a request leaves the expiry index once closed, the reminder index once closed or signed by all', () => {
    const failure = (rule: Rule<string>, request: SignRequest | undefined) => firstFailing(rule, request)?.failure;
    expect(failure(leaveExpiryIndexRule, undefined)).toBe('missing');
    expect(failure(leaveExpiryIndexRule, base)).toBe('still indexed');
    expect(failure(leaveExpiryIndexRule, { ...base, signedCount: 2 })).toBe('still indexed');
    expect(failure(leaveExpiryIndexRule, { ...base, status: 'EXPIRED' })).toBeUndefined();
    expect(failure(leaveReminderIndexRule, undefined)).toBe('missing');
    expect(failure(leaveReminderIndexRule, base)).toBe('still indexed');
    expect(failure(leaveReminderIndexRule, { ...base, signedCount: 2 })).toBeUndefined();
    expect(failure(leaveReminderIndexRule, { ...base, status: 'CANCELLED' })).toBeUndefined();
    expect([...leaveExpiryIndexRule, ...leaveReminderIndexRule].map((each) => each.name)).toEqual([
      'exists',
      'closed',
      'exists',
      'closed',
    ]);
  });
});
