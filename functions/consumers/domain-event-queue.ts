import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DomainEvent } from '../core/events.ts';
import { domainEventFromDelivered } from '../events/event-bridge.ts';

/** A function fed by an SQS queue that an EventBridge rule fills with domain events. */
export type DomainEventQueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** `done`: take it off the queue. `retry`: leave it for SQS to redeliver, and to park in the DLQ after the last try. */
export type Handled = 'done' | 'retry';

export interface HandlingContext {
  /** 1 on the first delivery: SQS's ApproximateReceiveCount. */
  attempt: number;
  messageId: string;
}

export type HandleDomainEvent = (event: DomainEvent, context: HandlingContext) => Promise<Handled>;

const attemptOf = (record: SQSRecord): number => Number(record.attributes.ApproximateReceiveCount) || 1;

/**
 * (primary adapter) SQS batch -> one domain event per message -> `handle`, all messages at once so a batch of
 * slow receivers still fits in one invocation. Each message that fails (a `retry`, a throw, or a body that is
 * not an esign-recall event) is reported alone in batchItemFailures (ReportBatchItemFailures), so the others
 * are not redelivered with it.
 */
export const domainEventQueueHandler =
  (handle: HandleDomainEvent, logger: Logger): DomainEventQueueHandler =>
  async (event) => {
    const outcomes = await Promise.all(
      event.Records.map(async (record): Promise<Handled> => {
        const context = { attempt: attemptOf(record), messageId: record.messageId };
        let domainEvent: DomainEvent;
        try {
          domainEvent = domainEventFromDelivered(record.body);
        } catch (error) {
          logger.error('unreadable message: not an esign-recall domain event', { ...context, error });
          return 'retry';
        }
        try {
          return await handle(domainEvent, context);
        } catch (error) {
          logger.error('handling failed', { ...context, eventId: domainEvent.eventId, error });
          return 'retry';
        }
      }),
    );
    return {
      batchItemFailures: event.Records.filter((_, index) => outcomes[index] === 'retry').map((record) => ({
        itemIdentifier: record.messageId,
      })),
    };
  };
