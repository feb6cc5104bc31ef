import type { DomainEvent } from '../core/events.ts';

/**
 * (secondary port) Where the publisher keeps the full content of events it could not publish, so that none is
 * lost when the stream's 24 hours run out: an SQS queue kept 14 days in AWS (undelivered-queue.ts), a list in
 * the process locally. `npm run app -- replay-events` publishes them again. Throws if they were not kept.
 */
export interface UndeliveredEvents {
  keep(events: readonly DomainEvent[]): Promise<void>;
}
