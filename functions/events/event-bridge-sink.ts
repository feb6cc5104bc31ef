import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from '../core/events.ts';
import { toPutEventsEntry } from './event-bridge.ts';
import type { EventSink } from './sink.ts';

/** PutEvents takes at most 10 entries a call. */
const PUT_EVENTS_LIMIT = 10;

/**
 * Publishes to an EventBridge bus. A partly failed PutEvents throws, so the stream record is retried; the
 * events that did go out go out again, which is why every event carries a stable `eventId` to dedupe on.
 */
export const eventBridgeSink = (client: EventBridgeClient, eventBusName: string): EventSink => ({
  publish: async (events: readonly DomainEvent[]) => {
    for (let start = 0; start < events.length; start += PUT_EVENTS_LIMIT) {
      const entries = events
        .slice(start, start + PUT_EVENTS_LIMIT)
        .map((event) => toPutEventsEntry(event, eventBusName));
      const { FailedEntryCount = 0, Entries = [] } = await client.send(new PutEventsCommand({ Entries: entries }));
      if (FailedEntryCount > 0) {
        const codes = Entries.map((entry) => entry.ErrorCode).filter(Boolean);
        throw new Error(`EventBridge refused ${FailedEntryCount} of ${entries.length} events: ${codes.join(', ')}`);
      }
    }
  },
});
