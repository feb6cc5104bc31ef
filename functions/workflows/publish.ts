import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBRecord } from 'aws-lambda';
import type { DomainEvent } from '../core/events.ts';
import type { EventSink } from '../events/sink.ts';
import { eventsOfStreamRecord } from '../events/stream-records.ts';
import type { UndeliveredEvents } from '../events/undelivered.ts';

export interface PublishDependencies {
  sink: EventSink;
  /** Where the events of a record that could not be published are kept for replay. */
  undelivered: UndeliveredEvents;
  logger: Logger;
}

/**
 * Stream records -> domain events -> the bus. Events come from the table, not from the HTTP functions, so no
 * write can happen without its event and no event without its write (no dual writes). Records go in order; at
 * the first failure the rest are left for the retry, which Lambda resumes from that record's sequence number, so
 * later changes never overtake earlier ones. Answers the sequence number to resume from, if any.
 *
 * Before reporting a failure, the record's events are kept whole (with their stable eventIds) where a command can
 * replay them, since after the last retry the stream's dead-letter queue holds only the record's location, and
 * the stream forgets the record after 24 hours. Should a later retry publish them after all, a replay makes a
 * duplicate, which consumers drop by eventId: delivery is at least once.
 */
export const publishStreamRecords = async (
  deps: PublishDependencies,
  records: readonly DynamoDBRecord[],
): Promise<{ resumeFrom?: string }> => {
  for (const record of records) {
    let events: DomainEvent[] = [];
    try {
      events = eventsOfStreamRecord(record);
      if (events.length > 0) await deps.sink.publish(events);
      for (const published of events) {
        deps.logger.info('event published', {
          eventId: published.eventId,
          type: published.type,
          appId: published.appId,
        });
      }
    } catch (error) {
      const kept = await keepUndelivered(deps, events, record);
      deps.logger.error('could not publish a stream record', {
        sequenceNumber: record.dynamodb?.SequenceNumber,
        eventIds: events.map((event) => event.eventId),
        keptForReplay: kept,
        error,
      });
      return { resumeFrom: record.dynamodb?.SequenceNumber ?? '' };
    }
  }
  return {};
};

/** True once the events are kept; a failure to keep them is logged and left to the stream's retry. */
const keepUndelivered = async (
  deps: PublishDependencies,
  events: readonly DomainEvent[],
  record: DynamoDBRecord,
): Promise<boolean> => {
  if (events.length === 0) return false;
  try {
    await deps.undelivered.keep(events);
    return true;
  } catch (error) {
    deps.logger.error('could not keep undelivered events for replay', {
      sequenceNumber: record.dynamodb?.SequenceNumber,
      eventIds: events.map((event) => event.eventId),
      error,
    });
    return false;
  }
};
