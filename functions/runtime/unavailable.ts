/**
 * How a failed call to a service a function depends on (the store above all) is told apart, by the AWS SDK's error
 * names and codes, without importing the SDK: so the HTTP layer answers it with 503 knowing neither the SDK nor the
 * store, and a workflow knows when a write it made may have landed anyway.
 */

/** Failures after which the request may have reached the service and taken effect. */
const MAY_HAVE_LANDED_NAMES = new Set(['InternalServerError', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeout']);
const MAY_HAVE_LANDED_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
/** Failures that certainly did not: refused for throughput, or no connection made. */
const NEVER_LANDED_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  // A batch read still answered in part after its bounded retries (store/current-orders.ts): throttled keys.
  'BatchReadUnprocessed',
]);
const NEVER_LANDED_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);

const codeOf = (error: Error): unknown => (error as { code?: unknown }).code;
const statusOf = (error: Error): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** Retry later is all the caller can do: throttling, outage, timeout, network. */
export const isUnavailable = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  return (
    MAY_HAVE_LANDED_NAMES.has(error.name) ||
    NEVER_LANDED_NAMES.has(error.name) ||
    (typeof code === 'string' && (MAY_HAVE_LANDED_CODES.has(code) || NEVER_LANDED_CODES.has(code))) ||
    statusOf(error) === 503
  );
};

/**
 * A failed call that may nonetheless have taken effect: DynamoDB's 500 ("may have succeeded", as AWS documents
 * it) or any 5xx, a timeout, a connection lost after the request went out. Not throttling, nor a connection never
 * made: those certainly did not reach the table.
 */
export const mayHaveLanded = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  const status = statusOf(error);
  return (
    MAY_HAVE_LANDED_NAMES.has(error.name) ||
    (typeof code === 'string' && MAY_HAVE_LANDED_CODES.has(code)) ||
    (status !== undefined && status >= 500)
  );
};
