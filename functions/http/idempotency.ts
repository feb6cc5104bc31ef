import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IdempotencyRunner } from '../store/idempotency.ts';

/** Loads the idempotency runner when a call first needs one. */
export type LoadIdempotencyRunner = () => Promise<IdempotencyRunner>;

/**
 * Powertools' idempotency utility (and its persistence layer) is loaded on the first call that carries an
 * Idempotency-Key, not at cold start: most calls carry none, and only initiate and recall import this module,
 * so the other functions never load it at all. The runner is then kept for the container's life.
 */
export const lazyIdempotencyRunner = (client: DynamoDBClient, tableName: string): LoadIdempotencyRunner => {
  let runner: Promise<IdempotencyRunner> | undefined;
  return () => {
    runner ??= import('../store/idempotency.ts').then(
      ({ idempotencyRunner }) => idempotencyRunner(client, tableName),
      (error: unknown) => {
        runner = undefined;
        throw error;
      },
    );
    return runner;
  };
};
