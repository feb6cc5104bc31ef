import type { FailRule } from '../core/errors.ts';

/** What sort of transport refusal it is; error-response.ts turns each into its status code. */
export type TransportKind =
  | 'bad-request'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'too-large'
  | 'unsupported-media-type'
  | 'unprocessable'
  | 'too-many'
  | 'unavailable';

/**
 * A refusal of how a request arrived rather than of what it asks: no such route or method, a body that is too
 * large, not JSON or not an object, an Idempotency-Key that is malformed, reused or still at work; an app over
 * its rate; and a store that is throttled or down. Core never sees these; they answer in the same envelope as its refusals.
 */
export class TransportRefusal extends Error {
  readonly kind: TransportKind;
  readonly rules: readonly FailRule[];
  /** Headers the answer must carry, as HTTP requires them of its status (`Allow` on a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(kind: TransportKind, rules: readonly FailRule[], headers: Record<string, string> = {}) {
    super(rules.map((rule) => `${rule.Code}: ${rule.Message}`).join('; '));
    this.name = 'TransportRefusal';
    this.kind = kind;
    this.rules = rules;
    this.headers = headers;
  }

  get code(): string {
    return this.rules[0]?.Code ?? 'UNKNOWN';
  }
}

const refusal = (kind: TransportKind, code: string, message: string): TransportRefusal =>
  new TransportRefusal(kind, [{ Code: code, Message: message }]);

/** The transport refusals, by name; their messages are part of the contract, kept verbatim. */
export const transportRefusals = {
  invalidJson: (detail: string) => refusal('bad-request', 'INVALID_JSON', detail),
  payloadTooLarge: (limitBytes: number) =>
    refusal('too-large', 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limitBytes} bytes`),
  unsupportedMediaType: (expected = 'application/json') =>
    refusal('unsupported-media-type', 'UNSUPPORTED_MEDIA_TYPE', `Send the body as ${expected}`),
  /** A route whose body is a file (verify) got none. */
  emptyFileBody: (what: string) =>
    new TransportRefusal('bad-request', [
      { Code: 'VALIDATION_FAILED', Message: `The request body is empty: send ${what}`, Field: 'body' },
    ]),
  routeNotFound: () => refusal('not-found', 'ROUTE_NOT_FOUND', 'No such endpoint'),
  methodNotAllowed: (allowed: readonly string[]) =>
    new TransportRefusal(
      'method-not-allowed',
      [{ Code: 'METHOD_NOT_ALLOWED', Message: `This endpoint accepts ${allowed.join(', ')}` }],
      { allow: allowed.join(', ') },
    ),
  invalidIdempotencyKey: () =>
    new TransportRefusal('bad-request', [
      {
        Code: 'VALIDATION_FAILED',
        Message: 'Idempotency-Key must be 1-255 printable ASCII characters',
        Field: 'Idempotency-Key',
      },
    ]),
  invalidIfMatch: () =>
    new TransportRefusal('bad-request', [
      {
        Code: 'VALIDATION_FAILED',
        Message: 'If-Match must be * or 1-10 entity tags, as the read’s ETag gives them, quotes included',
        Field: 'If-Match',
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
  /** Over the app's rate (functions/core/app-rate-limiter.ts): nothing was done; Retry-After says when to retry. */
  rateLimited: (ratePerSecond: number, burst: number, retryAfterSeconds: number) =>
    new TransportRefusal(
      'too-many',
      [
        {
          Code: 'RATE_LIMITED',
          Message:
            `This app may make ${ratePerSecond} requests a second (up to ${burst} at once) and is over that rate; ` +
            `retry in ${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}`,
        },
      ],
      { 'retry-after': String(retryAfterSeconds) },
    ),
  /** No valid sealing key is in place (functions/wiring/sealing-key.ts): the operator must provide one. */
  sealingUnavailable: () =>
    refusal(
      'unavailable',
      'SEALING_UNAVAILABLE',
      'Sealed evidence cannot be made or checked right now: the service has no sealing key in place; retry later',
    ),
  serviceUnavailable: () =>
    refusal('unavailable', 'SERVICE_UNAVAILABLE', 'The service is busy right now; retry in a few seconds'),
} as const;
