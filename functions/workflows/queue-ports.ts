import type { DomainEvent } from '../core/events.ts';

/**
 * The ports of the workflows a queue feeds (send-mail.ts, deliver-webhook.ts): defined here, beside the workflows
 * that need them, and implemented by functions/consumers/ (the SQS consumer, SQS's visibility) and the local bus.
 */

/** `done`: take it off the queue. `retry`: leave it for SQS to redeliver, and to park in the DLQ after the last try. */
export type Handled = 'done' | 'retry';

export interface HandlingContext {
  /** 1 on the first delivery: SQS's ApproximateReceiveCount. */
  attempt: number;
  messageId: string;
  /** Epoch ms by which this message must be handled; past it, the message is reported failed and retried. */
  deadline: number;
}

/** (primary port) What a queue consumer calls with each domain event it receives. */
export type HandleDomainEvent = (event: DomainEvent, context: HandlingContext) => Promise<Handled>;

/**
 * (secondary port) Holds a message back before its next delivery: SQS ChangeMessageVisibility in AWS
 * (consumers/sqs-visibility.ts), the local bus's own record of the delay locally (infra/local/event-bus.ts). A
 * consumer that asks for a longer wait after each failure gets exponential backoff from a plain SQS queue.
 */
export interface MessageVisibility {
  holdBack(receiptHandle: string, seconds: number): Promise<void>;
}

/** SQS refuses a visibility timeout above 12 hours. */
export const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
