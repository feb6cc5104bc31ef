import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

export const isConditionFailed = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

const MAY_HAVE_LANDED_NAMES = new Set(['InternalServerError', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeout']);
const MAY_HAVE_LANDED_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/**
 * A failed store call that may nonetheless have taken effect: DynamoDB's 500 ("may have succeeded", as AWS
 * documents it) or any 5xx, a timeout, a connection lost after the request went out. Not throttling, nor a
 * connection never made: those certainly did not reach the table.
 */
export const mayHaveLanded = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (
    MAY_HAVE_LANDED_NAMES.has(error.name) ||
    (typeof code === 'string' && MAY_HAVE_LANDED_CODES.has(code)) ||
    (status !== undefined && status >= 500)
  );
};
