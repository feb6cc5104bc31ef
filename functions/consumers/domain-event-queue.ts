import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DomainEvent } from '../core/events.ts';
import { domainEventFromDelivered } from '../events/event-bridge.ts';
import type { Handled, HandleDomainEvent, MessageVisibility } from '../workflows/queue-ports.ts';

/** A function fed by an SQS queue that an EventBridge rule fills with domain events. */
export type DomainEventQueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface QueueConsumerOptions {
  /**
   * The longest one message may take. Unset: what the invocation has left, less DEADLINE_MARGIN_MS. Every
   * message of a batch gets its own deadline, so one slow receiver fails only its own message.
   */
  handlingBudgetMs?: number;
  /** After a failure, how long the queue holds the message back (exponential backoff over a plain queue). */
  backoff?: { visibility: MessageVisibility; delaySeconds: (attempt: number) => number };
}

/**
 * Time kept back from the invocation's deadline: to report the batch and change the failed messages'
 * visibility before Lambda stops the function (a timed-out invocation would have the whole batch retried).
 */
export const DEADLINE_MARGIN_MS = 3_000;

const attemptOf = (record: SQSRecord): number => Number(record.attributes.ApproximateReceiveCount) || 1;

/** Resolves `retry` at the deadline, unless cancelled first: a hung host or look-up cannot outlast it. */
const retryAt = (deadline: number, signal: AbortSignal): Promise<Handled> =>
  sleep(Math.max(0, deadline - Date.now()), 'retry' as const, { signal }).catch(() => 'retry' as const);

/**
 * (primary adapter) SQS batch -> one domain event per message -> `handle`, all messages at once, each against
 * its own deadline, so a batch of slow receivers still fits in one invocation and a hung one fails only its own
 * message. Each message that fails (a `retry`, a throw, the deadline, or a body that is not an esign-recall
 * event) is reported alone in batchItemFailures (ReportBatchItemFailures), so the others are not redelivered
 * with it; with `backoff`, it is also held back for the schedule's delay before its next delivery.
 */
export const domainEventQueueHandler =
  (handle: HandleDomainEvent, logger: Logger, options: QueueConsumerOptions = {}): DomainEventQueueHandler =>
  async (event, lambdaContext) => {
    const budgetMs = options.handlingBudgetMs ?? lambdaContext.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
    const deadline = Date.now() + Math.max(0, budgetMs);
    const outcomes = await Promise.all(
      event.Records.map(async (record): Promise<Handled> => {
        const context = { attempt: attemptOf(record), messageId: record.messageId, deadline };
        let domainEvent: DomainEvent;
        try {
          domainEvent = domainEventFromDelivered(record.body);
        } catch (error) {
          logger.error('unreadable message: not an esign-recall domain event', { ...context, error });
          return 'retry';
        }
        const timer = new AbortController();
        try {
          const handled = handle(domainEvent, context).catch((error: unknown) => {
            logger.error('handling failed', { ...context, eventId: domainEvent.eventId, error });
            return 'retry' as const;
          });
          const outcome = await Promise.race([handled, retryAt(deadline, timer.signal).then(() => 'late' as const)]);
          if (outcome !== 'late') return outcome;
          logger.warn('handling did not finish in time, will retry', { ...context, eventId: domainEvent.eventId });
          return 'retry';
        } finally {
          timer.abort();
        }
      }),
    );
    const failed = event.Records.filter((_, index) => outcomes[index] === 'retry');
    if (options.backoff) await holdBack(failed, options.backoff, logger);
    return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
  };

/** A failed hold-back is no reason to fail more: the message then comes back after the queue's own timeout. */
const holdBack = async (records: SQSRecord[], backoff: NonNullable<QueueConsumerOptions['backoff']>, logger: Logger) =>
  Promise.all(
    records.map(async (record) => {
      const attempt = attemptOf(record);
      const seconds = backoff.delaySeconds(attempt);
      await backoff.visibility.holdBack(record.receiptHandle, seconds).catch((error: unknown) => {
        logger.warn('could not hold the message back: it returns after the queue visibility timeout', {
          messageId: record.messageId,
          attempt,
          error,
        });
      });
    }),
  );
