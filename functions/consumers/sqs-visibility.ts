import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_VISIBILITY_SECONDS, type MessageVisibility } from '../workflows/queue-ports.ts';

/** The queue's own ChangeMessageVisibility: the one SQS action the backoff needs (granted by the event source). */
export const sqsVisibility = (client: SQSClient, queueUrl: string): MessageVisibility => ({
  holdBack: async (receiptHandle, seconds) => {
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, Math.round(seconds))),
      }),
    );
  },
});
