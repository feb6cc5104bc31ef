import { describe, expect, it } from 'vitest';
import { DomainEvent, eventsOfChange } from '../../functions/core/events.ts';
import { newSignRequest } from '../../functions/core/initiate.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { mailFor } from '../../functions/notifications/mail-content.ts';
import { mailStillFits } from '../../functions/notifications/mail-fit.ts';

// Who the signing order's mail goes to, from the request as stored (functions/notifications/mail-content.ts).

const NOW = '2030-01-01T00:00:00.000Z';
const LATER = '2030-01-01T01:00:00.000Z';
const linkFor = (id: string, signerId: string) => `https://sign.example/${id}.${signerId}`;

/** A request whose signers are in these groups, with a sender; `signer{i}@example.com` is signer i. */
const ordered = (groups: number[]): { request: SignRequest; ids: string[] } => {
  const request = newSignRequest(
    {
      appId: 'APP1',
      documentName: 'Doc.pdf',
      senderEmail: 'sender@example.com',
      signers: groups.map((order, i) => ({ name: `S${i}`, email: `signer${i}@example.com`, order })),
    },
    'KAiZEN-1',
    NOW,
    () => 'secret',
  );
  const ids = Object.entries(request.signers)
    .sort(([, a], [, b]) => a.order - b.order)
    .map(([id]) => id);
  return { request, ids };
};

/** The request once these signers signed and the current group moved to `currentOrder` (as the writes leave it). */
const signed = (request: SignRequest, signerIds: string[], currentOrder: number, invited?: string[]): SignRequest => ({
  ...request,
  status: 'PARTIALLY_SIGNED',
  signedCount: signerIds.length,
  currentOrder,
  signers: Object.fromEntries(
    Object.entries(request.signers).map(([id, signer]) => [
      id,
      signerIds.includes(id) ? { ...signer, status: 'SIGNED' as const, signedAt: LATER } : signer,
    ]),
  ),
  history: [
    ...request.history,
    ...signerIds.map((signerId) => ({ at: LATER, event: 'SIGNED' as const, signerId })),
    ...(invited ? [{ at: LATER, event: 'INVITED' as const, signerIds: invited }] : []),
  ],
});

const eventOf = (before: SignRequest | undefined, after: SignRequest, type: DomainEvent['type']): DomainEvent => {
  const event = eventsOfChange(before, after).find((each) => each.type === type);
  if (!event) throw new Error(`no ${type}`);
  return event;
};
const to = (mail: { to: { email: string }; kind: string }[]) => mail.map((each) => `${each.kind} ${each.to.email}`);

describe('the signing order’s mail', () => {
  it('invites the first group alone on SignRequestCreated', () => {
    const { request } = ordered([2, 1, 1]);
    expect(to(mailFor(request, eventOf(undefined, request, 'SignRequestCreated'), linkFor))).toEqual([
      'INVITATION signer1@example.com',
      'INVITATION signer2@example.com',
    ]);
  });

  it('announces an INVITED entry as SignersInvited and invites exactly the group it names', () => {
    const { request, ids } = ordered([1, 2, 2, 3]);
    const after = signed(request, [ids[0]!], 2, [ids[1]!, ids[2]!]);
    const event = eventOf(request, after, 'SignersInvited');
    expect(event).toMatchObject({ type: 'SignersInvited', signerIds: [ids[1], ids[2]], status: 'PARTIALLY_SIGNED' });
    expect(DomainEvent.parse(event)).toEqual(event);
    const mail = mailFor(after, event, linkFor);
    expect(to(mail)).toEqual(['INVITATION signer1@example.com', 'INVITATION signer2@example.com']);
    expect(mail[0]!.text).toContain(linkFor(request.id, ids[1]!));
    // Not when the app delivers its links itself.
    expect(mailFor({ ...after, sendInvitations: false }, event, linkFor)).toEqual([]);
  });

  it('tells of a recall only the signers reached, and the sender', () => {
    const { request, ids } = ordered([1, 2, 3]);
    const reached = signed(request, [ids[0]!], 2, [ids[1]!]);
    const recalled: SignRequest = {
      ...reached,
      status: 'CANCELLED',
      recall: { reason: 'Wrong file', by: 'Ops', at: LATER },
      history: [...reached.history, { at: LATER, event: 'RECALLED' }],
    };
    expect(to(mailFor(recalled, eventOf(reached, recalled, 'SignRequestRecalled'), linkFor))).toEqual([
      'RECALLED signer0@example.com',
      'RECALLED signer1@example.com',
      'RECALLED sender@example.com',
    ]);
  });

  it('tells of a decline only the other signers reached, and the sender', () => {
    const { request, ids } = ordered([1, 1, 2]);
    const declined: SignRequest = {
      ...request,
      status: 'DECLINED',
      decline: { signerId: ids[1]!, reason: 'No', at: LATER },
      history: [...request.history, { at: LATER, event: 'DECLINED', signerId: ids[1]! }],
    };
    expect(to(mailFor(declined, eventOf(request, declined, 'SignRequestDeclined'), linkFor))).toEqual([
      'DECLINED signer0@example.com',
      'DECLINED sender@example.com',
    ]);
  });

  it('sends an invitation or a reminder only while it is that signer’s turn', () => {
    const { request, ids } = ordered([1, 2]);
    for (const kind of ['INVITATION', 'REMINDER'] as const) {
      expect(mailStillFits({ kind, signerId: ids[0]! }, request, LATER)).toBe(true);
      expect(mailStillFits({ kind, signerId: ids[1]! }, request, LATER)).toBe(false);
      expect(mailStillFits({ kind, signerId: ids[1]! }, signed(request, [ids[0]!], 2, [ids[1]!]), LATER)).toBe(true);
    }
  });
});
