import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DomainEvent } from '../../functions/core/events.ts';
import type { EventSink } from '../../functions/events/sink.ts';

type Sqs = Pick<SQSClient, 'send'>;

/** The queues `npm run app -- redrive --queue` names. `events`: the undelivered events, replayed to the bus. */
export const REDRIVE_QUEUES = ['webhooks', 'notifications', 'signed-documents', 'events'] as const;
export type RedriveQueue = (typeof REDRIVE_QUEUES)[number];

/**
 * SQS's own redrive: moves every message of the dead-letter queue back to the queue it came from (the source
 * queue whose redrive policy names it), at SQS's pace. Answers the move task's handle (to watch or cancel it).
 */
export const startRedrive = async (sqs: Sqs, deadLetterQueueArn: string): Promise<string | undefined> => {
  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetterQueueArn }));
  return TaskHandle;
};

export interface ReplayCounts {
  replayed: number;
  duplicates: number;
  unreadable: number;
}

/** Receives wait this long for messages: a long poll asks every SQS server, so an empty answer means empty. */
const WAIT_SECONDS = 1;
/** A received message stays hidden this long; if its event was not published by then, it is received again. */
const HIDDEN_SECONDS = 120;

/**
 * The undelivered-events queue -> the bus: receives every kept event, publishes each eventId once, and deletes
 * the messages only once the bus took their event, so a refusal leaves them for the next run. A message that is
 * not an event is left in the queue (and counted) for an operator to look at. Stops when the queue is empty.
 */
export const replayUndeliveredEvents = async (sqs: Sqs, queueUrl: string, sink: EventSink): Promise<ReplayCounts> => {
  const counts: ReplayCounts = { replayed: 0, duplicates: 0, unreadable: 0 };
  const published = new Set<string>();
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: WAIT_SECONDS,
        VisibilityTimeout: HIDDEN_SECONDS,
      }),
    );
    if (Messages.length === 0) return counts;
    const done: { Id: string; ReceiptHandle: string }[] = [];
    const fresh = new Map<string, DomainEvent>();
    for (const [index, message] of Messages.entries()) {
      const parsed = DomainEvent.safeParse(safeJson(message.Body));
      if (!parsed.success || !message.ReceiptHandle) {
        counts.unreadable++;
        continue;
      }
      if (published.has(parsed.data.eventId) || fresh.has(parsed.data.eventId)) counts.duplicates++;
      else fresh.set(parsed.data.eventId, parsed.data);
      done.push({ Id: String(index), ReceiptHandle: message.ReceiptHandle });
    }
    if (fresh.size > 0) await sink.publish([...fresh.values()]);
    for (const eventId of fresh.keys()) published.add(eventId);
    counts.replayed += fresh.size;
    if (done.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done }));
    // Unreadable messages stay hidden for HIDDEN_SECONDS, so the loop ends once only they are left.
  }
};

const safeJson = (body: string | undefined): unknown => {
  try {
    return JSON.parse(body ?? '');
  } catch {
    return undefined;
  }
};
