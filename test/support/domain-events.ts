import { eventsOfChange, type DomainEvent, type DomainEventType } from '../../functions/core/events.ts';
import { signRequests } from './dependencies.ts';

/**
 * The events a request's writes so far produced, as the stream publisher derives them: every history entry of
 * the stored item, from the first. Lets these tests feed consumers real events without the publisher.
 */
export const storedEventsOf = async (signRequestId: string): Promise<DomainEvent[]> => {
  const request = await signRequests.get(signRequestId);
  if (!request) throw new Error(`no request ${signRequestId}`);
  return eventsOfChange(undefined, request);
};

export const storedEventOf = async <T extends DomainEventType>(
  signRequestId: string,
  type: T,
): Promise<Extract<DomainEvent, { type: T }>> => {
  const event = (await storedEventsOf(signRequestId)).find((candidate) => candidate.type === type);
  if (!event) throw new Error(`no ${type} event for ${signRequestId}`);
  return event as Extract<DomainEvent, { type: T }>;
};
