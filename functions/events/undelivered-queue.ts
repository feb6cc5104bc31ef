import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DomainEvent } from '../core/events.ts';
import type { UndeliveredEvents } from './undelivered.ts';

/** SendMessageBatch takes at most 10 entries a call. */
const SEND_BATCH_LIMIT = 10;

/** The undelivered-events queue in AWS: one message per event, its body the event's JSON (as the bus's `detail`). */
export const undeliveredEventsQueue = (client: SQSClient, queueUrl: string): UndeliveredEvents => ({
  keep: async (events) => {
    for (let start = 0; start < events.length; start += SEND_BATCH_LIMIT) {
      const batch = events.slice(start, start + SEND_BATCH_LIMIT);
      const { Failed = [] } = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((event: DomainEvent, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(event),
            MessageAttributes: { eventId: { DataType: 'String', StringValue: event.eventId } },
          })),
        }),
      );
      if (Failed.length > 0)
        throw new Error(
          `SQS refused ${Failed.length} of ${batch.length} undelivered events: ${Failed.map((f) => f.Code).join(', ')}`,
        );
    }
  },
});
