import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { EventBridgeEvent } from 'aws-lambda';
import { DomainEvent, EVENT_SOURCE } from '../core/events.ts';

/** The PutEvents entry for a domain event: source `esign-recall`, detail-type the event's type. */
export const toPutEventsEntry = (event: DomainEvent, eventBusName: string): PutEventsRequestEntry => ({
  EventBusName: eventBusName,
  Source: EVENT_SOURCE,
  DetailType: event.type,
  Detail: JSON.stringify(event),
  Time: new Date(event.occurredAt),
  Resources: [],
});

/** The event as EventBridge delivers it to a target (an SQS queue's message body, a Lambda's event). */
export const asDeliveredEvent = (
  event: DomainEvent,
  region = 'us-east-1',
): EventBridgeEvent<DomainEvent['type'], DomainEvent> => ({
  version: '0',
  id: event.eventId,
  'detail-type': event.type,
  source: EVENT_SOURCE,
  account: '000000000000',
  time: event.occurredAt,
  region,
  resources: [],
  detail: event,
});

/** Reads a delivered event back (from an SQS message body), checking its detail against the schema. */
export const domainEventFromDelivered = (body: string): DomainEvent => {
  const parsed = JSON.parse(body) as { source?: unknown; detail?: unknown };
  if (parsed.source !== EVENT_SOURCE) throw new Error(`not an ${EVENT_SOURCE} event`);
  return DomainEvent.parse(parsed.detail);
};
