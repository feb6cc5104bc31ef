import { expect } from 'vitest';
import type { HistoryEvent, SignRequest } from '../../functions/core/sign-request.ts';
import { firstGroup, groupMembers, groupOf } from '../../functions/core/signing-order.ts';

/**
 * What must hold for every stored request, whatever interleaving produced it: the status agrees with the
 * signatures, a completed request was never recalled or declined, nothing was signed after a recall or a decline,
 * and time only moves on.
 */
export const expectConsistent = (request: SignRequest): void => {
  const signers = Object.values(request.signers);
  // `signers` holds only the current ones: as many as the count says, none of them also a former one.
  expect(request.signerCount).toBe(signers.length);
  for (const signerId of Object.keys(request.formerSigners ?? {})) expect(request.signers[signerId]).toBeUndefined();
  const signed = signers.filter((signer) => signer.status === 'SIGNED');
  expect(request.signedCount).toBe(signed.length);
  expect(signed.every((signer) => signer.signedAt !== undefined)).toBe(true);
  const events = request.history.map((entry) => entry.event);
  // Every write lands only after the last one in time, so the history never runs backwards.
  const times = request.history.map((entry) => Date.parse(entry.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(events.filter((event) => event === 'SIGNED')).toHaveLength(signed.length);
  // Only a declined request carries a decline, and then exactly one.
  if (request.status !== 'DECLINED') {
    expect(request.decline).toBeUndefined();
    expect(events).not.toContain('DECLINED');
  }

  expectOrderKept(request);

  switch (request.status) {
    case 'COMPLETED':
      expect(signed).toHaveLength(request.signerCount);
      expect(request.recall).toBeUndefined();
      expect(events).not.toContain('RECALLED');
      break;
    case 'CANCELLED': {
      expect(request.recall).toBeDefined();
      const recalledAt = Date.parse(request.recall?.at ?? '');
      for (const signer of signed) expect(Date.parse(signer.signedAt ?? '')).toBeLessThanOrEqual(recalledAt);
      expect(signed.length).toBeLessThan(request.signerCount);
      expect(events.at(-1)).toBe('RECALLED');
      expect(events.filter((event) => event === 'RECALLED')).toHaveLength(1);
      expect(request.decline).toBeUndefined();
      break;
    }
    case 'DECLINED': {
      expect(request.recall).toBeUndefined();
      expect(events).not.toContain('RECALLED');
      const decline = request.decline;
      expect(decline).toBeDefined();
      // The decliner had not signed, and nothing was signed after the decline.
      expect(request.signers[decline?.signerId ?? '']?.status).toBe('PENDING');
      const declinedAt = Date.parse(decline?.at ?? '');
      for (const signer of signed) expect(Date.parse(signer.signedAt ?? '')).toBeLessThanOrEqual(declinedAt);
      expect(signed.length).toBeLessThan(request.signerCount);
      expect(events.at(-1)).toBe('DECLINED');
      expect(events.filter((event) => event === 'DECLINED')).toHaveLength(1);
      break;
    }
    case 'PARTIALLY_SIGNED':
      expect(signed.length).toBeGreaterThan(0);
      expect(signed.length).toBeLessThan(request.signerCount);
      expect(request.recall).toBeUndefined();
      break;
    case 'PENDING':
      expect(signed).toHaveLength(0);
      expect(request.recall).toBeUndefined();
      break;
    case 'EXPIRED':
      expect(request.recall).toBeUndefined();
      break;
  }
};

/** The history events that close a request: a request open or closed holds at most one of them. */
const CLOSING_EVENTS: ReadonlySet<HistoryEvent> = new Set(['COMPLETED', 'RECALLED', 'DECLINED', 'EXPIRED']);

export type Closer = 'signature' | 'recall' | 'decline';
const closedBy = {
  signature: { status: 'COMPLETED', event: 'COMPLETED', lastSigner: 'SIGNED' },
  recall: { status: 'CANCELLED', event: 'RECALLED', lastSigner: 'PENDING' },
  decline: { status: 'DECLINED', event: 'DECLINED', lastSigner: 'PENDING' },
} as const;

/**
 * What the table must say after `closer` won the race to close a request whose last open signer is
 * `lastSignerId`, read from the stored item alone: its status, exactly one closing write in its history (the
 * winner's), and the last signer's signature stored only if the signature won.
 */
export const expectClosedOnceBy = (request: SignRequest, closer: Closer, lastSignerId: string): void => {
  const expected = closedBy[closer];
  expect(request.status).toBe(expected.status);
  expect(request.history.map((entry) => entry.event).filter((event) => CLOSING_EVENTS.has(event))).toEqual([
    expected.event,
  ]);
  const lastSigner = request.signers[lastSignerId];
  expect(lastSigner?.status).toBe(expected.lastSigner);
  if (expected.lastSigner === 'PENDING') expect(lastSigner?.signedAt).toBeUndefined();
  if (closer === 'decline') expect(request.decline?.signerId).toBe(lastSignerId);
};

/**
 * The signing order, from the stored item alone: no signer acted or was seen before their group's turn, each group
 * after the first was invited exactly once, by one INVITED entry naming exactly its signers, only once every
 * earlier group had signed (on a request whose signers were never changed), and never after the request closed;
 * the pending count is the current group's.
 */
const expectOrderKept = (request: SignRequest): void => {
  const current = request.currentOrder;
  if (current === undefined) return;
  const signers = Object.entries(request.signers);
  for (const [, signer] of signers) {
    if (groupOf(signer) < current) expect(signer.status).toBe('SIGNED');
    if (groupOf(signer) > current) {
      expect(signer.status).toBe('PENDING');
      expect(signer.viewedAt).toBeUndefined();
    }
  }
  const pendingNow = signers.filter(([, signer]) => signer.status === 'PENDING' && groupOf(signer) === current);
  expect(request.currentGroupPending).toBe(pendingNow.length);
  const closing = request.history.findIndex((entry) => CLOSING_EVENTS.has(entry.event));
  if (closing >= 0) expect(request.history.slice(closing).map((entry) => entry.event)).not.toContain('INVITED');
  // A change of the signers (PATCH, DELETE) may move a signer between groups, and a changed signer is invited by
  // their own SignerChanged mail: the groups as they are now no longer tell which INVITED entries there were.
  if (Object.keys(request.formerSigners ?? {}).length > 0) return;
  const first = firstGroup(request);
  const invitedGroups = [...new Set(signers.map(([, signer]) => groupOf(signer)))]
    .filter((group) => group > first && group <= current)
    .sort((a, b) => a - b);
  const invited = request.history.filter((entry) => entry.event === 'INVITED');
  expect(invited.map((entry) => entry.signerIds)).toEqual(
    invitedGroups.map((group) => groupMembers(request.signers, group)),
  );
  // Each act of a later group's signer comes after its group's invitation; no invitation after the request closed.
  const positionOf = (entry: (typeof request.history)[number]) => request.history.indexOf(entry);
  for (const entry of request.history) {
    const signer = entry.signerId === undefined ? undefined : request.signers[entry.signerId];
    if (signer === undefined || groupOf(signer) === first || entry.event === 'REMINDED') continue;
    const invitation = invited.find((each) => each.signerIds?.includes(entry.signerId ?? ''));
    expect(invitation, `${entry.event} of a signer never invited`).toBeDefined();
    expect(positionOf(invitation!)).toBeLessThan(positionOf(entry));
  }
};
