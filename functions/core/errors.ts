/**
 * Every business refusal is a DomainError with a stable Code. The kind says what sort of refusal it is; the
 * HTTP layer alone turns a kind into a status code. Refusals of the transport itself (no such route, a body that
 * is not JSON, a malformed Idempotency-Key) are the HTTP layer's own (functions/http/refusals.ts).
 */
export type ErrorKind =
  | 'bad-request'
  | 'unauthenticated'
  | 'not-found'
  | 'conflict'
  | 'gone'
  | 'precondition-failed'
  | 'too-many'
  | 'unavailable';

export interface FailRule {
  Code: string;
  Message: string;
  Field?: string;
}

export class DomainError extends Error {
  readonly kind: ErrorKind;
  readonly rules: readonly FailRule[];

  /** With 'too-many': how long until the call can succeed (the Retry-After header). */
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ErrorKind, rules: readonly FailRule[], retryAfterSeconds?: number) {
    super(rules.map((rule) => `${rule.Code}: ${rule.Message}`).join('; '));
    this.name = 'DomainError';
    this.kind = kind;
    this.rules = rules;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get code(): string {
    return this.rules[0]?.Code ?? 'UNKNOWN';
  }
}

const refusal = (kind: ErrorKind, code: string, message: string): DomainError =>
  new DomainError(kind, [{ Code: code, Message: message }]);

/** The refusals, by name. Messages quoted from the KAiZEN contract are kept verbatim. */
/**
 * Seconds a caller is asked to wait for a signed document still being sealed (its Retry-After): sealing takes about
 * a second, and a failed make is retried by its queue within a minute.
 */
export const SIGNED_DOCUMENT_RETRY_SECONDS = 5;

export const refusals = {
  invalidAppToken: () => refusal('unauthenticated', 'INVALID_APP_TOKEN', 'Invalid App Token'),
  validationFailed: (rules: readonly { field: string; message: string }[]) =>
    new DomainError(
      'bad-request',
      rules.map(({ field, message }) => ({ Code: 'VALIDATION_FAILED', Message: message, Field: field })),
    ),
  signRequestNotFound: () => refusal('not-found', 'SIGN_REQUEST_NOT_FOUND', 'No sign request found'),
  alreadyCancelled: () => refusal('conflict', 'SIGN_REQUEST_ALREADY_CANCELLED', 'This request is already cancelled'),
  // The KAiZEN text for a fully signed request is the same sentence; the Code tells the two cases apart.
  alreadyCompleted: () => refusal('conflict', 'SIGN_REQUEST_COMPLETED', 'This request is already cancelled'),
  expiredNotRecallable: () => refusal('conflict', 'SIGN_REQUEST_EXPIRED', 'This request has expired'),
  signingLinkNotFound: () => refusal('not-found', 'SIGNING_LINK_NOT_FOUND', 'This signing link is not valid'),
  signingCancelled: (at: string, reason: string) =>
    refusal('gone', 'SIGN_REQUEST_CANCELLED', `This request was recalled by the sender on ${at}: ${reason}`),
  signingExpired: () => refusal('gone', 'SIGN_REQUEST_EXPIRED', 'This request has expired and can no longer be signed'),
  signingCompleted: () => refusal('conflict', 'SIGN_REQUEST_COMPLETED', 'This request is already fully signed'),
  // Recalling a declined request: the seed's sentence again, told apart by its Code (as for a completed one).
  alreadyDeclined: () => refusal('conflict', 'SIGN_REQUEST_DECLINED', 'This request is already cancelled'),
  // Other signers learn that a signer declined, never the decliner's reason (that is for the sender).
  signingDeclined: () =>
    refusal('gone', 'SIGN_REQUEST_DECLINED', 'A signer declined this request; it can no longer be signed'),
  youDeclined: () => refusal('conflict', 'ALREADY_DECLINED', 'You have already declined this request'),
  alreadySigned: () => refusal('conflict', 'ALREADY_SIGNED', 'You have already signed this request'),
  // A signer of a later group of the signing order: nothing to do until the groups before have all signed.
  notYourTurn: () =>
    refusal(
      'conflict',
      'NOT_YOUR_TURN',
      'It is not your turn to sign yet: you will be invited once the signers before you have signed',
    ),
  // A list's cursor is only good for the app and the filters it was given with (functions/http/list-cursor.ts).
  invalidCursor: () =>
    new DomainError('bad-request', [
      {
        Code: 'INVALID_CURSOR',
        Message: 'cursor is not one this list gave with these filters: pass NextCursor as it was, or start without one',
        Field: 'cursor',
      },
    ]),
  resendOfOpen: () =>
    refusal('conflict', 'SIGN_REQUEST_OPEN', 'This request is still open: recall it first, then resend it'),
  resendOfCompleted: () =>
    refusal('conflict', 'SIGN_REQUEST_COMPLETED', 'This request is fully signed and cannot be resent'),
  alreadyResent: (replacementId: string) =>
    refusal('conflict', 'SIGN_REQUEST_ALREADY_RESENT', `This request was already resent as ${replacementId}`),
  // If-Match named a version the request no longer has (or never had): nothing was changed.
  preconditionFailed: () =>
    refusal(
      'precondition-failed',
      'PRECONDITION_FAILED',
      'This request has changed since the version named in If-Match; read it again for its current ETag',
    ),
  requestClosed: (status: string) =>
    refusal('conflict', 'SIGN_REQUEST_CLOSED', `This request is ${status.toLowerCase()}: nobody is left to remind`),
  reminderLimitReached: (max: number) =>
    refusal('conflict', 'REMINDER_LIMIT_REACHED', `This request has had its ${max} reminders; no more can be sent`),
  remindTooSoon: (retryAfterSeconds: number) =>
    new DomainError(
      'too-many',
      [
        {
          Code: 'REMIND_TOO_SOON',
          Message: `Every signer who has not signed was reminded within the last hour; try again in ${retryAfterSeconds} seconds`,
        },
      ],
      retryAfterSeconds,
    ),
  mailCapReached: (cap: number, retryAfterSeconds: number) =>
    new DomainError(
      'too-many',
      [
        {
          Code: 'MAIL_CAP_REACHED',
          Message: `This would pass this app's limit of ${cap} e-mails a day (UTC); try again tomorrow`,
        },
      ],
      retryAfterSeconds,
    ),
  // The app's own limit of new requests a UTC day (`npm run app -- limits --daily-quota`): initiate and resend.
  dailyQuotaExceeded: (quota: number, retryAfterSeconds: number) =>
    new DomainError(
      'too-many',
      [
        {
          Code: 'DAILY_QUOTA_EXCEEDED',
          Message: `This app has created its ${quota} sign requests for today (UTC); try again tomorrow`,
        },
      ],
      retryAfterSeconds,
    ),
  // The service's own check of a document's bytes (functions/documents/inspect-pdf.ts): its reason is the caller's.
  documentRefused: (
    code: 'DOCUMENT_INVALID' | 'DOCUMENT_TOO_LARGE' | 'DOCUMENT_HASH_MISMATCH',
    reason: string,
    field: 'document' | 'documentId' | 'size' = 'document',
  ) => new DomainError('bad-request', [{ Code: code, Message: reason, Field: field }]),
  // An upload (POST /v1/documents) named by initiate's documentId. Another app's id answers exactly as an unknown
  // one: 400, as every other refusal of the body's document is, not 404 (the route itself exists).
  uploadNotFound: () =>
    new DomainError('bad-request', [
      { Code: 'DOCUMENT_NOT_FOUND', Message: 'No uploaded document has this documentId', Field: 'documentId' },
    ]),
  uploadMissing: () =>
    new DomainError('bad-request', [
      {
        Code: 'DOCUMENT_NOT_UPLOADED',
        Message: 'Nothing was uploaded for this documentId yet: PUT the PDF to its UploadUrl first',
        Field: 'documentId',
      },
    ]),
  uploadExpired: (useBy: string) =>
    new DomainError('bad-request', [
      {
        Code: 'DOCUMENT_UPLOAD_EXPIRED',
        Message: `This upload could be used until ${useBy}; upload the document again`,
        Field: 'documentId',
      },
    ]),
  uploadAlreadyUsed: (signRequestId: string) =>
    refusal(
      'conflict',
      'DOCUMENT_ALREADY_USED',
      `This uploaded document was already used by sign request ${signRequestId}; upload it again for a new request`,
    ),
  documentNotFound: () => refusal('not-found', 'DOCUMENT_NOT_FOUND', 'This sign request carries no document'),
  /** Only a completed request has a signed document. */
  signRequestNotCompleted: (status: string) =>
    refusal(
      'conflict',
      'SIGN_REQUEST_NOT_COMPLETED',
      `This request is ${status}: only a completed request has a signed document`,
    ),
  /** Completed, but its signed document is still being sealed (moments after the last signature). */
  signedDocumentNotReady: (retryAfterSeconds = SIGNED_DOCUMENT_RETRY_SECONDS) =>
    new DomainError(
      'conflict',
      [
        {
          Code: 'SIGNED_DOCUMENT_NOT_READY',
          Message: 'This request is completed; its signed document is being sealed: retry shortly',
        },
      ],
      retryAfterSeconds,
    ),
  // POST <link>/code for a signer the request asks no one-time code of (no `verify: "email"` at initiate).
  signingCodeNotUsed: () =>
    refusal(
      'conflict',
      'SIGNING_CODE_NOT_USED',
      'This signer is not asked for a one-time code: there is no code to send',
    ),
  signingCodeLimit: (perHour: number, retryAfterSeconds: number) =>
    new DomainError(
      'too-many',
      [
        {
          Code: 'SIGNING_CODE_LIMIT',
          Message: `A code was sent ${perHour} times within the last hour; try again in ${retryAfterSeconds} seconds`,
        },
      ],
      retryAfterSeconds,
    ),
  // A signer's proof (X-Signer-Proof, or the page's code form): missing, or wrong by one message whatever was wrong
  // (a code close to the right one, an expired one-time code, a proof of another kind: all alike).
  signerProofRequired: () =>
    refusal('unauthenticated', 'SIGNER_PROOF_REQUIRED', 'This signer must give their code before going on'),
  signerProofInvalid: () => refusal('unauthenticated', 'SIGNER_PROOF_INVALID', 'This code is not valid'),
  signerLocked: (retryAfterSeconds: number) =>
    new DomainError(
      'too-many',
      [
        {
          Code: 'SIGNER_LOCKED',
          Message: `Too many wrong codes were given for this signer; try again in ${retryAfterSeconds} seconds`,
        },
      ],
      retryAfterSeconds,
    ),
  // Changing or removing a signer in flight (PATCH and DELETE .../signers/{signerId}).
  signerNotFound: () => refusal('not-found', 'SIGNER_NOT_FOUND', 'This sign request has no such signer'),
  signerReplaced: (newSignerId: string) =>
    refusal('conflict', 'SIGNER_REPLACED', `This signer was replaced by ${newSignerId}: change that signer instead`),
  signerAlreadyActed: () =>
    refusal(
      'conflict',
      'SIGNER_ALREADY_ACTED',
      'This signer has already signed or declined: only a signer who has not acted may be changed or removed',
    ),
  lastSigner: () =>
    refusal(
      'conflict',
      'LAST_SIGNER',
      'This is the only signer left, and a sign request needs one: recall the request instead',
    ),
  emailTaken: () =>
    new DomainError('bad-request', [
      { Code: 'VALIDATION_FAILED', Message: 'email is already another signer’s on this request', Field: 'email' },
    ]),
  // An old link of a signer changed or removed: told apart from an invalid link, after its secret matched.
  signingLinkReplaced: () =>
    refusal(
      'gone',
      'SIGNING_LINK_REPLACED',
      'This link was replaced: the sender changed or removed this signer, so it no longer works',
    ),
  tooManyConflicts: () =>
    refusal('unavailable', 'SERVICE_UNAVAILABLE', 'This request is being changed by others right now; retry shortly'),
} as const;
