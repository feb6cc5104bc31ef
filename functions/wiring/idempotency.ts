import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IdempotencyRunner, LoadIdempotencyRunner } from '../http/idempotency.ts';
import { idempotencyRunner } from '../store/idempotency.ts';

/**
 * Powertools' idempotency utility (and its persistence layer) is built on the first call that carries an
 * Idempotency-Key, not at cold start: most calls carry none, and only initiate, recall and resend import this
 * module, so the other functions never bundle it. The import itself is static on purpose: measured, a dynamic
 * `import()` made esbuild wrap the module graph for lazy evaluation, which kept every command of the DynamoDB
 * client in the bundle (+43 KiB) and evaluated them at start (initiate's cold process 1.27x the SDK-only
 * yardstick instead of under 1.2x; `BENCH_ONLY=coldStart npm run bench`).
 */
export const lazyIdempotencyRunner = (client: DynamoDBClient, tableName: string): LoadIdempotencyRunner => {
  let runner: IdempotencyRunner | undefined;
  return () => Promise.resolve((runner ??= idempotencyRunner(client, tableName)));
};
