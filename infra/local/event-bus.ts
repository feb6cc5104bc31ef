import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { MessageVisibility } from '../../functions/workflows/queue-ports.ts';
import type { DomainEvent } from '../../functions/core/events.ts';
import { asDeliveredEvent } from '../../functions/events/event-bridge.ts';
import type { EventSink } from '../../functions/events/sink.ts';
import { localLambdaContext } from './lambda-context.ts';
import { sqsRecord } from './sqs-record.ts';

/** A function that consumes an SQS queue, as the webhook deliverer and the mailer do in AWS. */
export type QueueConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * The local queue's side of ChangeMessageVisibility: a consumer built with it (as the deliverer is in AWS with
 * SQS's) says how long to hold a failed message back, and the bus waits that long, on its own time scale.
 */
export class LocalQueueVisibility implements MessageVisibility {
  private readonly requested = new Map<string, number>();

  holdBack(receiptHandle: string, seconds: number): Promise<void> {
    this.requested.set(receiptHandle, seconds);
    return Promise.resolve();
  }

  /** The hold-back asked for this receipt, once. */
  take(receiptHandle: string): number | undefined {
    const seconds = this.requested.get(receiptHandle);
    this.requested.delete(receiptHandle);
    return seconds;
  }
}

export interface Subscription {
  name: string;
  /** The rule: which events reach this consumer. */
  matches: (event: DomainEvent) => boolean;
  consumer: QueueConsumer;
  /** Deliveries in all, the first included, before the message is parked as a dead letter (SQS maxReceiveCount). */
  maxReceiveCount: number;
  /** Wait before the n-th retry when the consumer asked for no hold-back: base * 2^(n-1). */
  backoffBaseMs: number;
  /** Where the consumer asks for its hold-backs, when it does (the webhook deliverer's backoff schedule). */
  visibility?: LocalQueueVisibility;
  /**
   * The most consumer invocations under way at once, as the SQS event source's maximum concurrency bounds the
   * deployed function (the mailer's is MAILER_MAX_CONCURRENCY, which the CDK queue reads too); unbounded when
   * unset, as the webhook queue is. Messages beyond it wait their turn, uncounted, as they wait in a queue.
   */
  maxConcurrency?: number;
}

export interface DeadLetter {
  subscription: string;
  event: DomainEvent;
  attempts: number;
}

export interface LocalEventBusOptions {
  onDeadLetter?: (letter: DeadLetter) => void;
  /**
   * How many real milliseconds one second of a requested hold-back lasts here: 1000 keeps AWS's schedule,
   * less compresses it (npm start runs a minute in a second), so the same schedule is followed, faster.
   */
  msPerSecond?: number;
  /** Waits between tries; a test passes one that records instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The local stand-in for EventBridge rules -> SQS queues -> consumer functions: each event that matches a
 * subscription is handed to its consumer as the SQS batch AWS would deliver, redelivered after the hold-back the
 * consumer asked for (or a default backoff) while the consumer reports it failed, and parked as a dead letter
 * after the last try, in this process's memory, from where `redrive` delivers it again. Publishing never waits
 * for delivery, as a write never waits for its stream: a slow or failing receiver cannot hold up a recall.
 */
export class LocalEventBus implements EventSink {
  readonly published: DomainEvent[] = [];
  readonly deadLetters: DeadLetter[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Consumer invocations under way (not the waits between tries): what a shutdown must let finish. */
  private readonly invoking = new Set<Promise<unknown>>();
  private stopped = false;
  /** Per subscription with a maximum concurrency: invocations under way, and the deliveries waiting for a place. */
  private readonly places = new Map<string, { running: number; waiting: (() => void)[] }>();
  private readonly onDeadLetter: (letter: DeadLetter) => void;
  private readonly msPerSecond: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly subscriptions: readonly Subscription[],
    options: LocalEventBusOptions = {},
  ) {
    this.onDeadLetter = options.onDeadLetter ?? (() => undefined);
    this.msPerSecond = options.msPerSecond ?? 1000;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
  }

  publish(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      this.published.push(event);
      for (const subscription of this.subscriptions.filter((candidate) => candidate.matches(event))) {
        this.start(subscription, event);
      }
    }
    return Promise.resolve();
  }

  /**
   * SQS's redrive, here: every dead letter of the subscription (all of them when unnamed) is delivered again
   * as a new message, from its first try. Answers how many were moved.
   */
  redrive(subscriptionName?: string): number {
    const moving = this.deadLetters.filter((letter) => !subscriptionName || letter.subscription === subscriptionName);
    for (const letter of moving) {
      this.deadLetters.splice(this.deadLetters.indexOf(letter), 1);
      const subscription = this.subscriptions.find((candidate) => candidate.name === letter.subscription);
      if (subscription) this.start(subscription, letter.event);
    }
    return moving.length;
  }

  /**
   * Starts no further delivery or retry, and resolves once the consumer invocations under way have ended, so
   * that `npm start` closes its store only after them (retries still waiting are dropped with the process).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.invoking]);
  }

  /** Resolves once every delivery under way, retries included, has ended. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private start(subscription: Subscription, event: DomainEvent): void {
    const delivery = this.deliver(subscription, event).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  private async deliver(subscription: Subscription, event: DomainEvent): Promise<void> {
    const messageId = randomUUID();
    const body = JSON.stringify(asDeliveredEvent(event));
    let waitMs = 0;
    for (let receiveCount = 1; receiveCount <= subscription.maxReceiveCount; receiveCount++) {
      if (receiveCount > 1) await this.sleep(waitMs);
      if (this.stopped) return;
      const record = sqsRecord(messageId, body, { receiveCount, queueName: subscription.name });
      await this.placeFor(subscription);
      if (this.stopped) {
        this.freePlace(subscription);
        return;
      }
      const invocation = subscription
        .consumer({ Records: [record] }, localLambdaContext(subscription.name))
        .then((answer) => !answer.batchItemFailures.some((failure) => failure.itemIdentifier === messageId))
        .catch(() => false);
      this.invoking.add(invocation);
      const delivered = await invocation.finally(() => {
        this.invoking.delete(invocation);
        this.freePlace(subscription);
      });
      if (delivered) return;
      const heldBackSeconds = subscription.visibility?.take(record.receiptHandle);
      waitMs =
        heldBackSeconds === undefined
          ? subscription.backoffBaseMs * 2 ** (receiveCount - 1)
          : heldBackSeconds * this.msPerSecond;
    }
    const letter = { subscription: subscription.name, event, attempts: subscription.maxReceiveCount };
    this.deadLetters.push(letter);
    this.onDeadLetter(letter);
  }

  /** Resolves once the subscription may start one more invocation (at once when it has no maximum). */
  private placeFor(subscription: Subscription): Promise<void> {
    if (subscription.maxConcurrency === undefined) return Promise.resolve();
    let places = this.places.get(subscription.name);
    if (!places) this.places.set(subscription.name, (places = { running: 0, waiting: [] }));
    if (places.running < subscription.maxConcurrency) {
      places.running++;
      return Promise.resolve();
    }
    const queue = places.waiting;
    // The place is handed over by freePlace, still counted as running, so no newcomer can take it first.
    return new Promise((resolve) => queue.push(resolve));
  }

  private freePlace(subscription: Subscription): void {
    const places = this.places.get(subscription.name);
    if (!places) return;
    const next = places.waiting.shift();
    if (next) next();
    else places.running--;
  }
}
