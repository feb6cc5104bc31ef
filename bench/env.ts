import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The environment the functions read once, at import (their "cold start"). It must be in place before anything
 * under functions/ is imported, so bench/run.ts sets it first and imports everything else dynamically.
 */
export const setBenchEnv = (): { tableName: string; quick: boolean } => {
  const tableName = `bench-${randomUUID()}`;
  process.env.TABLE_NAME = tableName;
  // Initiate's S3 client is built at init; the benchmarks give no document, so it never calls the bucket.
  process.env.DOCUMENTS_BUCKET ??= 'esign-recall-bench-documents';
  process.env.AWS_REGION ??= 'us-east-1';
  // Signing links and webhook secrets derive from two keys (functions/signing-key.ts), given here directly.
  process.env.LINK_SIGNING_KEY ??= randomBytes(32).toString('base64url');
  process.env.WEBHOOK_SIGNING_KEY ??= randomBytes(32).toString('base64url');
  process.env.LIST_CURSOR_KEY ??= randomBytes(32).toString('base64url');
  process.env.SIGNER_PASS_KEY ??= randomBytes(32).toString('base64url');
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // The benchmarks measure one app's recalls at full speed, not its rate limit: a rate they never reach. The
  // limiter's own cost is measured apart, with a limiter of its own (bench/rate-limit.ts).
  process.env.APP_RATE_PER_SECOND ??= '100000';
  process.env.APP_RATE_BURST ??= '100000';
  // One access-log line per request would make the benchmark measure stdout, not the service.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  return { tableName, quick: process.env.BENCH_QUICK === '1' };
};

/** Set once the store listens on its random port, still before the functions are imported. */
export const setStoreEndpoint = (endpoint: string): void => {
  process.env.DYNAMODB_ENDPOINT = endpoint;
};
