import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import { explain, firstFailing } from '../../functions/core/guards.ts';
import {
  declineRule,
  failedProofRule,
  firstViewRule,
  proofResetRule,
  signedDocumentRule,
  signerChangeRule,
  signerRemovalRule,
} from '../../functions/core/rules.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { freshRequest } from '../support/requests.ts';

const AT = '2030-01-02T00:00:00.000Z';
const LATER = '2030-01-03T00:00:00.000Z';
const { request: base, tokens } = freshRequest(2);
const [me, other] = [tokens[0]!.signerId, tokens[1]!.signerId];
const withSigner = (request: SignRequest, signerId: string, changes: object): SignRequest => ({
  ...request,
  signers: { ...request.signers, [signerId]: { ...request.signers[signerId]!, ...changes } },
});
const without = (request: SignRequest, signerId: string): SignRequest => {
  const { [signerId]: _gone, ...rest } = request.signers;
  return { ...request, signers: rest };
};
const refusalOf = (explained: ReturnType<typeof explain>) =>
  explained instanceof DomainError ? { code: explained.code, message: explained.rules[0]?.Message } : explained;

describe('signerChangeRule and signerRemovalRule', () => {
  const input = { appId: 'APP1', signerId: me, at: AT, version: base.version, expectedVersions: [base.version] };

  it('name the guard each state fails first, and answer it with its refusal', () => {
    for (const rule of [signerChangeRule(input), signerRemovalRule(input)]) {
      const failing = (state: SignRequest | undefined) => ({
        guard: firstFailing(rule, state)?.name,
        answer: refusalOf(explain(rule, state)),
      });
      expect(failing(undefined).guard).toBe('exists');
      expect(failing({ ...base, appId: 'OTHER' })).toMatchObject({
        guard: 'own',
        answer: { code: 'SIGN_REQUEST_NOT_FOUND' },
      });
      expect(failing({ ...base, version: base.version + 1 })).toMatchObject({
        guard: 'if-match',
        answer: { code: 'PRECONDITION_FAILED' },
      });
      expect(failing(without(base, me))).toMatchObject({
        guard: 'signer exists',
        answer: { code: 'SIGNER_NOT_FOUND' },
      });
      const replaced = { ...without(base, me), formerSigners: { [me]: { replacedBy: 'NEW-SIGNER' } } } as SignRequest;
      expect(failing(replaced)).toMatchObject({
        guard: 'signer exists',
        answer: {
          code: 'SIGNER_REPLACED',
          message: 'This signer was replaced by NEW-SIGNER: change that signer instead',
        },
      });
      const someoneElse: string = 'SOMEONE-ELSE';
      const otherFormer = {
        ...without(base, me),
        formerSigners: { [someoneElse]: { replacedBy: 'X' } },
      } as SignRequest;
      expect(failing(otherFormer).answer).toMatchObject({ code: 'SIGNER_NOT_FOUND' });
      const removedOnly = { ...without(base, me), formerSigners: { [me]: {} } } as SignRequest;
      expect(failing(removedOnly).answer).toMatchObject({ code: 'SIGNER_NOT_FOUND' });
      expect(failing(withSigner(base, me, { status: 'SIGNED' }))).toMatchObject({
        guard: 'signer has not signed',
        answer: { code: 'SIGNER_ALREADY_ACTED' },
      });
      expect(failing({ ...base, decline: { signerId: me, at: AT, reason: 'no' } })).toMatchObject({
        guard: 'signer has not declined',
        answer: { code: 'SIGNER_ALREADY_ACTED' },
      });
      // Another signer's decline is not this signer's act: what refuses then is the request's state.
      expect(failing({ ...base, status: 'DECLINED', decline: { signerId: other, at: AT, reason: 'no' } }).guard).toBe(
        'not declined',
      );
      expect(failing({ ...base, updatedAt: LATER }).guard).toBe('after last change');
      expect(failing(base)).toEqual({ guard: undefined, answer: undefined });
    }
  });

  it('plans again (retry) when the request moved past the version read, whatever If-Match named', () => {
    const moved = { ...base, version: base.version + 1 };
    const rule = signerChangeRule({ ...input, expectedVersions: undefined });
    expect(firstFailing(rule, moved)?.name).toBe('version read');
    expect(explain(rule, moved)).toBe('retry');
  });

  it('refuse removing the last signer (409 LAST_SIGNER), only the removal', () => {
    const alone = { ...base, signerCount: 1 };
    expect(firstFailing(signerRemovalRule(input), alone)?.name).toBe('not the last signer');
    expect(refusalOf(explain(signerRemovalRule(input), alone))).toMatchObject({ code: 'LAST_SIGNER' });
    expect(firstFailing(signerChangeRule(input), alone)).toBeUndefined();
  });
});

describe('failedProofRule and proofResetRule', () => {
  const recalledAt = '2030-01-01T12:00:00.000Z';

  it('answer a recalled request with its recall time and reason, or the last change when no recall is kept', () => {
    const rule = failedProofRule({ signerId: me, at: AT, failedProofs: 0, failedProofsTotal: 0, recalls: false });
    const recalled = {
      ...base,
      status: 'CANCELLED' as const,
      recall: { reason: 'wrong file', by: 'app', at: recalledAt },
    };
    expect(refusalOf(explain(rule, recalled))).toMatchObject({
      code: 'SIGN_REQUEST_CANCELLED',
      message: `This request was recalled by the sender on ${recalledAt}: wrong file`,
    });
    const bare = { ...base, status: 'CANCELLED' as const, updatedAt: recalledAt };
    expect(refusalOf(explain(rule, bare))).toHaveProperty(
      'message',
      `This request was recalled by the sender on ${recalledAt}: recalled`,
    );
  });

  it('answer a locked signer 429 with the seconds left of the lock', () => {
    const rule = failedProofRule({ signerId: me, at: AT, failedProofs: 0, failedProofsTotal: 0, recalls: false });
    const locked = withSigner(base, me, { lockedUntil: new Date(Date.parse(AT) + 90_000).toISOString() });
    expect(firstFailing(rule, locked)?.name).toBe('signer not locked');
    const refused = explain(rule, locked);
    expect(refused instanceof DomainError && refused.retryAfterSeconds).toBe(90);
  });

  it('hold the counts as read: absent is 0, a count read as 0 or 3 must still be 0 or 3', () => {
    const fromZero = failedProofRule({ signerId: me, at: AT, failedProofs: 0, failedProofsTotal: 0, recalls: false });
    expect(firstFailing(fromZero, base)).toBeUndefined();
    expect(firstFailing(fromZero, withSigner(base, me, { failedProofs: 0, failedProofsTotal: 0 }))).toBeUndefined();
    expect(firstFailing(fromZero, withSigner(base, me, { failedProofs: 1 }))?.name).toBe('wrong proofs as read');
    expect(firstFailing(fromZero, withSigner(base, me, { failedProofsTotal: 1 }))?.name).toBe(
      'all wrong proofs as read',
    );
    const fromThree = failedProofRule({ signerId: me, at: AT, failedProofs: 3, failedProofsTotal: 3, recalls: false });
    expect(firstFailing(fromThree, base)?.name).toBe('wrong proofs as read');
    expect(firstFailing(fromThree, withSigner(base, me, { failedProofs: 3, failedProofsTotal: 3 }))).toBeUndefined();
    const reset = proofResetRule({ signerId: me, at: AT, failedProofs: 2 });
    expect(firstFailing(reset, withSigner(base, me, { failedProofs: 2 }))).toBeUndefined();
    expect(firstFailing(reset, withSigner(base, me, { failedProofs: 1 }))?.name).toBe('wrong proofs as read');
    expect(explain(reset, withSigner(base, me, { failedProofs: 1 }))).toBe('retry');
    expect(firstFailing(reset, { ...base, status: 'EXPIRED' })?.name).toBe('not expired');
  });
});

describe('a wrong proof that recalls', () => {
  it('is held to a request still open and not signed by all; one that does not recall is not', () => {
    const counts = { signerId: me, at: AT, failedProofs: 0, failedProofsTotal: 0 };
    const recalling = failedProofRule({ ...counts, recalls: true });
    const plain = failedProofRule({ ...counts, recalls: false });
    const completedSince = { ...base, status: 'COMPLETED' as const, signedCount: 2 };
    const signedByAll = { ...base, signedCount: 2 };
    expect(firstFailing(recalling, base)).toBeUndefined();
    expect(firstFailing(recalling, completedSince)?.name).toBe('open');
    expect(firstFailing(recalling, signedByAll)?.name).toBe('not signed by all');
    expect(explain(recalling, signedByAll)).toBe('retry');
    expect(firstFailing(plain, completedSince)).toBeUndefined();
    expect(firstFailing(plain, signedByAll)).toBeUndefined();
  });
});

describe('the lock and the turn in the signer-facing rules', () => {
  it('lets a signer whose lock has run out act again', () => {
    const rule = failedProofRule({ signerId: me, at: AT, failedProofs: 0, failedProofsTotal: 0, recalls: false });
    expect(firstFailing(rule, withSigner(base, me, { lockedUntil: AT }))).toBeUndefined();
    expect(firstFailing(rule, withSigner(base, me, { lockedUntil: LATER }))?.name).toBe('signer not locked');
  });

  it("refuses a later group's decline (409 NOT_YOUR_TURN) and records no first view of theirs", () => {
    const later = withSigner(
      withSigner({ ...base, currentOrder: 1, currentGroupPending: 1 }, me, { signingOrder: 2 }),
      other,
      {
        signingOrder: 1,
      },
    );
    const decline = declineRule({ signerId: me, at: AT });
    expect(firstFailing(decline, later)?.name).toBe('signer’s turn');
    expect(refusalOf(explain(decline, later))).toMatchObject({ code: 'NOT_YOUR_TURN' });
    const view = firstViewRule({ signerId: me, at: AT });
    expect(firstFailing(view, later)?.name).toBe('signer’s turn');
    expect(explain(view, later)).toBe('unneeded');
    expect(firstFailing(view, { ...later, currentOrder: 2 })).toBeUndefined();
  });
});

describe('signedDocumentRule', () => {
  it('names what stops the record: missing, not completed, recorded already, a later change', () => {
    const rule = signedDocumentRule(AT);
    const completed = { ...base, status: 'COMPLETED' as const, signedCount: 2 };
    const failure = (state: SignRequest | undefined) => firstFailing(rule, state);
    expect(
      [
        failure(undefined),
        failure(base),
        failure({ ...completed, signedDocument: {} } as SignRequest),
        failure({ ...completed, updatedAt: LATER }),
      ].map((each) => each && [each.name, each.failure]),
    ).toEqual([
      ['exists', 'missing'],
      ['completed', 'not completed'],
      ['not recorded', 'recorded'],
      ['after last change', 'retry'],
    ]);
    expect(failure(completed)).toBeUndefined();
  });
});
