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
import { DomainError } from '../core/errors.ts';
import type { IdempotencyRunner, IdempotentCall, IdempotentOutcome } from '../http/idempotency.ts';
import { documentClientFor } from './client.ts';
import { KeyInputStore } from './key-inputs.ts';
import { idempotencyPartition } from './keys.ts';
import { IDEMPOTENCY_TTL_SECONDS, TableKeys, TTL_ATTRIBUTE } from './table.ts';

type JsonSafe = Record<string, unknown>;

/** The key was used with another input, and that call may have changed something: refused, never run. */
class KeyUsedWithAnotherInput extends Error {}

/** A business refusal: the call changed nothing (a store that stayed unavailable may have left a change). */
const isRefusal = (error: unknown): boolean => error instanceof DomainError && error.kind !== 'unavailable';

/**
 * (secondary adapter of the port in http/idempotency.ts) Powertools for AWS Lambda's idempotency utility on our one table: each app's each key in a partition of its
 * own (`IDEMPOTENCY#<appId>#<sha256 of the key>`, Powertools' `staticPkValue`, so keyed calls spread over as many
 * partitions as there are keys and IAM still grants them by prefix), sk `<prefix>#<hash of app, operation, key>`;
 * records vanish by TTL after a day and keep a hash of the validated input so the same key with another body is
 * refused. Only successful answers are kept: a refusal is decided afresh on retry. Beside them, the key's input
 * (store/key-inputs.ts) outlives a failed call, so a retry after a 503 is refused too if its body differs. On
 * the embedded store (no ReturnValuesOnConditionCheckFailure) Powertools reads the existing record consistently
 * instead, so the semantics are the same.
 */
export const idempotencyRunner = (client: DynamoDBClient, tableName: string): IdempotencyRunner => {
  // A persistence layer per call: its partition is the call's. Building one only reads its options.
  const persistenceFor = (call: IdempotentCall) =>
    new DynamoDBPersistenceLayer({
      tableName,
      keyAttr: TableKeys.partitionKey,
      sortKeyAttr: TableKeys.sortKey,
      staticPkValue: idempotencyPartition(call.appId, call.key),
      expiryAttr: TTL_ATTRIBUTE,
      awsSdkV3Client: client,
    });
  const keyInputs = new KeyInputStore(documentClientFor(client), tableName);
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
    const once = makeIdempotent(
      async (keyed: IdempotentCall) => {
        if (!(await keyInputs.bind(keyed, new Date()))) throw new KeyUsedWithAnotherInput();
        try {
          return { result: await run(), replayed: false };
        } catch (error) {
          // Best effort: a record left behind only refuses another body for this key, the safe side.
          if (isRefusal(error)) await keyInputs.release(keyed).catch(() => undefined);
          throw error;
        }
      },
      {
        persistenceStore: persistenceFor(call),
        config,
        keyPrefix: 'esign-recall',
        dataIndexArgument: 0,
      },
    );
    try {
      // The stored answer keeps its first shape, so records written before this shape replay alike.
      const answer = await once(call);
      return { ok: true, result: answer.result, replayed: answer.replayed };
    } catch (error) {
      if (error instanceof IdempotencyValidationError || error instanceof KeyUsedWithAnotherInput)
        return { ok: false, refused: 'key-reused' };
      if (error instanceof IdempotencyAlreadyInProgressError || error instanceof IdempotencyInconsistentStateError) {
        return { ok: false, refused: 'in-progress' };
      }
      // The store's own failure (throttling, outage) is what the caller should hear about.
      if (error instanceof IdempotencyPersistenceLayerError && error.cause instanceof Error) throw error.cause;
      throw error;
    }
  };
};
