import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newSignRequest } from '../../functions/core/initiate.ts';
import { remindPlan } from '../../functions/core/remind.ts';
import { resendRecord } from '../../functions/core/resend.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { planDecline } from '../../functions/core/decline.ts';
import { planFirstView, planSignature } from '../../functions/core/signing.ts';
import {
  currentGroup,
  groupStep,
  isSignersTurn,
  orderAttributes,
  wasReached,
} from '../../functions/core/signing-order.ts';
import { deriveSigningSecret, type SigningToken } from '../../functions/core/signing-token.ts';

const NOW = '2030-01-01T00:00:00.000Z';
const LATER = '2030-01-01T01:00:00.000Z';

/** A request as initiate makes it, its signers given these groups of the signing order (undefined: none given). */
const ordered = (groups: (number | undefined)[]): { request: SignRequest; tokens: SigningToken[]; ids: string[] } => {
  const key = randomBytes(32);
  const secretFor = (id: string, signerId: string) => deriveSigningSecret(key, id, signerId);
  const request = newSignRequest(
    {
      appId: 'APP1',
      documentName: 'Doc.pdf',
      signers: groups.map((order, i) => ({ name: `S${i}`, email: `s${i}@example.com`, order })),
    },
    'KAiZEN-1',
    NOW,
    secretFor,
  );
  const ids = Object.entries(request.signers)
    .sort(([, a], [, b]) => a.order - b.order)
    .map(([id]) => id);
  const tokens = ids.map((signerId) => ({
    signRequestId: request.id,
    signerId,
    secret: secretFor(request.id, signerId),
  }));
  return { request, tokens, ids };
};

/** The request after `signerId`'s signature landed as its plan says (the store's write, replayed in memory). */
const afterSignature = (request: SignRequest, token: SigningToken, at = LATER): SignRequest => {
  const plan = planSignature(request, token, at, undefined);
  const signers = {
    ...request.signers,
    [token.signerId]: { ...request.signers[token.signerId]!, status: 'SIGNED' as const, signedAt: plan.at },
  };
  const next = plan.group?.next;
  return {
    ...request,
    signers,
    signedCount: request.signedCount + 1,
    status: plan.completes ? 'COMPLETED' : 'PARTIALLY_SIGNED',
    version: request.version + 1,
    updatedAt: plan.at,
    history: [...request.history, ...plan.history],
    ...(next
      ? { currentOrder: next.order, currentGroupPending: next.signerIds.length }
      : { currentGroupPending: (request.currentGroupPending ?? 1) - 1 }),
  };
};

describe('initiate and the signing order', () => {
  it('stores each signer’s group and the first group as current, with how many of it are pending', () => {
    const { request, ids } = ordered([2, 1, undefined, 3, 1]);
    expect(ids.map((id) => request.signers[id]!.signingOrder)).toEqual([2, 1, 1, 3, 1]);
    expect(request).toMatchObject({ currentOrder: 1, currentGroupPending: 3 });
  });

  it('with no order given, everyone is in group 1 and it is everyone’s turn', () => {
    const { request, ids } = ordered([undefined, undefined]);
    expect(request).toMatchObject({ currentOrder: 1, currentGroupPending: 2 });
    expect(ids.map((id) => isSignersTurn(request, id))).toEqual([true, true]);
  });

  it('a gap is no group: 1 then 3', () => {
    const { request, tokens, ids } = ordered([3, 1]);
    const after = afterSignature(request, tokens[1]!);
    expect(after).toMatchObject({ currentOrder: 3, currentGroupPending: 1 });
    expect(isSignersTurn(after, ids[0]!)).toBe(true);
  });
});

describe('currentGroup, isSignersTurn, orderAttributes, wasReached', () => {
  it('the current group is the lowest with a pending signer; none once all signed', () => {
    const { request, tokens, ids } = ordered([1, 2, 2]);
    expect(currentGroup(request)).toBe(1);
    const second = afterSignature(request, tokens[0]!);
    expect(currentGroup(second)).toBe(2);
    expect(orderAttributes(second.signers)).toEqual({ currentOrder: 2, currentGroupPending: 2 });
    const done = afterSignature(afterSignature(second, tokens[1]!), tokens[2]!);
    expect(currentGroup(done)).toBeUndefined();
    expect(orderAttributes(done.signers)).toEqual({ currentOrder: 2, currentGroupPending: 0 });
    expect(ids.map((id) => wasReached(done, done.signers[id]!))).toEqual([true, true, true]);
  });

  it('a later group is not the signer’s turn and was not reached until its group is invited', () => {
    const { request, tokens, ids } = ordered([1, 2]);
    expect(ids.map((id) => isSignersTurn(request, id))).toEqual([true, false]);
    expect(ids.map((id) => wasReached(request, request.signers[id]!))).toEqual([true, false]);
    const after = afterSignature(request, tokens[0]!);
    expect(ids.map((id) => isSignersTurn(after, id))).toEqual([false, true]);
    expect(ids.map((id) => wasReached(after, after.signers[id]!))).toEqual([true, true]);
    expect(isSignersTurn(after, 'NOBODY')).toBe(false);
  });

  it('on a request from before signing order, every signer’s turn and every signer reached', () => {
    const { request, ids } = ordered([1, 2]);
    const { currentOrder: _o, currentGroupPending: _p, ...legacy } = request;
    expect(ids.map((id) => isSignersTurn(legacy, id))).toEqual([true, true]);
    expect(ids.map((id) => wasReached(legacy, legacy.signers[id]!))).toEqual([true, true]);
    expect(groupStep(legacy, ids[0]!)).toBeUndefined();
  });
});

describe('planning a signature in the signing order', () => {
  it('the last of a group invites the next group in the same write, on the version it read', () => {
    const { request, tokens, ids } = ordered([1, 1, 2, 2, 3]);
    const first = planSignature(request, tokens[0]!, LATER, undefined);
    expect(first.group).toEqual({ completes: false });
    expect(first.history.map((entry) => entry.event)).toEqual(['SIGNED']);
    const halfway = afterSignature(request, tokens[0]!);
    const last = planSignature(halfway, tokens[1]!, LATER, undefined);
    expect(last.group).toEqual({
      completes: true,
      next: { order: 2, signerIds: [ids[2], ids[3]] },
      readVersion: halfway.version,
    });
    expect(last.history.slice(1)).toEqual([{ at: last.at, event: 'INVITED', signerIds: [ids[2], ids[3]] }]);
    expect(last.completes).toBe(false);
  });

  it('the last signature of the last group completes the request and invites nobody', () => {
    const { request, tokens } = ordered([1, 2]);
    const plan = planSignature(afterSignature(request, tokens[0]!), tokens[1]!, LATER, undefined);
    expect(plan.group).toEqual({ completes: true });
    expect(plan.history.map((entry) => entry.event)).toEqual(['SIGNED', 'COMPLETED']);
  });

  it('refuses a later group’s signature and decline, and records no first view for them', () => {
    const { request, tokens } = ordered([1, 2]);
    expect(() => planSignature(request, tokens[1]!, LATER, undefined)).toThrow(
      expect.objectContaining({ code: 'NOT_YOUR_TURN' }),
    );
    expect(() => planDecline(request, tokens[1]!, LATER, 'no')).toThrow(
      expect.objectContaining({ code: 'NOT_YOUR_TURN' }),
    );
    expect(planFirstView(request, tokens[1]!, LATER).firstView).toBeUndefined();
    expect(planFirstView(request, tokens[0]!, LATER).firstView).toBeDefined();
  });
});

describe('reminders and resend in the signing order', () => {
  it('reminds only the current group', () => {
    const { request, ids } = ordered([1, 2, 1]);
    const planned = remindPlan(request, 'APP1', LATER);
    expect(planned).toEqual({ plan: { due: [ids[0], ids[2]], notYet: [] } });
  });

  it('a resend keeps each signer’s group, or takes the body’s', () => {
    const { request } = ordered([2, 1, undefined]);
    const closed = { ...request, status: 'CANCELLED' as const };
    const kept = resendRecord(closed, { signRequestId: request.id, appId: 'APP1' }, 'KAiZEN-2', LATER, 'call');
    expect(kept.signers.map((signer) => signer.signingOrder)).toEqual([2, 1, 1]);
    const given = resendRecord(
      closed,
      { signRequestId: request.id, appId: 'APP1', signers: [{ name: 'A', email: 'a@example.com', order: 2 }] },
      'KAiZEN-2',
      LATER,
      'call',
    );
    expect(given.signers.map((signer) => signer.signingOrder)).toEqual([2]);
  });
});
