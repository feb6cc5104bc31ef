import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventBridgeSink } from '../events/event-bridge-sink.ts';
import type { EventSink } from '../events/sink.ts';
import { eventsOfStreamRecord } from '../events/stream-records.ts';
import { logger } from '../logger.ts';

/**
 * (primary adapter) DynamoDB stream -> domain events -> the bus. Events come from the table, not from the
 * handlers, so no write can happen without its event and no event without its write (no dual writes).
 *
 * Records are handled in order; at the first failure the rest of the batch is left for the retry, since
 * Lambda resumes a stream from the lowest failed sequence number: later changes never overtake earlier ones.
 */
export const createPublisher =
  (sink: EventSink) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      try {
        const events = eventsOfStreamRecord(record);
        if (events.length > 0) await sink.publish(events);
        for (const published of events) {
          logger.info('event published', { eventId: published.eventId, type: published.type, appId: published.appId });
        }
      } catch (error) {
        logger.error('could not publish a stream record', { sequenceNumber: record.dynamodb?.SequenceNumber, error });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };

const eventBusName = process.env.EVENT_BUS_NAME;
// Fail the cold start, not every record, when deployed without its bus. Locally the module is only imported
// for createPublisher, with the in-process bus as the sink.
if (!eventBusName && process.env.AWS_LAMBDA_FUNCTION_NAME) throw new Error('Invalid configuration: EVENT_BUS_NAME');

/** In AWS: publishes to the bus CDK names in EVENT_BUS_NAME. */
export const handler = createPublisher(eventBridgeSink(new EventBridgeClient({}), eventBusName ?? ''));
