import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { localStoreClient } from '../../infra/local/embedded-store.ts';
import { delay, keyAttribute, startFaultProxy, type Fault, type FaultProxy } from '../support/fault-proxy.ts';

const storeEndpoint = inject('dynamodbEndpoint');
const tableName = process.env.TABLE_NAME!;
const clients: DynamoDBClient[] = [];
let proxy: FaultProxy;

/** A document client through `endpoint`, configured as a test needs (attempts, timeouts). */
const clientOf = (endpoint: string, config: Partial<DynamoDBClientConfig> = {}) => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...config,
  });
  clients.push(client);
  return DynamoDBDocumentClient.from(client);
};
const throughProxy = (config: Partial<DynamoDBClientConfig> = {}) => clientOf(proxy.endpoint, config);

const store = DynamoDBDocumentClient.from(localStoreClient(storeEndpoint));
/** What the store holds, read straight from it (not through the proxy), strongly consistent. */
const stored = async (pk: string) =>
  (await store.send(new GetCommand({ TableName: tableName, Key: { pk, sk: 'ITEM' }, ConsistentRead: true }))).Item;

const newKey = () => `FAULT#${randomUUID()}`;
const putItem = (pk: string, extra: Record<string, unknown> = {}) =>
  new PutCommand({ TableName: tableName, Item: { pk, sk: 'ITEM', ...extra } });
const createOnce = (pk: string) =>
  new PutCommand({
    TableName: tableName,
    Item: { pk, sk: 'ITEM' },
    ConditionExpression: 'attribute_not_exists(pk)',
  });

/** The error a promise rejects with, failing the test if it resolves. */
const rejectionOf = async (promise: Promise<unknown>): Promise<Error & Record<string, unknown>> => {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
};

beforeAll(async () => {
  proxy = await startFaultProxy({ target: storeEndpoint });
});
afterEach(async () => {
  await proxy.settled();
  // The SDK never sends a DynamoDB body chunked: every request's boundary is its Content-Length.
  expect(proxy.log().filter((entry) => entry.framing !== 'content-length')).toEqual([]);
  proxy.reset();
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  store.destroy();
  await proxy.close();
});

describe('without a planned fault', () => {
  it('relays every request and answer untouched, each delimited by Content-Length', async () => {
    const client = throughProxy({ maxAttempts: 1 });
    const pk = newKey();
    await client.send(putItem(pk, { note: 'relayed' }));
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { pk, sk: 'ITEM' } }));
    const { Items } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    );

    expect(Item).toEqual({ pk, sk: 'ITEM', note: 'relayed' });
    expect(Items).toEqual([Item]);
    expect(proxy.log()).toMatchObject([
      { seq: 1, operation: 'PutItem', tableName, fault: 'none', landed: true, storeStatus: 200, client: 200 },
      { seq: 2, operation: 'GetItem', tableName, fault: 'none', landed: true, storeStatus: 200, client: 200 },
      { seq: 3, operation: 'Query', tableName, fault: 'none', landed: true, storeStatus: 200, client: 200 },
    ]);
    expect(proxy.log().map((entry) => entry.framing)).toEqual(['content-length', 'content-length', 'content-length']);
  });

  it('relays the store’s own refusals as they are', async () => {
    const client = throughProxy({ maxAttempts: 1 });
    const pk = newKey();
    await client.send(createOnce(pk));

    const refusal = await rejectionOf(client.send(createOnce(pk)));

    expect(refusal.name).toBe('ConditionalCheckFailedException');
    expect(proxy.log()[1]).toMatchObject({
      fault: 'none',
      landed: true,
      storeStatus: 400,
      storeErrorType: 'ConditionalCheckFailedException',
      client: 400,
    });
  });
});

describe('forward-then-reset', () => {
  it('lets the write land, then resets the connection: the SDK sees a network error while the item exists', async () => {
    const client = throughProxy({ maxAttempts: 1 });
    const pk = newKey();
    proxy.plan({ operation: 'PutItem', fault: 'forward-then-reset' });

    const error = await rejectionOf(client.send(putItem(pk)));

    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(await stored(pk)).toEqual({ pk, sk: 'ITEM' });
    expect(proxy.log()).toMatchObject([
      { operation: 'PutItem', fault: 'forward-then-reset', decidedBy: 'plan', landed: true, storeStatus: 200 },
    ]);
    expect(proxy.log()[0]!.client).toBe('reset');
  });
});

describe('answer-500', () => {
  it('answers DynamoDB’s InternalServerError without forwarding: the item does not exist', async () => {
    const client = throughProxy({ maxAttempts: 1 });
    const pk = newKey();
    proxy.plan({ operation: 'PutItem', fault: 'answer-500' });

    const error = await rejectionOf(client.send(putItem(pk)));

    expect(error.name).toBe('InternalServerError');
    expect(error).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500, attempts: 1 } });
    expect(await stored(pk)).toBeUndefined();
    expect(proxy.log()).toMatchObject([{ operation: 'PutItem', fault: 'answer-500', landed: false, client: 500 }]);
  });

  it('is retried by the SDK as a server error: the second attempt lands', async () => {
    const client = throughProxy({ maxAttempts: 2 });
    const pk = newKey();
    proxy.plan({ operation: 'PutItem', fault: 'answer-500' });

    const answer = await client.send(putItem(pk));

    expect(answer.$metadata.attempts).toBe(2);
    expect(await stored(pk)).toEqual({ pk, sk: 'ITEM' });
    expect(proxy.log()).toMatchObject([
      { fault: 'answer-500', landed: false, client: 500 },
      { fault: 'none', landed: true, client: 200 },
    ]);
  });
});

describe('a lost answer to a conditional create (the misreading issue 10 is about)', () => {
  it.each(['forward-then-500', 'forward-then-reset'] as const)(
    '%s once: the SDK’s retry fails its own condition and reports ConditionalCheckFailedException',
    async (fault) => {
      const client = throughProxy({ maxAttempts: 3 });
      const pk = newKey();
      proxy.plan({ operation: 'PutItem', fault });

      const error = await rejectionOf(client.send(createOnce(pk)));

      // The first attempt created the item; the retry is refused because of it, and nothing tells the caller.
      expect(error.name).toBe('ConditionalCheckFailedException');
      expect(await stored(pk)).toEqual({ pk, sk: 'ITEM' });
      expect(proxy.log()).toMatchObject([
        { operation: 'PutItem', fault, landed: true, storeStatus: 200 },
        { operation: 'PutItem', fault: 'none', landed: true, storeErrorType: 'ConditionalCheckFailedException' },
      ]);
      expect(proxy.log()[0]!.client).toBe(fault === 'forward-then-500' ? 500 : 'reset');
    },
  );
});

describe('drop', () => {
  it('resets the connection without forwarding: a network error and no item', async () => {
    const client = throughProxy({ maxAttempts: 1 });
    const pk = newKey();
    proxy.plan({ operation: 'PutItem', fault: 'drop' });

    const error = await rejectionOf(client.send(putItem(pk)));

    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(await stored(pk)).toBeUndefined();
    expect(proxy.log()).toMatchObject([{ operation: 'PutItem', fault: 'drop', landed: false, client: 'reset' }]);
  });
});

describe('hold', () => {
  it('never answers: with throwOnRequestTimeout the SDK call fails at its requestTimeout instead of hanging', async () => {
    const requestTimeout = 300;
    const client = throughProxy({ maxAttempts: 1, requestHandler: { requestTimeout, throwOnRequestTimeout: true } });
    const pk = newKey();
    const held = proxy.plan({ operation: 'PutItem', fault: 'hold' });

    const started = performance.now();
    const error = await rejectionOf(client.send(putItem(pk)));
    const elapsed = performance.now() - started;

    expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
    expect(error.message).toContain(`${requestTimeout} ms requestTimeout`);
    expect(elapsed).toBeLessThan(10_000); // an upper bound only: the alternative is hanging for minutes
    expect((await held.firstHit).client).toBe('held');
    expect(await stored(pk)).toBeUndefined();
  });

  it('without throwOnRequestTimeout the requestTimeout only warns and the call waits until the proxy closes', async () => {
    const ownProxy = await startFaultProxy({ target: storeEndpoint });
    const warnings: string[] = [];
    let warned: () => void = () => undefined;
    const warning = new Promise<void>((resolve) => (warned = resolve));
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (message: unknown) => {
        warnings.push(String(message));
        warned();
      },
    };
    const client = clientOf(ownProxy.endpoint, { maxAttempts: 1, requestHandler: { requestTimeout: 200, logger } });
    ownProxy.plan({ operation: 'GetItem', fault: 'hold' });
    let settled = false;
    const call = client.send(new GetCommand({ TableName: tableName, Key: { pk: newKey(), sk: 'ITEM' } }));
    void call.then(
      () => (settled = true),
      () => (settled = true),
    );

    await warning;
    expect(settled).toBe(false);
    expect(warnings[0]).toContain('throwOnRequestTimeout=true');

    await ownProxy.close(); // closing releases held connections
    expect(await rejectionOf(call)).toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('delay', () => {
  it('forwards at once and relays the store’s answer late', async () => {
    const client = throughProxy({ maxAttempts: 1 });
    const pk = newKey();
    proxy.plan({ operation: 'PutItem', fault: delay(200) });

    const started = performance.now();
    await client.send(putItem(pk));
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(199); // timers may round down by up to a millisecond
    expect(await stored(pk)).toEqual({ pk, sk: 'ITEM' });
    expect(proxy.log()).toMatchObject([
      { operation: 'PutItem', fault: 'delay', delayMs: 200, landed: true, storeStatus: 200, client: 200 },
    ]);
  });
});

describe('matching requests', () => {
  it('faults exactly the chosen occurrence of the chosen operation and body, on one keep-alive connection', async () => {
    // One socket for every call, so all requests travel one after another on the same keep-alive connection.
    const client = throughProxy({
      maxAttempts: 1,
      requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 1 }) },
    });
    const [first, second, third] = [newKey(), newKey(), newKey()];
    const target = new Set([second, third]);
    const planned = proxy.plan({
      operation: ['PutItem', 'UpdateItem'],
      where: (body) => body.TableName === tableName && target.has(keyAttribute(body, 'pk') ?? ''),
      skip: 1,
      fault: 'answer-500',
    });

    await client.send(putItem(first));
    await client.send(new GetCommand({ TableName: tableName, Key: { pk: third, sk: 'ITEM' } }));
    await client.send(putItem(second)); // matches, but skipped: the fault starts at the second match
    const error = await rejectionOf(client.send(putItem(third)));
    await client.send(putItem(third)); // times defaults to 1: the rule is spent

    expect(error.name).toBe('InternalServerError');
    expect(planned.applied()).toBe(1);
    expect(proxy.log().map(({ operation, fault }) => [operation, fault])).toEqual([
      ['PutItem', 'none'],
      ['GetItem', 'none'],
      ['PutItem', 'none'],
      ['PutItem', 'answer-500'],
      ['PutItem', 'none'],
    ]);
    expect(new Set(proxy.log().map((entry) => entry.connection)).size).toBe(1);
  });

  it('faults only the matching request among concurrent ones, and every other answer reaches its own caller', async () => {
    const client = throughProxy({ maxAttempts: 1 });
    const keys = Array.from({ length: 20 }, newKey);
    const victim = keys[7]!;
    proxy.plan({
      operation: 'PutItem',
      where: (body) => keyAttribute(body, 'pk') === victim,
      fault: 'forward-then-reset',
    });

    const outcomes = await Promise.allSettled(keys.map((pk) => client.send(putItem(pk, { owner: pk }))));
    const reads = await Promise.all(
      keys.map((pk) => client.send(new GetCommand({ TableName: tableName, Key: { pk, sk: 'ITEM' } }))),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual(
      keys.map((pk) => (pk === victim ? 'rejected' : 'fulfilled')),
    );
    expect(reads.map(({ Item }) => Item?.owner as unknown)).toEqual(keys); // each answer carries its own request's item
    expect(proxy.log().filter((entry) => entry.fault !== 'none')).toHaveLength(1);
  });

  it('applies a rule as many times as asked', async () => {
    const client = throughProxy({ maxAttempts: 1 });
    const keys = [newKey(), newKey(), newKey()];
    const planned = proxy.plan({ operation: 'PutItem', fault: 'answer-500', times: 2 });

    const outcomes = [];
    for (const pk of keys)
      outcomes.push(
        await client.send(putItem(pk)).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );

    expect(outcomes).toEqual(['InternalServerError', 'InternalServerError', 'ok']);
    expect(planned.applied()).toBe(2);
  });
});

describe('chaos', () => {
  const faults: readonly Fault[] = ['forward-then-reset', 'forward-then-500', 'answer-500', delay(5)];

  /** 30 PutItems one after another through seeded chaos; what the proxy did to each, in order. */
  const chaosRun = async (seed: number) => {
    proxy.reset();
    proxy.chaos({ seed, rate: 0.5, faults, operations: ['PutItem'] });
    const client = throughProxy({ maxAttempts: 1 });
    const keys = Array.from({ length: 30 }, newKey);
    for (const pk of keys) await client.send(putItem(pk)).catch(() => undefined);
    // A GetItem is not a chosen operation: chaos leaves it alone.
    await client.send(new GetCommand({ TableName: tableName, Key: { pk: keys[0]!, sk: 'ITEM' } }));
    await proxy.settled();
    return { keys, log: proxy.log() };
  };

  it('is reproducible from its seed, and its log says truly what landed', async () => {
    const first = await chaosRun(42);
    const again = await chaosRun(42);
    const other = await chaosRun(7);

    const faultsOf = (log: typeof first.log) => log.map((entry) => entry.fault);
    expect(faultsOf(again.log)).toEqual(faultsOf(first.log));
    expect(faultsOf(other.log)).not.toEqual(faultsOf(first.log));
    // This seed hits every kind of fault and leaves some requests alone.
    expect(new Set(faultsOf(first.log))).toEqual(
      new Set(['forward-then-reset', 'forward-then-500', 'answer-500', 'delay', 'none']),
    );
    expect(first.log.at(-1)).toMatchObject({ operation: 'GetItem', fault: 'none', decidedBy: 'none' });

    for (const [index, pk] of first.keys.entries()) {
      const entry = first.log[index]!;
      expect(entry.decidedBy).toBe(entry.fault === 'none' ? 'none' : 'chaos');
      expect(await stored(pk)).toEqual(entry.landed && entry.storeStatus === 200 ? { pk, sk: 'ITEM' } : undefined);
    }
  });
});
