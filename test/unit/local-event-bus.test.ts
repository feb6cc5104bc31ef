import { setImmediate as tick } from 'node:timers/promises';
import type { SQSBatchResponse } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalEventBus, type QueueConsumer } from '../../infra/local/event-bus.ts';
import { sampleCreatedEvent } from '../support/sample-event.ts';

/** A consumer that counts the invocations under way at once, each staying busy for a few turns of the loop. */
const countingConsumer = (failFirstTries = 0) => {
  let running = 0;
  const seen = { peak: 0, calls: 0 };
  const consumer: QueueConsumer = async (event) => {
    running++;
    const call = ++seen.calls;
    seen.peak = Math.max(seen.peak, running);
    for (let turn = 0; turn < 5; turn++) await tick();
    running--;
    const failed = call <= failFirstTries;
    return {
      batchItemFailures: failed ? event.Records.map((record) => ({ itemIdentifier: record.messageId })) : [],
    } satisfies SQSBatchResponse;
  };
  return { consumer, seen };
};

const burst = Array.from({ length: 40 }, (_, index) => sampleCreatedEvent(`01JREQUEST${index}.0`));

describe('the local event bus runs a queue’s consumer at most as often at once as the deployed queue does', () => {
  it('a burst of 40 events reaches a consumer of maximum concurrency 2 at most twice at once, and every event is delivered', async () => {
    const { consumer, seen } = countingConsumer();
    const bus = new LocalEventBus([
      { name: 'mail', matches: () => true, consumer, maxReceiveCount: 3, backoffBaseMs: 1, maxConcurrency: 2 },
    ]);
    await bus.publish(burst);
    await bus.idle();
    expect(seen.peak).toBe(2);
    expect(seen.calls).toBe(burst.length);
    expect(bus.deadLetters).toEqual([]);
  });

  it('retries wait outside the limit: failing tries free their place, and every event still arrives once retried', async () => {
    const { consumer, seen } = countingConsumer(10);
    const bus = new LocalEventBus(
      [{ name: 'mail', matches: () => true, consumer, maxReceiveCount: 3, backoffBaseMs: 1, maxConcurrency: 2 }],
      { sleep: () => tick() },
    );
    await bus.publish(burst);
    await bus.idle();
    expect(seen.peak).toBe(2);
    expect(seen.calls).toBe(burst.length + 10);
    expect(bus.deadLetters).toEqual([]);
  });

  it('a queue without a limit (the webhook queue, as in AWS) takes the whole burst at once', async () => {
    const { consumer, seen } = countingConsumer();
    const bus = new LocalEventBus([
      { name: 'webhooks', matches: () => true, consumer, maxReceiveCount: 3, backoffBaseMs: 1 },
    ]);
    await bus.publish(burst);
    await bus.idle();
    expect(seen.peak).toBe(burst.length);
  });
});
