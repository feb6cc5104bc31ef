import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import { eventsOfChange } from '../../functions/core/events.ts';
import { SignRequestStatus, SignerStatus, type SignRequest, type Signer } from '../../functions/core/sign-request.ts';
import {
  planSignerChange,
  planSignerRemoval,
  replayedChange,
  replayedRemoval,
  type SignerChangeCommand,
} from '../../functions/core/signer-change.ts';
import { openSigningLink, planSignature } from '../../functions/core/signing.ts';
import { orderAttributes } from '../../functions/core/signing-order.ts';
import { secretMatches } from '../../functions/core/signing-token.ts';
import { requestCertificateFacts } from '../../functions/documents/request-certificate-facts.ts';
import { mailFor } from '../../functions/notifications/mail-content.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-01-02T00:00:00.000Z';
const NEW_ID = '01M8FV8KRECGNRESTKQSW6EJEZ';
const secretFor = (signRequestId: string, signerId: string) => `secret:${signRequestId}:${signerId}`;

const refusalCode = (act: () => unknown): string => {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
};

/** The refusal `act` throws, whole: its code, field and message. */
const refusalOf = (act: () => unknown): DomainError => {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

/**
 * `request` with its signers (in list order) in the groups given and, optionally, some signed; its order state
 * recomputed from them as initiate and every write keep it.
 */
const inGroups = (request: SignRequest, groups: number[], signed: number[] = []): SignRequest => {
  const signers: Record<string, Signer> = Object.fromEntries(
    Object.entries(request.signers).map(([signerId, signer], index) => [
      signerId,
      {
        ...signer,
        signingOrder: groups[index]!,
        ...(signed.includes(index) ? { status: SignerStatus.Signed, signedAt: NOW } : {}),
      },
    ]),
  );
  return {
    ...request,
    signers,
    signedCount: signed.length,
    status: signed.length > 0 ? SignRequestStatus.PartiallySigned : request.status,
    ...orderAttributes(signers),
  };
};

/** A request made before signing order existed: no group on its signers, no order state on it. */
const withoutOrder = (request: SignRequest): SignRequest => {
  const { currentOrder: _order, currentGroupPending: _pending, ...rest } = request;
  const signers = Object.fromEntries(
    Object.entries(request.signers).map(([signerId, { signingOrder: _group, ...signer }]) => [signerId, signer]),
  );
  return { ...rest, signers };
};

const idAt = (request: SignRequest, index: number): string => Object.keys(request.signers)[index]!;

const changeOf = (request: SignRequest, index: number, changes: SignerChangeCommand['changes']) => ({
  signRequestId: request.id,
  signerId: Object.keys(request.signers)[index]!,
  appId: request.appId,
  changes,
});

/** The request as the planned change leaves it, applied as the store's write applies it. */
const applied = (request: SignRequest, plan: ReturnType<typeof planSignerChange>): SignRequest => {
  const { [plan.signerId]: _gone, ...kept } = request.signers;
  return {
    ...request,
    signers: { ...kept, [plan.newSignerId]: plan.newSigner },
    formerSigners: plan.formerSigners,
    ...plan.derived,
    updatedAt: plan.at,
    version: request.version + 1,
    history: [...request.history, ...plan.history],
  };
};

describe('planSignerChange', () => {
  it('replaces the signer under a new id and link, in the same list position, keeping what is not changed', () => {
    const { request } = freshRequest(2);
    const old = Object.entries(request.signers)[1]!;
    const viewed = { ...request, signers: { ...request.signers, [old[0]]: { ...old[1], viewedAt: NOW } } };
    const plan = planSignerChange(viewed, changeOf(viewed, 1, { email: 'NEW@example.com' }), NOW, secretFor, NEW_ID);

    expect(plan.newSigner).toEqual({
      name: old[1].name,
      email: 'NEW@example.com',
      order: old[1].order,
      signingOrder: old[1].signingOrder,
      status: SignerStatus.Pending,
      tokenHash: plan.newSigner.tokenHash,
    });
    expect(secretMatches(secretFor(request.id, NEW_ID), plan.newSigner.tokenHash)).toBe(true);
    expect(plan.formerSigners).toEqual({
      [old[0]]: {
        name: old[1].name,
        email: old[1].email,
        tokenHash: old[1].tokenHash,
        signingOrder: old[1].signingOrder,
        replacedBy: NEW_ID,
        replacedAt: NOW,
      },
    });
    // Both signers are in group 1, which has both pending still.
    expect(plan.derived).toEqual({ signerCount: 2, currentOrder: 1, currentGroupPending: 2 });
    expect(plan.version).toBe(request.version);
    expect(plan.history).toEqual([
      { at: NOW, event: 'SIGNER_CHANGED', signerId: old[0], newSignerId: NEW_ID, changed: ['email'] },
    ]);
  });

  it('carries the signing group and proof over, and names only fields whose value changed', () => {
    const { request } = freshRequest(1);
    const [signerId, signer] = Object.entries(request.signers)[0]!;
    const grouped = {
      ...request,
      signers: { [signerId]: { ...signer, signingOrder: 2, proof: { kind: 'EMAIL' as const } } },
    };
    const plan = planSignerChange(grouped, changeOf(grouped, 0, { name: signer.name }), NOW, secretFor, NEW_ID);
    expect(plan.newSigner).toMatchObject({ signingOrder: 2, proof: { kind: 'EMAIL' } });
    expect(plan.formerSigners[signerId]?.signingOrder).toBe(2);
    expect(plan.history[0]?.changed).toEqual([]);
  });

  it('refuses a signer who signed or declined, a closed request, another app and an unknown signer', () => {
    const { request, tokens } = freshRequest(3);
    const signed = { ...request, signers: { ...request.signers } };
    const signerId = tokens[0]!.signerId;
    signed.signers[signerId] = { ...signed.signers[signerId]!, status: SignerStatus.Signed };
    signed.signedCount = 1;
    expect(refusalCode(() => planSignerChange(signed, changeOf(signed, 0, { name: 'X' }), NOW, secretFor))).toBe(
      'SIGNER_ALREADY_ACTED',
    );
    const declined = {
      ...request,
      status: SignRequestStatus.Declined,
      decline: { signerId: tokens[1]!.signerId, reason: 'no', at: NOW },
    };
    expect(refusalCode(() => planSignerRemoval(declined, changeOf(declined, 1, {}), NOW))).toBe('SIGNER_ALREADY_ACTED');
    expect(refusalCode(() => planSignerRemoval(declined, changeOf(declined, 2, {}), NOW))).toBe(
      'SIGN_REQUEST_DECLINED',
    );
    const expired = { ...request, expiresAt: NOW };
    expect(refusalCode(() => planSignerChange(expired, changeOf(expired, 0, { name: 'X' }), NOW, secretFor))).toBe(
      'SIGN_REQUEST_EXPIRED',
    );
    expect(
      refusalCode(() =>
        planSignerChange(request, { ...changeOf(request, 0, { name: 'X' }), appId: 'OTHER' }, NOW, secretFor),
      ),
    ).toBe('SIGN_REQUEST_NOT_FOUND');
    expect(
      refusalCode(() =>
        planSignerChange(request, { ...changeOf(request, 0, { name: 'X' }), signerId: NEW_ID }, NOW, secretFor),
      ),
    ).toBe('SIGNER_NOT_FOUND');
    expect(
      refusalCode(() =>
        planSignerChange(
          request,
          { ...changeOf(request, 0, { name: 'X' }), expectedVersions: [request.version + 1] },
          NOW,
          secretFor,
        ),
      ),
    ).toBe('PRECONDITION_FAILED');
  });

  it('refuses another current signer’s email in any case, but not the signer’s own', () => {
    const { request } = freshRequest(2);
    const other = Object.values(request.signers)[1]!.email.toUpperCase();
    expect(refusalCode(() => planSignerChange(request, changeOf(request, 0, { email: other }), NOW, secretFor))).toBe(
      'VALIDATION_FAILED',
    );
    const own = Object.values(request.signers)[0]!.email;
    expect(planSignerChange(request, changeOf(request, 0, { email: own }), NOW, secretFor).history[0]?.changed).toEqual(
      [],
    );
  });

  it('leaves the old link 410 once its secret matches, a forged one 404, and the new link open', () => {
    const { request, tokens } = freshRequest(2);
    const plan = planSignerChange(request, changeOf(request, 1, { name: 'New' }), NOW, secretFor, NEW_ID);
    const after = applied(request, plan);
    expect(refusalCode(() => openSigningLink(after, tokens[1]!))).toBe('SIGNING_LINK_REPLACED');
    expect(refusalCode(() => openSigningLink(after, { ...tokens[1]!, secret: 'A'.repeat(43) }))).toBe(
      'SIGNING_LINK_NOT_FOUND',
    );
    expect(refusalCode(() => planSignature(after, tokens[1]!, NOW, undefined))).toBe('SIGNING_LINK_REPLACED');
    const opened = openSigningLink(after, {
      signRequestId: request.id,
      signerId: NEW_ID,
      secret: secretFor(request.id, NEW_ID),
    });
    expect(opened.signer.name).toBe('New');
  });

  it('answers a retry with the same fields by the signer the change made, and nothing else', () => {
    const { request } = freshRequest(2);
    const command = changeOf(request, 1, { email: 'new@example.com' });
    const after = applied(request, planSignerChange(request, command, NOW, secretFor, NEW_ID));
    expect(replayedChange(after, command)?.signerId).toBe(NEW_ID);
    expect(replayedChange(after, { ...command, changes: { email: 'other@example.com' } })).toBeUndefined();
    expect(replayedChange(after, { ...command, appId: 'OTHER' })).toBeUndefined();
    expect(replayedChange(request, command)).toBeUndefined();
    expect(refusalCode(() => planSignerChange(after, { ...command, changes: { name: 'X' } }, NOW, secretFor))).toBe(
      'SIGNER_REPLACED',
    );
  });

  it('is announced as SignerChanged, which invites the new signer alone with the new link', () => {
    const { request } = freshRequest(2);
    const plan = planSignerChange(request, changeOf(request, 1, { name: 'Ben' }), NOW, secretFor, NEW_ID);
    const after = applied(request, plan);
    const [event, ...more] = eventsOfChange(request, after);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      type: 'SignerChanged',
      signerId: plan.signerId,
      newSignerId: NEW_ID,
      changed: ['name'],
    });
    const mail = mailFor(after, event!, (id, signerId) => `https://sign.test/${id}/${signerId}`);
    expect(mail.map((each) => [each.kind, each.signerId, each.to.email])).toEqual([
      ['INVITATION', NEW_ID, plan.newSigner.email],
    ]);
    expect(mail[0]?.text).toContain(`https://sign.test/${request.id}/${NEW_ID}`);
    expect(mailFor({ ...after, sendInvitations: false }, event!, () => 'x')).toEqual([]);
  });
});

describe('planSignerRemoval', () => {
  it('removes a pending signer, one signer fewer, the request open while someone is still missing', () => {
    const { request } = freshRequest(3);
    const plan = planSignerRemoval(request, changeOf(request, 2, {}), NOW);
    expect(plan).toMatchObject({ derived: { signerCount: 2 }, completes: false, status: SignRequestStatus.Pending });
    expect(plan.history).toEqual([{ at: NOW, event: 'SIGNER_REMOVED', signerId: plan.signerId }]);
    expect(plan.formerSigners[plan.signerId]).toMatchObject({ removedAt: NOW });
  });

  it('completes the request when everyone left has signed: SIGNER_REMOVED then COMPLETED', () => {
    const { request, tokens } = freshRequest(2);
    const signed = {
      ...request,
      signers: { ...request.signers },
      signedCount: 1,
      status: SignRequestStatus.PartiallySigned,
    };
    signed.signers[tokens[0]!.signerId] = { ...signed.signers[tokens[0]!.signerId]!, status: SignerStatus.Signed };
    const plan = planSignerRemoval(signed, changeOf(signed, 1, {}), NOW);
    expect(plan).toMatchObject({ derived: { signerCount: 1 }, completes: true, status: SignRequestStatus.Completed });
    expect(plan.history.map((entry) => entry.event)).toEqual(['SIGNER_REMOVED', 'COMPLETED']);
  });

  it('refuses the last signer, and answers a retry of a removal as done', () => {
    const { request } = freshRequest(1);
    expect(refusalCode(() => planSignerRemoval(request, changeOf(request, 0, {}), NOW))).toBe('LAST_SIGNER');
    const { request: two } = freshRequest(2);
    const command = changeOf(two, 1, {});
    const plan = planSignerRemoval(two, command, NOW);
    const { [plan.signerId]: _gone, ...kept } = two.signers;
    const after = { ...two, signers: kept, formerSigners: plan.formerSigners, signerCount: 1 };
    expect(replayedRemoval(after, command)).toBe(true);
    expect(replayedRemoval(two, command)).toBe(false);
    expect(replayedRemoval(after, { ...command, appId: 'OTHER' })).toBe(false);
  });
});

describe('the certificate facts of changed signers', () => {
  it('name who was replaced by whom and who was removed, in order, with the times', () => {
    const { request } = freshRequest(3);
    const change = planSignerChange(request, changeOf(request, 0, { name: 'Asha Rao' }), NOW, secretFor, NEW_ID);
    const changed = applied(request, change);
    const removal = planSignerRemoval(changed, changeOf(changed, 1, {}), '2030-01-03T00:00:00.000Z');
    const { [removal.signerId]: _gone, ...kept } = changed.signers;
    const after = {
      ...changed,
      signers: kept,
      formerSigners: removal.formerSigners,
      history: [...changed.history, ...removal.history],
    };
    const old = request.signers[change.signerId]!;
    const removed = request.signers[removal.signerId]!;
    expect(requestCertificateFacts(after, 'Acme', NOW).signerChanges).toEqual([
      {
        kind: 'changed',
        at: change.at,
        from: { name: old.name, email: old.email },
        to: { name: 'Asha Rao', email: old.email },
      },
      { kind: 'removed', at: removal.at, from: { name: removed.name, email: removed.email } },
    ]);
    expect(requestCertificateFacts(request, 'Acme', NOW).signerChanges).toEqual([]);
  });
});

describe('a change of a signer’s group', () => {
  it('takes a group up to the number of signers, and refuses one past it on the field order', () => {
    const { request } = freshRequest(3);
    const plan = planSignerChange(request, changeOf(request, 0, { order: 3 }), NOW, secretFor, NEW_ID);
    expect(plan.newSigner.signingOrder).toBe(3);
    expect(plan.history[0]?.changed).toEqual(['order']);
    const refusal = refusalOf(() => planSignerChange(request, changeOf(request, 0, { order: 4 }), NOW, secretFor));
    expect(refusal.rules.map((rule) => [rule.Code, rule.Field])).toEqual([['VALIDATION_FAILED', 'order']]);
    expect(refusal.rules[0]?.Message).toContain(`at most ${request.signerCount}`);
  });

  it('refuses a group before the one signing now, and takes that group itself', () => {
    // Group 1 has signed: group 2 signs now.
    const { request: fresh } = freshRequest(3);
    const request = inGroups(fresh, [1, 2, 2], [0]);
    expect(request.currentOrder).toBe(2);
    const refusal = refusalOf(() => planSignerChange(request, changeOf(request, 1, { order: 1 }), NOW, secretFor));
    expect(refusal.rules.map((rule) => [rule.Code, rule.Field])).toEqual([['VALIDATION_FAILED', 'order']]);
    expect(refusal.rules[0]?.Message).toContain('at least 2');
    const plan = planSignerChange(request, changeOf(request, 2, { order: 2 }), NOW, secretFor, NEW_ID);
    expect(plan.newSigner.signingOrder).toBe(2);
    expect(plan.history[0]?.changed).toEqual([]);
  });

  it('names order as changed only when the group differs', () => {
    const { request: fresh } = freshRequest(2);
    const request = inGroups(fresh, [1, 2]);
    const same = planSignerChange(request, changeOf(request, 1, { order: 2 }), NOW, secretFor, NEW_ID);
    expect(same.history[0]?.changed).toEqual([]);
    const moved = planSignerChange(request, changeOf(request, 1, { order: 1 }), NOW, secretFor, NEW_ID);
    expect(moved.history[0]?.changed).toEqual(['order']);
    expect(moved.derived).toEqual({ signerCount: 2, currentOrder: 1, currentGroupPending: 2 });
  });

  it('invites the next group in the same write when the current group’s last pending signer moves to a later one', () => {
    const { request: fresh } = freshRequest(3);
    const request = inGroups(fresh, [1, 2, 3]);
    const plan = planSignerChange(request, changeOf(request, 0, { order: 3 }), NOW, secretFor, NEW_ID);
    expect(plan.derived).toEqual({ signerCount: 3, currentOrder: 2, currentGroupPending: 1 });
    expect(plan.history).toEqual([
      { at: NOW, event: 'SIGNER_CHANGED', signerId: idAt(request, 0), newSignerId: NEW_ID, changed: ['order'] },
      { at: NOW, event: 'INVITED', signerIds: [idAt(request, 1)] },
    ]);
  });

  it('leaves the new signer to their own invitation when they alone are pending in the group reached', () => {
    // Signer 1 signed group 1's other half; signer 0, the last pending of group 1, moves to group 2, where nobody else is.
    const { request: fresh } = freshRequest(2);
    const request = inGroups(fresh, [1, 1], [1]);
    const plan = planSignerChange(request, changeOf(request, 0, { order: 2 }), NOW, secretFor, NEW_ID);
    expect(plan.derived).toEqual({ signerCount: 2, currentOrder: 2, currentGroupPending: 1 });
    expect(plan.history).toEqual([
      { at: NOW, event: 'SIGNER_CHANGED', signerId: idAt(request, 0), newSignerId: NEW_ID, changed: ['order'] },
    ]);
  });

  it('invites nobody when the current group still has someone pending', () => {
    const { request: fresh } = freshRequest(3);
    const request = inGroups(fresh, [1, 1, 2]);
    const plan = planSignerChange(request, changeOf(request, 0, { order: 2 }), NOW, secretFor, NEW_ID);
    expect(plan.derived).toEqual({ signerCount: 3, currentOrder: 1, currentGroupPending: 1 });
    expect(plan.history.map((entry) => entry.event)).toEqual(['SIGNER_CHANGED']);
  });

  it('invites only the members of the group reached who are still pending', () => {
    // A state no write leaves today (a signer of group 2 signed while group 1 was pending): invitedBy still asks
    // only those pending, as a signature completing a group does.
    const { request: fresh } = freshRequest(3);
    const grouped = inGroups(fresh, [1, 2, 2]);
    const signerId = idAt(grouped, 2);
    const request = {
      ...grouped,
      signers: { ...grouped.signers, [signerId]: { ...grouped.signers[signerId]!, status: SignerStatus.Signed } },
      signedCount: 1,
    };
    const plan = planSignerRemoval(request, changeOf(request, 0, {}), NOW);
    expect(plan.history).toEqual([
      { at: NOW, event: 'SIGNER_REMOVED', signerId: idAt(request, 0) },
      { at: NOW, event: 'INVITED', signerIds: [idAt(request, 1)] },
    ]);
  });
});

describe('a change of a signer’s proof', () => {
  const withProof = (proof?: Signer['proof']) => {
    const { request } = freshRequest(2);
    const signerId = idAt(request, 0);
    const { proof: _none, ...signer } = request.signers[signerId]!;
    return { ...request, signers: { ...request.signers, [signerId]: proof ? { ...signer, proof } : signer } };
  };

  it('drops a proof asked no more, named as changed', () => {
    const request = withProof({ kind: 'EMAIL' });
    const plan = planSignerChange(request, changeOf(request, 0, { proof: null }), NOW, secretFor, NEW_ID);
    expect(plan.newSigner.proof).toBeUndefined();
    expect(plan.history[0]?.changed).toEqual(['proof']);
  });

  it('does not name a proof dropped that the signer never had', () => {
    const request = withProof();
    const plan = planSignerChange(request, changeOf(request, 0, { proof: null }), NOW, secretFor, NEW_ID);
    expect(plan.newSigner.proof).toBeUndefined();
    expect(plan.history[0]?.changed).toEqual([]);
  });

  it('names a proof given as changed, a new one or one of the same kind alike (a new code is a change)', () => {
    const none = withProof();
    const added = planSignerChange(none, changeOf(none, 0, { proof: { kind: 'EMAIL' } }), NOW, secretFor, NEW_ID);
    expect(added.newSigner.proof).toEqual({ kind: 'EMAIL' });
    expect(added.history[0]?.changed).toEqual(['proof']);
    const coded = withProof({ kind: 'ACCESS_CODE', hash: 'old' });
    const code = { kind: 'ACCESS_CODE' as const, hash: 'new' };
    const renewed = planSignerChange(coded, changeOf(coded, 0, { proof: code }), NOW, secretFor, NEW_ID);
    expect(renewed.newSigner.proof).toEqual(code);
    expect(renewed.history[0]?.changed).toEqual(['proof']);
  });
});

describe('a request from before signing order', () => {
  it('gains no group and no order state from a change, and invites nobody', () => {
    const { request: fresh } = freshRequest(2);
    const request = withoutOrder(fresh);
    const old = request.signers[idAt(request, 0)]!;
    const plan = planSignerChange(request, changeOf(request, 0, { name: 'New' }), NOW, secretFor, NEW_ID);
    expect(plan.derived).toStrictEqual({ signerCount: 2 });
    expect(plan.newSigner).toStrictEqual({
      name: 'New',
      email: old.email,
      order: old.order,
      status: SignerStatus.Pending,
      tokenHash: plan.newSigner.tokenHash,
    });
    expect(plan.formerSigners[idAt(request, 0)]).toStrictEqual({
      name: old.name,
      email: old.email,
      tokenHash: old.tokenHash,
      replacedBy: NEW_ID,
      replacedAt: NOW,
    });
    expect(plan.history.map((entry) => entry.event)).toEqual(['SIGNER_CHANGED']);
  });

  it('refuses a group other than 1 (the one everyone is in), naming the field', () => {
    const { request: fresh } = freshRequest(2);
    const request = withoutOrder(fresh);
    const refused = refusalOf(() =>
      planSignerChange(request, changeOf(request, 0, { order: 2 }), NOW, secretFor, NEW_ID),
    );
    expect([refused.code, refused.rules[0]?.Field]).toEqual(['VALIDATION_FAILED', 'order']);
    expect(refused.rules[0]?.Message).toContain('before signing order');
    const accepted = planSignerChange(request, changeOf(request, 0, { order: 1 }), NOW, secretFor, NEW_ID);
    expect(accepted.history[0]?.changed).toEqual([]);
  });

  it('gains no order state from a removal either', () => {
    const { request: fresh } = freshRequest(3);
    const request = withoutOrder(fresh);
    const plan = planSignerRemoval(request, changeOf(request, 0, {}), NOW);
    expect(plan.derived).toStrictEqual({ signerCount: 2 });
    expect(plan.history.map((entry) => entry.event)).toEqual(['SIGNER_REMOVED']);
  });
});

describe('a removal in the signing order', () => {
  it('invites the whole next group, in list order, when it removes the current group’s last pending signer', () => {
    const { request: fresh } = freshRequest(3);
    const request = inGroups(fresh, [1, 2, 2]);
    const plan = planSignerRemoval(request, changeOf(request, 0, {}), NOW);
    expect(plan).toMatchObject({ completes: false, status: request.status });
    expect(plan.derived).toEqual({ signerCount: 2, currentOrder: 2, currentGroupPending: 2 });
    expect(plan.history).toEqual([
      { at: NOW, event: 'SIGNER_REMOVED', signerId: idAt(request, 0) },
      { at: NOW, event: 'INVITED', signerIds: [idAt(request, 1), idAt(request, 2)] },
    ]);
  });
});

describe('an edit of no request', () => {
  it('is refused as not found, for a change and a removal alike', () => {
    const { request } = freshRequest(2);
    expect(refusalCode(() => planSignerChange(undefined, changeOf(request, 0, { name: 'X' }), NOW, secretFor))).toBe(
      'SIGN_REQUEST_NOT_FOUND',
    );
    expect(refusalCode(() => planSignerRemoval(undefined, changeOf(request, 0, {}), NOW))).toBe(
      'SIGN_REQUEST_NOT_FOUND',
    );
    expect(replayedChange(undefined, changeOf(request, 0, { name: 'X' }))).toBeUndefined();
    expect(replayedRemoval(undefined, changeOf(request, 0, {}))).toBe(false);
  });
});

describe('a retried change', () => {
  /** The request once signer 0 was changed by `changes`, the new signer standing under NEW_ID. */
  const changedBy = (changes: SignerChangeCommand['changes'], request = inGroups(freshRequest(2).request, [1, 2])) => {
    const command = changeOf(request, 0, changes);
    return { command, after: applied(request, planSignerChange(request, command, NOW, secretFor, NEW_ID)) };
  };

  it('answers by the new signer when every field named is as the change left it', () => {
    const { command, after } = changedBy({ name: 'New', order: 2, proof: { kind: 'EMAIL' } });
    expect(replayedChange(after, command)).toEqual({ signerId: NEW_ID, signer: after.signers[NEW_ID] });
    expect(replayedChange(after, { ...command, changes: { name: 'New' } })?.signerId).toBe(NEW_ID);
  });

  it('is no replay when the name, the group or the proof named differs from the new signer’s', () => {
    const { command, after } = changedBy({ name: 'New', order: 2, proof: { kind: 'EMAIL' } });
    expect(replayedChange(after, { ...command, changes: { ...command.changes, name: 'Other' } })).toBeUndefined();
    expect(replayedChange(after, { ...command, changes: { ...command.changes, order: 1 } })).toBeUndefined();
    expect(replayedChange(after, { ...command, changes: { ...command.changes, proof: null } })).toBeUndefined();
  });

  it('compares a proof by its kind: none asked again is a replay of none', () => {
    const { command, after } = changedBy({ proof: null });
    expect(replayedChange(after, command)?.signerId).toBe(NEW_ID);
    expect(replayedChange(after, { ...command, changes: { proof: { kind: 'EMAIL' } } })).toBeUndefined();
  });

  it('never takes an access code for one already set, even of the same kind', () => {
    const code = { kind: 'ACCESS_CODE' as const, hash: 'h' };
    const { command, after } = changedBy({ proof: code });
    expect(after.signers[NEW_ID]?.proof).toEqual(code);
    expect(replayedChange(after, command)).toBeUndefined();
  });

  it('is no replay when the new signer was since replaced or removed in turn', () => {
    const { command, after } = changedBy({ name: 'New' });
    const again = { ...command, signerId: NEW_ID };
    const replaced = applied(after, planSignerChange(after, again, NOW, secretFor, 'SECOND'));
    expect(replayedChange(replaced, command)).toBeUndefined();
    expect(replayedChange(replaced, again)?.signerId).toBe('SECOND');
  });

  it('is no replay for a signer never changed on a request where another was', () => {
    const { after } = changedBy({ name: 'New' });
    expect(replayedChange(after, changeOf(after, 0, { name: after.signers[idAt(after, 0)]!.name }))).toBeUndefined();
    expect(replayedRemoval(after, changeOf(after, 0, {}))).toBe(false);
  });
});
