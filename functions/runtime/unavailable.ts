const UNAVAILABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * A failure of a service a function depends on (the store above all) that the caller can do nothing about but
 * retry later: throttling, outage, timeout, network. Judged by the AWS SDK's error names and codes, without
 * importing the SDK, so the HTTP layer answers it with 503 knowing neither the SDK nor the store.
 */
export const isUnavailable = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    UNAVAILABLE_NAMES.has(error.name) ||
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 503
  );
};
