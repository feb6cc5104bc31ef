import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBRecord } from 'aws-lambda';
import type { EventSink } from '../events/sink.ts';
import { eventsOfStreamRecord } from '../events/stream-records.ts';

export interface PublishDependencies {
  sink: EventSink;
  logger: Logger;
}

/**
 * Stream records -> domain events -> the bus. Events come from the table, not from the HTTP functions, so no
 * write can happen without its event and no event without its write (no dual writes). Records go in order; at
 * the first failure the rest are left for the retry, which Lambda resumes from that record's sequence number, so
 * later changes never overtake earlier ones. Answers the sequence number to resume from, if any.
 */
export const publishStreamRecords = async (
  deps: PublishDependencies,
  records: readonly DynamoDBRecord[],
): Promise<{ resumeFrom?: string }> => {
  for (const record of records) {
    try {
      const events = eventsOfStreamRecord(record);
      if (events.length > 0) await deps.sink.publish(events);
      for (const published of events) {
        deps.logger.info('event published', {
          eventId: published.eventId,
          type: published.type,
          appId: published.appId,
        });
      }
    } catch (error) {
      deps.logger.error('could not publish a stream record', {
        sequenceNumber: record.dynamodb?.SequenceNumber,
        error,
      });
      return { resumeFrom: record.dynamodb?.SequenceNumber ?? '' };
    }
  }
  return {};
};
