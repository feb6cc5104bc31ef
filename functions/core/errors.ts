/**
 * Every business refusal is a DomainError with a stable Code. The kind says what sort of refusal it is; the
 * HTTP layer alone turns a kind into a status code. Refusals of the transport itself (no such route, a body that
 * is not JSON, a malformed Idempotency-Key) are the HTTP layer's own (functions/http/refusals.ts).
 */
export type ErrorKind =
  'bad-request' | 'unauthenticated' | 'not-found' | 'conflict' | 'gone' | 'too-many' | 'unavailable';

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
  alreadySigned: () => refusal('conflict', 'ALREADY_SIGNED', 'You have already signed this request'),
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
  tooManyConflicts: () =>
    refusal('unavailable', 'SERVICE_UNAVAILABLE', 'This request is being changed by others right now; retry shortly'),
} as const;
