import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const NAME = 'injectStoreFault';

export type FaultKind = 'throttle' | 'outage' | 'timeout';

/** Errors shaped as the SDK raises them, so its own retry strategy treats them as it would in AWS. */
const faultError = (kind: FaultKind): Error => {
  switch (kind) {
    case 'throttle':
      return Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        $retryable: { throttling: true },
      });
    case 'outage':
      return Object.assign(new Error('Internal server error'), {
        name: 'InternalServerError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      });
    case 'timeout':
      return Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError', $metadata: {} });
  }
};

/**
 * Makes the store fail from the `from`-th call on (1-based), inside the SDK's retry loop (the deserialize step
 * runs below the retry middleware), and counts every attempt. Only operations named in `operations` fail.
 */
export const injectStoreFault = (
  client: DynamoDBDocumentClient,
  kind: FaultKind,
  options: { operations?: readonly string[]; from?: number } = {},
) => {
  const attempts: string[] = [];
  let calls = 0;
  client.middlewareStack.remove(NAME);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = context.commandName?.replace(/Command$/, '') ?? 'unknown';
      if (options.operations && !options.operations.includes(operation)) return next(args);
      calls++;
      if (calls < (options.from ?? 1)) return next(args);
      attempts.push(operation);
      throw faultError(kind);
    },
    { step: 'deserialize', name: NAME },
  );
  return {
    attempts,
    heal: () => client.middlewareStack.remove(NAME),
  };
};

const UNPROCESSED = 'leaveBatchKeysUnprocessed';

/**
 * Makes BatchGetItem answer in part, as DynamoDB does when a partition is throttled: each of the first `times`
 * batch reads answers all but its last item and hands that one's key back as UnprocessedKeys (never read). Counts
 * every BatchGetItem sent.
 */
export const leaveBatchKeysUnprocessed = (client: DynamoDBDocumentClient, times: number) => {
  let sent = 0;
  client.middlewareStack.remove(UNPROCESSED);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== 'BatchGetItemCommand') return result;
      if (++sent > times) return result;
      const output = result.output as {
        Responses?: Record<string, Record<string, unknown>[]>;
        UnprocessedKeys?: Record<string, { Keys: Record<string, unknown>[] }>;
      };
      const input = args.input as { RequestItems: Record<string, Record<string, unknown>> };
      for (const [table, items] of Object.entries(output.Responses ?? {})) {
        const left = items.at(-1);
        if (!left) continue;
        output.Responses![table] = items.slice(0, -1);
        output.UnprocessedKeys = {
          ...output.UnprocessedKeys,
          // What a real answer hands back: the request's own attributes, with the keys it did not read.
          [table]: { ...input.RequestItems[table], Keys: [{ pk: left.pk, sk: left.sk }] },
        };
      }
      return result;
    },
    // Above the document client's unmarshalling: items and keys as the store code sees them.
    { step: 'initialize', name: UNPROCESSED },
  );
  return {
    sent: () => sent,
    heal: () => client.middlewareStack.remove(UNPROCESSED),
  };
};
