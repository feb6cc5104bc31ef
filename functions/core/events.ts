import * as z from '../zod.ts';
import type { HistoryEntry, SignRequest } from './sign-request.ts';

/**
 * The domain events the service publishes, schema version 1. Each is derived from a history entry that a
 * state change appended to the request's one item, so a change yields exactly its events, and a replayed
 * stream record yields the same events with the same ids (consumers dedupe on `eventId`).
 *
 * Compatibility: fields may be added within a version; removing or changing one bumps `schemaVersion`.
 */
export const EVENT_SOURCE = 'esign-recall';
const SCHEMA_VERSION = 1;

const Iso = z.iso.datetime({ offset: true });

const Common = {
  schemaVersion: z.literal(SCHEMA_VERSION),
  /** `<signRequestId>.<position in the request's history>`: unique, and stable across redeliveries. */
  eventId: z.string().check(z.minLength(1)),
  occurredAt: Iso,
  signRequestId: z.string(),
  requestNo: z.string(),
  appId: z.string(),
  /** The request's status right after the change. */
  status: z.enum(['PENDING', 'PARTIALLY_SIGNED', 'COMPLETED', 'CANCELLED', 'EXPIRED', 'DECLINED']),
};

const SignRequestCreated = z.object({
  ...Common,
  type: z.literal('SignRequestCreated'),
  documentName: z.string(),
  signerCount: z.number().check(z.int(), z.positive()),
  /** On a request made by a resend: the request it replaces (which itself changes state no more, so has no event). */
  replacesSignRequestId: z.optional(z.string()),
});
const SignerSigned = z.object({ ...Common, type: z.literal('SignerSigned'), signerId: z.string() });
const SignRequestCompleted = z.object({ ...Common, type: z.literal('SignRequestCompleted') });
const SignRequestRecalled = z.object({
  ...Common,
  type: z.literal('SignRequestRecalled'),
  recall: z.object({ reason: z.string(), by: z.string(), at: Iso }),
});
const SignRequestExpired = z.object({ ...Common, type: z.literal('SignRequestExpired') });
/** The signers who have not signed were reminded (POST .../remind, or the automatic reminders). */
const SignersReminded = z.object({
  ...Common,
  type: z.literal('SignersReminded'),
  signerIds: z.array(z.string()),
});
/**
 * The next group of the signing order was invited (`signerIds`): the group before it had all signed. Written by
 * that group's last signature, in the same write (its SignerSigned comes just before).
 */
const SignersInvited = z.object({
  ...Common,
  type: z.literal('SignersInvited'),
  signerIds: z.array(z.string()),
});
/** The reason goes to the app (the sender asked for the signature); other signers are never shown it. */
const SignRequestDeclined = z.object({
  ...Common,
  type: z.literal('SignRequestDeclined'),
  decline: z.object({ signerId: z.string(), reason: z.string(), at: Iso }),
});

/**
 * The app changed a signer who had not acted (PATCH .../signers/{signerId}): `signerId` is gone, `newSignerId`
 * stands in its place (with a new link, which no event carries), `changed` names the fields whose value changed.
 */
const SignerChanged = z.object({
  ...Common,
  type: z.literal('SignerChanged'),
  signerId: z.string(),
  newSignerId: z.string(),
  changed: z.array(z.enum(['name', 'email', 'order', 'proof'])),
});
/** The app removed a signer who had not acted; when all left had signed, a SignRequestCompleted follows. */
const SignerRemoved = z.object({ ...Common, type: z.literal('SignerRemoved'), signerId: z.string() });

/**
 * A completed request's signed document (its original's pages, then its certificate, sealed once) is stored and
 * served at GET /v1/sign-requests/{id}/signed-document: the bytes there hash to `signedDocument.sha256`.
 */
const SignedDocumentReady = z.object({
  ...Common,
  type: z.literal('SignedDocumentReady'),
  signedDocument: z.object({ sha256: z.string(), size: z.number().check(z.int(), z.nonnegative()) }),
});

export const DomainEvent = z.discriminatedUnion('type', [
  SignRequestCreated,
  SignerSigned,
  SignRequestCompleted,
  SignRequestRecalled,
  SignRequestExpired,
  SignersReminded,
  SignRequestDeclined,
  SignedDocumentReady,
  SignersInvited,
  SignerChanged,
  SignerRemoved,
]);
export type DomainEvent = z.infer<typeof DomainEvent>;
export type DomainEventType = DomainEvent['type'];

const eventOf = (request: SignRequest, entry: HistoryEntry, position: number): DomainEvent | undefined => {
  const common = {
    schemaVersion: SCHEMA_VERSION,
    eventId: `${request.id}.${position}`,
    occurredAt: entry.at,
    signRequestId: request.id,
    requestNo: request.requestNo,
    appId: request.appId,
    status: request.status,
  } as const;
  switch (entry.event) {
    case 'CREATED':
      return {
        ...common,
        type: 'SignRequestCreated',
        documentName: request.documentName,
        signerCount: request.signerCount,
        ...(request.replaces ? { replacesSignRequestId: request.replaces } : {}),
      };
    case 'SIGNED':
      return { ...common, type: 'SignerSigned', signerId: entry.signerId ?? '' };
    case 'COMPLETED':
      return { ...common, type: 'SignRequestCompleted' };
    case 'RECALLED':
      // Field by field: the record's call token is internal and must not reach an event.
      return request.recall
        ? {
            ...common,
            type: 'SignRequestRecalled',
            recall: { reason: request.recall.reason, by: request.recall.by, at: request.recall.at },
          }
        : undefined;
    case 'EXPIRED':
      return { ...common, type: 'SignRequestExpired' };
    case 'DECLINED':
      return request.decline
        ? {
            ...common,
            type: 'SignRequestDeclined',
            decline: { signerId: request.decline.signerId, reason: request.decline.reason, at: request.decline.at },
          }
        : undefined;
    case 'REMINDED':
      return { ...common, type: 'SignersReminded', signerIds: entry.signerIds ?? [] };
    case 'INVITED':
      return { ...common, type: 'SignersInvited', signerIds: entry.signerIds ?? [] };
    case 'SIGNED_DOCUMENT_READY':
      // Field by field: the object's key in the bucket is internal.
      return request.signedDocument
        ? {
            ...common,
            type: 'SignedDocumentReady',
            signedDocument: { sha256: request.signedDocument.sha256, size: request.signedDocument.size },
          }
        : undefined;
    case 'SIGNER_CHANGED':
      return {
        ...common,
        type: 'SignerChanged',
        signerId: entry.signerId ?? '',
        newSignerId: entry.newSignerId ?? '',
        changed: entry.changed ?? [],
      };
    case 'SIGNER_REMOVED':
      return { ...common, type: 'SignerRemoved', signerId: entry.signerId ?? '' };
    case 'VIEWED':
    case 'AUTH_FAILED':
      // A signer opening a link, or giving a wrong proof, is recorded, not announced.
      return undefined;
  }
};

/** The events one write of a request produced: the history entries it appended, in order. */
export const eventsOfChange = (before: SignRequest | undefined, after: SignRequest | undefined): DomainEvent[] => {
  if (!after) return [];
  const from = before?.history.length ?? 0;
  return after.history
    .slice(from)
    .map((entry, offset) => eventOf(after, entry, from + offset))
    .filter((event): event is DomainEvent => event !== undefined);
};
