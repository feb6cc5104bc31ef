import type { DomainEvent } from '../../functions/core/events.ts';

/**
 * A well-formed creation event whose request id is the part of `eventId` before its first dot: for tests of
 * queues and consumers that carry events without caring what they say. Needs no store, so unit tests use it too.
 */
export const sampleCreatedEvent = (eventId: string): DomainEvent => ({
  schemaVersion: 1,
  eventId,
  occurredAt: '2026-11-28T02:00:00.000Z',
  signRequestId: eventId.split('.')[0]!,
  requestNo: 'KAiZEN-1',
  appId: '01JAPPAPPAPPAPPAPPAPPAPPAP',
  status: 'PENDING',
  type: 'SignRequestCreated',
  documentName: 'Contract.pdf',
  signerCount: 1,
});
