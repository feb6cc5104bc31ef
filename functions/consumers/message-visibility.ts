/**
 * (secondary port) Holds a message back before its next delivery: SQS ChangeMessageVisibility in AWS
 * (sqs-visibility.ts), the local bus's own record of the delay locally (infra/local/event-bus.ts). A consumer
 * that asks for a longer wait after each failure gets exponential backoff from a plain SQS queue.
 */
export interface MessageVisibility {
  holdBack(receiptHandle: string, seconds: number): Promise<void>;
}

/** SQS refuses a visibility timeout above 12 hours. */
export const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
