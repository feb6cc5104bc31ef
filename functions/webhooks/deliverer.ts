import { MAX_VISIBILITY_SECONDS } from '../workflows/queue-ports.ts';

/**
 * Tries in all, the first included, before an event is parked as a dead letter. With the backoff below, 12
 * tries span about 29 hours (WEBHOOK_RETRY_SCHEDULE_SECONDS), so a receiver that is down for a day still gets
 * every event. The SQS queue in AWS and the local bus both read it, so they cannot drift.
 * (The delivery itself is functions/workflows/deliver-webhook.ts.)
 */
export const WEBHOOK_MAX_RECEIVE_COUNT = 12;

/** The first retry waits this long; each later one twice as long as the one before. */
const FIRST_RETRY_SECONDS = 60;

/**
 * How long the queue holds an event back after its `attempt`-th failed try: 1, 2, 4 … 512 minutes, then 12 hours
 * (SQS's largest visibility timeout). After the last try, nothing: SQS moves it to the DLQ on its next receive.
 */
export const webhookRetryDelaySeconds = (attempt: number): number =>
  attempt >= WEBHOOK_MAX_RECEIVE_COUNT
    ? 0
    : Math.min(MAX_VISIBILITY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (Math.max(1, attempt) - 1));

/** The waits between the tries, in order: what docs/events-and-webhooks.md states. */
export const WEBHOOK_RETRY_SCHEDULE_SECONDS: readonly number[] = Array.from(
  { length: WEBHOOK_MAX_RECEIVE_COUNT - 1 },
  (_, index) => webhookRetryDelaySeconds(index + 1),
);
