import { describe, expect, it } from 'vitest';
import { SignerStatus, type SignRequest, type Signer } from '../../functions/core/sign-request.ts';
import { groupMembers, groupStep, isSignersTurn, orderAttributes } from '../../functions/core/signing-order.ts';
import { freshRequest } from '../support/requests.ts';

// The signing order's helpers on requests built by hand: who a group is, whose turn it is, and the step a
// signature takes (the next group it invites).

/** A request whose signers (listed in this order) are in these groups, pending unless marked signed. */
const inGroups = (groups: { group: number; signed?: boolean }[], withOrderState = true): SignRequest => {
  const { request } = freshRequest(groups.length);
  const ids = Object.keys(request.signers);
  const signers: Record<string, Signer> = {};
  // Inserted last to first, so a map's own order is not the list order.
  for (let i = groups.length - 1; i >= 0; i--) {
    const id = ids[i]!;
    signers[id] = {
      ...request.signers[id]!,
      order: i,
      signingOrder: groups[i]!.group,
      status: groups[i]!.signed ? SignerStatus.Signed : SignerStatus.Pending,
    };
  }
  const { currentOrder: _o, currentGroupPending: _p, ...withoutOrder } = request;
  return withOrderState ? { ...withoutOrder, signers, ...orderAttributes(signers) } : { ...withoutOrder, signers };
};
const idsOf = (request: SignRequest) =>
  Object.entries(request.signers)
    .sort(([, a], [, b]) => a.order - b.order)
    .map(([id]) => id);

describe('groupMembers', () => {
  it('names only the group’s signers, in the order the app listed them', () => {
    const request = inGroups([{ group: 2 }, { group: 1 }, { group: 2 }, { group: 2 }]);
    const [a, , c, d] = idsOf(request);
    expect(groupMembers(request.signers, 2)).toEqual([a, c, d]);
  });
});

describe('isSignersTurn', () => {
  it('is the current group’s, and nobody’s who is not a signer, with or without order state', () => {
    const request = inGroups([{ group: 1 }, { group: 2 }]);
    const [a, b] = idsOf(request);
    expect([isSignersTurn(request, a!), isSignersTurn(request, b!)]).toEqual([true, false]);
    expect(isSignersTurn(request, 'NOT-A-SIGNER')).toBe(false);
    const before = inGroups([{ group: 1 }, { group: 2 }], false);
    expect(isSignersTurn(before, idsOf(before)[1]!)).toBe(true);
    expect(isSignersTurn(before, 'NOT-A-SIGNER')).toBe(false);
  });
});

describe('groupStep', () => {
  it('is none for a request from before signing order, whichever attribute it lacks', () => {
    const request = inGroups([{ group: 1 }, { group: 2 }]);
    const signerId = idsOf(request)[0]!;
    const { currentOrder: _o, ...noOrder } = request;
    const { currentGroupPending: _p, ...noPending } = request;
    expect(groupStep(noOrder, signerId)).toBeUndefined();
    expect(groupStep(noPending, signerId)).toBeUndefined();
    expect(groupStep(request, signerId)).toBeDefined();
  });

  it('invites the lowest later group that still has a pending signer, and only its pending signers', () => {
    const request = inGroups([{ group: 1 }, { group: 2, signed: true }, { group: 3 }, { group: 3 }]);
    const [a, , c, d] = idsOf(request);
    expect(groupStep(request, a!)).toEqual({
      completes: true,
      next: { order: 3, signerIds: [c, d] },
      readVersion: request.version,
    });
  });

  it('does not complete a group another of its signers is still pending in', () => {
    const request = inGroups([{ group: 1 }, { group: 1 }, { group: 2 }]);
    expect(groupStep(request, idsOf(request)[0]!)).toEqual({ completes: false });
  });
});
