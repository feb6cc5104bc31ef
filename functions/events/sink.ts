import type { DomainEvent } from '../core/events.ts';

/** Where the publisher sends events: EventBridge in AWS, the in-process bus locally. Throws if any is not taken. */
export interface EventSink {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
