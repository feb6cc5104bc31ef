import { describe, expect, it } from 'vitest';
import { DomainEvent, eventsOfChange } from '../../functions/core/events.ts';
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

  it('turns the signed document’s record into SignedDocumentReady, with its hash and size and never its key', () => {
    const { request } = freshRequest(1);
    const completed = { ...request, status: 'COMPLETED' as const };
    const record = { sha256: 'cd'.repeat(32), size: 123_456, key: 'documents/app/id/signed-KEY.pdf', madeAt: AT };
    const after = withHistory({ ...completed, signedDocument: record }, { at: AT, event: 'SIGNED_DOCUMENT_READY' });
    const events = eventsOfChange(completed, after);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'SignedDocumentReady',
        eventId: `${request.id}.${request.history.length}`,
        status: 'COMPLETED',
        signedDocument: { sha256: record.sha256, size: record.size },
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('signed-KEY');
    expect(DomainEvent.safeParse(events[0]).success).toBe(true);
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

describe('eventsOfChange: the other entries', () => {
  it('announces an expiry as SignRequestExpired, with the status after it', () => {
    const { request } = freshRequest(1);
    const after = withHistory({ ...request, status: 'EXPIRED' }, { at: AT, event: 'EXPIRED' });
    expect(eventsOfChange(request, after)).toEqual([
      {
        schemaVersion: 1,
        eventId: `${request.id}.1`,
        occurredAt: AT,
        signRequestId: request.id,
        requestNo: request.requestNo,
        appId: request.appId,
        status: 'EXPIRED',
        type: 'SignRequestExpired',
      },
    ]);
  });

  it('announces a reminder with the signers it went to, and an empty list for an entry that names none', () => {
    const { request, tokens } = freshRequest(2);
    const signerIds = tokens.map((token) => token.signerId);
    const after = withHistory(request, { at: AT, event: 'REMINDED', signerIds }, { at: AT, event: 'REMINDED' });
    expect(eventsOfChange(request, after)).toEqual([
      expect.objectContaining({ type: 'SignersReminded', eventId: `${request.id}.1`, signerIds }),
      expect.objectContaining({ type: 'SignersReminded', eventId: `${request.id}.2`, signerIds: [] }),
    ]);
  });

  it('names the signer on SignerSigned, and an empty id for an entry that names none', () => {
    const { request, tokens } = freshRequest(2);
    const after = withHistory(
      { ...request, status: 'PARTIALLY_SIGNED' },
      { at: AT, event: 'SIGNED', signerId: tokens[1]!.signerId },
      { at: AT, event: 'SIGNED' },
    );
    expect(eventsOfChange(request, after).map((event) => event.type === 'SignerSigned' && event.signerId)).toEqual([
      tokens[1]!.signerId,
      '',
    ]);
  });

  it('announces no first view, and no recall or decline whose record is missing', () => {
    const { request, tokens } = freshRequest(1);
    const after = withHistory(
      request,
      { at: AT, event: 'VIEWED', signerId: tokens[0]!.signerId },
      { at: AT, event: 'RECALLED' },
      { at: AT, event: 'DECLINED', signerId: tokens[0]!.signerId },
    );
    expect(eventsOfChange(request, after)).toEqual([]);
  });
});

describe('DomainEvent: the published schema', () => {
  const { request, tokens } = freshRequest(2);
  const signerId = tokens[0]!.signerId;
  const recall = { reason: 'Wrong file', by: 'Ops', at: AT };
  const decline = { signerId, reason: 'No', at: AT };
  const everyType = eventsOfChange(
    undefined,
    withHistory(
      { ...request, replaces: '01HV6MEARQD3X8ZXXX5FR3YDB8', recall, decline },
      { at: AT, event: 'SIGNED', signerId },
      { at: AT, event: 'COMPLETED' },
      { at: AT, event: 'RECALLED' },
      { at: AT, event: 'EXPIRED' },
      { at: AT, event: 'REMINDED', signerIds: [signerId] },
      { at: AT, event: 'DECLINED', signerId },
    ),
  );

  it('parses every event the service makes back to itself, field for field', () => {
    expect(everyType.map((event) => event.type)).toEqual([
      'SignRequestCreated',
      'SignerSigned',
      'SignRequestCompleted',
      'SignRequestRecalled',
      'SignRequestExpired',
      'SignersReminded',
      'SignRequestDeclined',
    ]);
    for (const event of everyType) expect(DomainEvent.parse(event)).toEqual(event);
  });

  it('accepts every status and a time with an offset, and refuses an unknown status, type or a bare date', () => {
    const [created] = everyType;
    for (const status of ['PENDING', 'PARTIALLY_SIGNED', 'COMPLETED', 'CANCELLED', 'EXPIRED', 'DECLINED'])
      expect(DomainEvent.safeParse({ ...created, status }).success).toBe(true);
    expect(DomainEvent.safeParse({ ...created, occurredAt: '2030-01-01T12:00:00+02:00' }).success).toBe(true);
    expect(DomainEvent.safeParse({ ...created, status: 'OPEN' }).success).toBe(false);
    expect(DomainEvent.safeParse({ ...created, type: 'SignRequestMade' }).success).toBe(false);
    expect(DomainEvent.safeParse({ ...created, occurredAt: '2030-01-01' }).success).toBe(false);
    expect(DomainEvent.safeParse({ ...created, eventId: '' }).success).toBe(false);
    expect(DomainEvent.safeParse({ ...created, signerCount: 0 }).success).toBe(false);
    expect(DomainEvent.safeParse({ ...created, signerCount: 1.5 }).success).toBe(false);
  });

  it('refuses a recall or decline record that lacks a field, or a reminder without its signers', () => {
    const byType = (type: string) => everyType.find((event) => event.type === type)!;
    expect(DomainEvent.safeParse({ ...byType('SignRequestRecalled'), recall: { reason: 'x', by: 'y' } }).success).toBe(
      false,
    );
    expect(
      DomainEvent.safeParse({ ...byType('SignRequestDeclined'), decline: { signerId, reason: 'x' } }).success,
    ).toBe(false);
    expect(DomainEvent.safeParse({ ...byType('SignersReminded'), signerIds: undefined }).success).toBe(false);
    expect(DomainEvent.safeParse({ ...byType('SignerSigned'), signerId: undefined }).success).toBe(false);
  });
});
