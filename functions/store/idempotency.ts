import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyInconsistentStateError,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { IdempotencyRunner, IdempotentCall, IdempotentOutcome } from '../http/idempotency.ts';
import { IDEMPOTENCY_PARTITION } from './keys.ts';
import { IDEMPOTENCY_TTL_SECONDS, TableKeys, TTL_ATTRIBUTE } from './table.ts';

type JsonSafe = Record<string, unknown>;

/**
 * (secondary adapter of the port in http/idempotency.ts) Powertools for AWS Lambda's idempotency utility on our
 * one table: records live in one partition of their own (IDEMPOTENCY_PARTITION, so IAM can grant exactly it), sk
 * `<prefix>#<hash of app, operation, key>`, vanish by TTL after a day, and keep a hash of the validated input so
 * the same key with another body is refused. Only successful answers are kept: a refusal is decided afresh on
 * retry. On the embedded store (no ReturnValuesOnConditionCheckFailure) Powertools reads the
 * existing record consistently instead, so the semantics are the same.
 */
export const idempotencyRunner = (client: DynamoDBClient, tableName: string): IdempotencyRunner => {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName,
    keyAttr: TableKeys.partitionKey,
    sortKeyAttr: TableKeys.sortKey,
    staticPkValue: IDEMPOTENCY_PARTITION,
    expiryAttr: TTL_ATTRIBUTE,
    awsSdkV3Client: client,
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[appId, operation, key]',
    payloadValidationJmesPath: 'input',
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    responseHook: (response) => ({ ...(response as JsonSafe), replayed: true }),
  });

  return async <T extends object>(
    call: IdempotentCall,
    context: Context,
    run: () => Promise<T>,
  ): Promise<IdempotentOutcome<T>> => {
    // The remaining time bounds how long an in-progress record blocks retries if this invocation dies.
    config.registerLambdaContext(context);
    const once = makeIdempotent(async (_call: IdempotentCall) => ({ result: await run(), replayed: false }), {
      persistenceStore,
      config,
      keyPrefix: 'esign-recall',
      dataIndexArgument: 0,
    });
    try {
      // The stored answer keeps its first shape, so records written before this shape replay alike.
      const answer = await once(call);
      return { ok: true, result: answer.result, replayed: answer.replayed };
    } catch (error) {
      if (error instanceof IdempotencyValidationError) return { ok: false, refused: 'key-reused' };
      if (error instanceof IdempotencyAlreadyInProgressError || error instanceof IdempotencyInconsistentStateError) {
        return { ok: false, refused: 'in-progress' };
      }
      // The store's own failure (throttling, outage) is what the caller should hear about.
      if (error instanceof IdempotencyPersistenceLayerError && error.cause instanceof Error) throw error.cause;
      throw error;
    }
  };
};
