import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DomainEvent } from '../../functions/core/events.ts';
import { asDeliveredEvent } from '../../functions/events/event-bridge.ts';
import type { EventSink } from '../../functions/events/sink.ts';
import { localLambdaContext } from './lambda-context.ts';
import { sqsRecord } from './sqs-record.ts';

/** A function that consumes an SQS queue, as the webhook deliverer and the notifier do in AWS. */
export type QueueConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface Subscription {
  name: string;
  /** The rule: which events reach this consumer. */
  matches: (event: DomainEvent) => boolean;
  consumer: QueueConsumer;
  /** Deliveries in all, the first included, before the message is parked as a dead letter (SQS maxReceiveCount). */
  maxReceiveCount: number;
  /** Wait before the n-th retry: base * 2^(n-1), as a growing visibility timeout would give. */
  backoffBaseMs: number;
}

export interface DeadLetter {
  subscription: string;
  event: DomainEvent;
  attempts: number;
}

/**
 * The local stand-in for EventBridge rules -> SQS queues -> consumer functions: each event that matches a
 * subscription is handed to its consumer as the SQS batch AWS would deliver, redelivered with backoff while the
 * consumer reports it failed, and parked as a dead letter after the last try. Publishing never waits for
 * delivery, as a write never waits for its stream: a slow or failing receiver cannot hold up a recall.
 */
export class LocalEventBus implements EventSink {
  readonly published: DomainEvent[] = [];
  readonly deadLetters: DeadLetter[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly subscriptions: readonly Subscription[],
    private readonly onDeadLetter: (letter: DeadLetter) => void = () => undefined,
  ) {}

  publish(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      this.published.push(event);
      for (const subscription of this.subscriptions.filter((candidate) => candidate.matches(event))) {
        const delivery = this.deliver(subscription, event).finally(() => this.inFlight.delete(delivery));
        this.inFlight.add(delivery);
      }
    }
    return Promise.resolve();
  }

  /** Resolves once every delivery under way, retries included, has ended. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async deliver(subscription: Subscription, event: DomainEvent): Promise<void> {
    const messageId = randomUUID();
    const body = JSON.stringify(asDeliveredEvent(event));
    for (let receiveCount = 1; receiveCount <= subscription.maxReceiveCount; receiveCount++) {
      if (receiveCount > 1) await sleep(subscription.backoffBaseMs * 2 ** (receiveCount - 2));
      const batch: SQSEvent = {
        Records: [sqsRecord(messageId, body, { receiveCount, queueName: subscription.name })],
      };
      const delivered = await subscription
        .consumer(batch, localLambdaContext(subscription.name))
        .then((answer) => !answer.batchItemFailures.some((failure) => failure.itemIdentifier === messageId))
        .catch(() => false);
      if (delivered) return;
    }
    const letter = { subscription: subscription.name, event, attempts: subscription.maxReceiveCount };
    this.deadLetters.push(letter);
    this.onDeadLetter(letter);
  }
}
