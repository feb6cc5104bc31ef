/**
 * Every refusal the service gives is a DomainError with a stable Code. The kind says what sort of refusal it
 * is; the HTTP layer alone turns a kind into a status code, so core stays free of transport details.
 */
export type ErrorKind =
  | 'bad-request'
  | 'unauthenticated'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'gone'
  | 'too-large'
  | 'unsupported-media-type'
  | 'unprocessable'
  | 'unavailable';

export interface FailRule {
  Code: string;
  Message: string;
  Field?: string;
}

export class DomainError extends Error {
  readonly kind: ErrorKind;
  readonly rules: readonly FailRule[];

  constructor(kind: ErrorKind, rules: readonly FailRule[]) {
    super(rules.map((rule) => `${rule.Code}: ${rule.Message}`).join('; '));
    this.name = 'DomainError';
    this.kind = kind;
    this.rules = rules;
  }

  get code(): string {
    return this.rules[0]?.Code ?? 'UNKNOWN';
  }
}

const refusal = (kind: ErrorKind, code: string, message: string): DomainError =>
  new DomainError(kind, [{ Code: code, Message: message }]);

/** The refusals, by name. Messages quoted from the KAiZEN contract are kept verbatim. */
export const refusals = {
  invalidJson: (detail: string) => refusal('bad-request', 'INVALID_JSON', detail),
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
  payloadTooLarge: (limitBytes: number) =>
    refusal('too-large', 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limitBytes} bytes`),
  unsupportedMediaType: () =>
    refusal('unsupported-media-type', 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'),
  routeNotFound: () => refusal('not-found', 'ROUTE_NOT_FOUND', 'No such endpoint'),
  methodNotAllowed: (allowed: readonly string[]) =>
    refusal('method-not-allowed', 'METHOD_NOT_ALLOWED', `This endpoint accepts ${allowed.join(', ')}`),
  invalidIdempotencyKey: () =>
    new DomainError('bad-request', [
      {
        Code: 'VALIDATION_FAILED',
        Message: 'Idempotency-Key must be 1-255 printable ASCII characters',
        Field: 'Idempotency-Key',
      },
    ]),
  idempotencyKeyReused: () =>
    refusal(
      'unprocessable',
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used with a different request body',
    ),
  idempotencyInProgress: () =>
    refusal(
      'conflict',
      'IDEMPOTENCY_KEY_IN_PROGRESS',
      'A request with this Idempotency-Key is still being processed; retry shortly',
    ),
  serviceUnavailable: () =>
    refusal('unavailable', 'SERVICE_UNAVAILABLE', 'The service is busy right now; retry in a few seconds'),
  tooManyConflicts: () =>
    refusal('unavailable', 'SERVICE_UNAVAILABLE', 'This request is being changed by others right now; retry shortly'),
} as const;
