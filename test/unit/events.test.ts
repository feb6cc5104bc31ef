import { describe, expect, it } from 'vitest';
import { eventsOfChange } from '../../functions/core/events.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { freshRequest } from '../support/requests.ts';

const AT = '2030-01-01T10:00:00.000Z';
const withHistory = (request: SignRequest, ...events: SignRequest['history']): SignRequest => ({
  ...request,
  history: [...request.history, ...events],
});

describe('eventsOfChange: the events one write produced', () => {
  it('turns a create into SignRequestCreated', () => {
    const { request } = freshRequest(3);
    expect(eventsOfChange(undefined, request)).toEqual([
      expect.objectContaining({
        type: 'SignRequestCreated',
        eventId: `${request.id}.0`,
        signerCount: 3,
        documentName: 'Doc.pdf',
        status: 'PENDING',
      }),
    ]);
  });

  it('names the request a resend replaces on the replacement’s SignRequestCreated, and only there', () => {
    const { request } = freshRequest(1);
    const [created] = eventsOfChange(undefined, { ...request, replaces: '01HV6MEARQD3X8ZXXX5FR3YDB8' });
    expect(created).toMatchObject({ type: 'SignRequestCreated', replacesSignRequestId: '01HV6MEARQD3X8ZXXX5FR3YDB8' });
    expect(eventsOfChange(undefined, request)[0]).not.toHaveProperty('replacesSignRequestId');
  });

  it('announces only what the write appended, with ids that follow the history positions', () => {
    const { request, tokens } = freshRequest(1);
    const after = withHistory(
      { ...request, status: 'COMPLETED' },
      { at: AT, event: 'VIEWED', signerId: tokens[0]!.signerId },
      { at: AT, event: 'SIGNED', signerId: tokens[0]!.signerId },
      { at: AT, event: 'COMPLETED' },
    );
    expect(eventsOfChange(request, after).map((event) => [event.type, event.eventId])).toEqual([
      ['SignerSigned', `${request.id}.2`],
      ['SignRequestCompleted', `${request.id}.3`],
    ]);
  });

  it('carries the recall record on SignRequestRecalled', () => {
    const { request } = freshRequest(1);
    const recall = { reason: 'Wrong file', by: 'Ops', at: AT };
    const after = withHistory({ ...request, status: 'CANCELLED', recall }, { at: AT, event: 'RECALLED', by: 'Ops' });
    expect(eventsOfChange(request, after)).toEqual([expect.objectContaining({ type: 'SignRequestRecalled', recall })]);
  });

  it('carries the decline record on SignRequestDeclined, without its call token', () => {
    const { request, tokens } = freshRequest(2);
    const decline = { signerId: tokens[1]!.signerId, reason: 'Wrong entity', at: AT };
    const after = withHistory(
      { ...request, status: 'DECLINED', decline: { ...decline, callId: 'internal' } },
      { at: AT, event: 'DECLINED', signerId: decline.signerId },
    );
    const events = eventsOfChange(request, after);
    expect(events).toEqual([expect.objectContaining({ type: 'SignRequestDeclined', status: 'DECLINED', decline })]);
    expect(JSON.stringify(events)).not.toContain('internal');
  });

  it('finds nothing in a write that appended nothing, or a delete', () => {
    const { request } = freshRequest(1);
    expect(eventsOfChange(request, { ...request, updatedAt: AT })).toEqual([]);
    expect(eventsOfChange(request, undefined)).toEqual([]);
  });
});
