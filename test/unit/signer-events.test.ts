import { describe, expect, it } from 'vitest';
import { eventsOfChange } from '../../functions/core/events.ts';
import type { HistoryEntry, SignRequest } from '../../functions/core/sign-request.ts';
import { freshRequest } from '../support/requests.ts';

// Issue 19's history entries as domain events: a group invited, a signer changed or removed are announced, field by
// field; a wrong proof and a view are recorded and never announced.

const AT = '2030-01-02T00:00:00.000Z';
const after = (request: SignRequest, ...entries: HistoryEntry[]): SignRequest => ({
  ...request,
  history: [...request.history, ...entries],
});

describe('the events of issue 19’s entries', () => {
  const { request } = freshRequest(2);
  const [first, second] = Object.keys(request.signers) as [string, string];

  it('announces a later group invited, naming its signers', () => {
    const events = eventsOfChange(request, after(request, { at: AT, event: 'INVITED', signerIds: [second] }));
    expect(events).toEqual([expect.objectContaining({ type: 'SignersInvited', signerIds: [second], occurredAt: AT })]);
  });

  it('announces a signer changed (old and new id, the fields changed) and a signer removed', () => {
    const changed = eventsOfChange(
      request,
      after(request, { at: AT, event: 'SIGNER_CHANGED', signerId: first, newSignerId: 'NEW', changed: ['proof'] }),
    );
    expect(changed).toEqual([
      expect.objectContaining({ type: 'SignerChanged', signerId: first, newSignerId: 'NEW', changed: ['proof'] }),
    ]);
    const removed = eventsOfChange(request, after(request, { at: AT, event: 'SIGNER_REMOVED', signerId: second }));
    expect(removed).toEqual([expect.objectContaining({ type: 'SignerRemoved', signerId: second })]);
    expect(removed[0]).not.toHaveProperty('newSignerId');
  });

  it('announces neither a wrong proof nor a view, and carries no proof of any entry', () => {
    const events = eventsOfChange(
      request,
      after(
        request,
        { at: AT, event: 'AUTH_FAILED', signerId: first, ip: '203.0.113.9', callId: 'CALL' },
        { at: AT, event: 'VIEWED', signerId: second, proof: 'EMAIL' },
        { at: AT, event: 'SIGNED', signerId: second, proof: 'EMAIL' },
      ),
    );
    expect(events.map((event) => event.type)).toEqual(['SignerSigned']);
    expect(JSON.stringify(events)).not.toContain('EMAIL');
    expect(events[0]?.eventId).toBe(`${request.id}.${request.history.length + 2}`);
  });
});
