import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DomainEvent } from '../core/events.ts';
import { firstFailing } from '../core/guards.ts';
import { signedDocumentRule } from '../core/rules.ts';
import { SignRequestStatus, timeAfterLastChange, type SignedDocumentRecord } from '../core/sign-request.ts';
import type { CertificateFacts } from '../documents/certificate-facts.ts';
import { signedDocumentKey } from '../documents/document-keys.ts';
import type { DocumentStore } from '../documents/document-store.ts';
import { requestCertificateFacts } from '../documents/request-certificate-facts.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import type { Handled } from './queue-ports.ts';

/**
 * Tries in all before a completion's make is parked as a dead letter (alarmed). A make fails on a passing fault (S3,
 * the store, a sealing key not yet in place: refused for 30 s after each failed load), so it gets several tries,
 * minutes apart (the queue's visibility timeout); failing them all, it needs an operator. Read by SQS and the local
 * bus alike.
 */
export const SIGNED_DOCUMENT_MAX_RECEIVE_COUNT = 8;

/** Seals the signed document: the original's pages (none when the request holds no document), then the certificate's. */
export type SealSignedDocument = (
  original: Uint8Array | undefined,
  facts: CertificateFacts,
  at: Date,
) => Promise<Uint8Array>;

export interface SignedDocumentMakerDependencies {
  signRequests: Pick<SignRequestStore, 'get' | 'recordSignedDocument'>;
  documents: Pick<DocumentStore, 'read' | 'putPending' | 'keep'>;
  /** The app's name, which the certificate states as the sender; undefined for an app with no record. */
  appNameOf: (appId: string) => Promise<string | undefined>;
  /** Throws SEALING_UNAVAILABLE while no sealing key is in place: the message is then retried. */
  seal: SealSignedDocument;
  /** A new ULID per make: each make's bytes live under a key of their own. */
  newId: () => string;
  logger: Logger;
  now: () => Date;
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The events the documents consumer (its queue's rule, and the local event flow) takes. */
export const DOCUMENT_EVENT_TYPES = ['SignRequestCreated', 'SignRequestCompleted'] as const;

/**
 * SignRequestCreated --> the request's original marked kept. Initiate marks it so itself right after its create;
 * a function stopped between the two (with no Idempotency-Key retry to finish it) would leave the original tagged
 * pending, and the bucket's lifecycle rule would remove it a day later from under an existing request. The
 * creation's event comes from the create itself (the stream), so this runs for every request that exists, once
 * at least; marking kept again changes nothing. A failure throws, so the queue delivers it again.
 */
export const keepOriginalDocument = async (
  deps: Pick<SignedDocumentMakerDependencies, 'signRequests' | 'documents'>,
  event: DomainEvent,
): Promise<Handled> => {
  if (event.type !== 'SignRequestCreated') return 'done';
  const request = await deps.signRequests.get(event.signRequestId);
  if (request?.document && request.appId === event.appId) await deps.documents.keep(request.document.key);
  return 'done';
};

/** A recorded signed document's object is marked kept, so the lifecycle rule never removes it. */
const keepRecorded = async (
  deps: SignedDocumentMakerDependencies,
  record: SignedDocumentRecord | undefined,
): Promise<Handled> => {
  if (record) await deps.documents.keep(record.key);
  return 'done';
};

/**
 * SignRequestCompleted --> the request's signed document, made once: sealed, put under a key of this make's own
 * (tagged pending), then recorded on the request by ONE conditional write that lands only while the request is
 * completed and has none (core/rules.ts `signedDocumentRule`), and appends the entry SignedDocumentReady is derived
 * from. Then the object is marked kept.
 *
 * Of two makes at once (a redelivery overlapping a slow first try), exactly one record lands; it names its own key
 * and hash, so the bytes under the recorded key always hash to the recorded sha256. The other make's object is
 * never named by the request and stays tagged pending: the bucket's lifecycle rule removes it a day later.
 *
 * Every failure (the original unreadable, no sealing key yet, S3 or the store failing) throws, so the queue
 * delivers the event again, and after the last try keeps it in the dead-letter queue, which is alarmed. A
 * redelivery that finds the record only makes sure its object is kept.
 */
export const makeSignedDocument = async (
  deps: SignedDocumentMakerDependencies,
  event: DomainEvent,
): Promise<Handled> => {
  if (event.type !== 'SignRequestCompleted') return 'done';
  const facts = { eventId: event.eventId, signRequestId: event.signRequestId };
  const request = await deps.signRequests.get(event.signRequestId);
  if (!request || request.appId !== event.appId) {
    // Requests are never deleted: no retry can find it.
    deps.logger.error('request not found: no signed document made', facts);
    return 'done';
  }
  if (request.signedDocument) return keepRecorded(deps, request.signedDocument);
  if (request.status !== SignRequestStatus.Completed) {
    deps.logger.error('request not completed: no signed document made', { ...facts, status: request.status });
    return 'done';
  }
  let original: Uint8Array | undefined;
  if (request.document) {
    original = await deps.documents.read(request.document.key);
    if (!original) throw new Error(`the original of sign request ${request.id} is missing from the bucket`);
  }
  const madeAt = timeAfterLastChange(request, deps.now().toISOString());
  const sender = (await deps.appNameOf(request.appId)) ?? request.appId;
  const bytes = await deps.seal(original, requestCertificateFacts(request, sender, madeAt), new Date(madeAt));
  const record = {
    sha256: sha256Hex(bytes),
    size: bytes.byteLength,
    key: signedDocumentKey(request.appId, request.id, deps.newId()),
    madeAt,
  };
  await deps.documents.putPending(record.key, bytes, record.sha256);
  const written = await deps.signRequests.recordSignedDocument(request.id, record);
  if (written.ok) {
    await deps.documents.keep(record.key);
    deps.logger.info('signed document made', { ...facts, sha256: record.sha256, size: record.size });
    return 'done';
  }
  switch (firstFailing(signedDocumentRule(madeAt), written.current)?.failure) {
    case 'recorded':
      // Another make's record landed first (or this one's, its answer lost): that one stands.
      deps.logger.info('signed document already recorded: this make is left to the lifecycle rule', {
        ...facts,
        orphanKey: record.key,
      });
      return keepRecorded(deps, written.current?.signedDocument);
    case 'missing':
    case 'not completed':
      deps.logger.error('request no longer completed: no signed document recorded', facts);
      return 'done';
    default:
      // Stamped before a later change (clocks apart): made again on the next try, after that change.
      return 'retry';
  }
};
