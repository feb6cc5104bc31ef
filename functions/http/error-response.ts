import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type ErrorKind } from '../core/errors.ts';
import { isUnavailable } from '../runtime/unavailable.ts';
import { failureResponse } from './envelope.ts';
import { TransportRefusal, transportRefusals, type TransportKind } from './refusals.ts';

const STATUS_BY_KIND: Record<ErrorKind | TransportKind, number> = {
  'bad-request': 400,
  unauthenticated: 401,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  gone: 410,
  'precondition-failed': 412,
  'too-many': 429,
  'too-large': 413,
  'unsupported-media-type': 415,
  unprocessable: 422,
  unavailable: 503,
};

/** The HTTP status of a refusal's kind, for answers that are not the envelope (the signer's page). */
export const statusOfKind = (kind: ErrorKind | TransportKind): number => STATUS_BY_KIND[kind];

export type ErrorClass = 'refusal' | 'unavailable' | 'internal';

/**
 * The one place an error becomes an HTTP answer. Refusals, business or transport, carry their own rules; a store
 * that is throttled or down is a 503 the caller may retry; anything else is a 500 that names only the request id.
 */
export const errorResponse = (
  error: unknown,
  requestId: string,
): { response: APIGatewayProxyStructuredResultV2; errorClass: ErrorClass; code: string } => {
  const known =
    error instanceof DomainError || error instanceof TransportRefusal
      ? error
      : isUnavailable(error)
        ? transportRefusals.serviceUnavailable()
        : undefined;
  if (known) {
    const headers: Record<string, string> = {
      ...(known instanceof TransportRefusal ? known.headers : {}),
      ...(known.kind === 'unavailable' ? { 'retry-after': '1' } : {}),
      ...(known instanceof DomainError && known.retryAfterSeconds !== undefined
        ? { 'retry-after': String(known.retryAfterSeconds) }
        : {}),
    };
    return {
      response: failureResponse(STATUS_BY_KIND[known.kind], known.rules, headers),
      errorClass: error === known ? 'refusal' : 'unavailable',
      code: known.code,
    };
  }
  return {
    response: failureResponse(500, [
      {
        Code: 'INTERNAL_ERROR',
        Message: `Something went wrong on our side. Quote request id ${requestId} if you contact support.`,
      },
    ]),
    errorClass: 'internal',
    code: 'INTERNAL_ERROR',
  };
};
