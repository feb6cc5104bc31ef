import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { eventBridgeSink } from '../../functions/events/event-bridge-sink.ts';
import { AWS_CALL_LIMITS, boundedAwsClientConfig } from '../../functions/runtime/aws-call-limits.ts';
import type { Environment } from '../../functions/runtime/environment.ts';
import { replayUndeliveredEvents, startRedrive, type RedriveQueue } from './queues.ts';

export interface QueueCommand {
  command: 'redrive' | 'replay-events';
  queue?: RedriveQueue;
  deadLetterArn?: string;
  queueUrl?: string;
  eventBus?: string;
}

export type QueueCommandOutcome = { ok: true; printed: Record<string, unknown> } | { ok: false; message: string };

/** What `npm start` listens on, where its dead letters and undelivered events live (infra/local/local-admin.ts). */
const localServer = (env: Environment) => env.LOCAL_API_URL ?? `http://localhost:${env.PORT ?? 3000}`;

/** POSTs `action` to the running `npm start` (infra/local/local-admin.ts): its JSON answer, or why there is none. */
export const onLocalServer = async (
  env: Environment,
  action: string,
  params: Record<string, string> = {},
): Promise<QueueCommandOutcome> => {
  const query = new URLSearchParams(params).toString();
  const url = `${localServer(env)}/local/${action}${query ? `?${query}` : ''}`;
  const answer = await fetch(url, { method: 'POST' }).catch(() => undefined);
  if (!answer)
    return { ok: false, message: `No npm start answering at ${localServer(env)} (set PORT or LOCAL_API_URL)` };
  if (!answer.ok)
    return { ok: false, message: `npm start at ${localServer(env)} could not ${action}: ${answer.status}` };
  return { ok: true, printed: (await answer.json()) as Record<string, unknown> };
};

/**
 * The functions' call limits, with more time for an answer: a receive long-polls for up to 1 s (queues.ts), and
 * this command runs from wherever the operator is, not beside the queue.
 */
export const adminClientConfig = () => boundedAwsClientConfig({}, { ...AWS_CALL_LIMITS, requestTimeoutMs: 5_000 });

const replayInAws = async (queueUrl: string, eventBus: string): Promise<QueueCommandOutcome> => {
  const counts = await replayUndeliveredEvents(
    new SQSClient(adminClientConfig()),
    queueUrl,
    eventBridgeSink(new EventBridgeClient(adminClientConfig()), eventBus),
  );
  return {
    ok: true,
    printed: { Replayed: counts.replayed, Duplicates: counts.duplicates, Unreadable: counts.unreadable },
  };
};

/**
 * In AWS (an ARN or queue URL given): `redrive --queue webhooks|notifications|signed-documents --dead-letter-arn
 * <ARN>` starts
 * SQS's move of the dead letters back to their queue; `replay-events --queue-url <URL> --event-bus <name>` (or
 * `redrive --queue events` with the same) publishes the kept undelivered events. Without them: the same on the
 * running `npm start`.
 */
export const runQueueCommand = async (env: Environment, args: QueueCommand): Promise<QueueCommandOutcome> => {
  const replay = args.command === 'replay-events' || args.queue === 'events';
  if (replay) {
    const queueUrl = args.queueUrl ?? env.UNDELIVERED_EVENTS_QUEUE_URL;
    const eventBus = args.eventBus ?? env.EVENT_BUS_NAME;
    if (!queueUrl && !eventBus) return onLocalServer(env, 'replay-events');
    if (!queueUrl || !eventBus)
      return { ok: false, message: 'In AWS, replaying needs both --queue-url and --event-bus (stack outputs)' };
    return replayInAws(queueUrl, eventBus);
  }
  if (!args.deadLetterArn) return onLocalServer(env, 'redrive', args.queue ? { queue: args.queue } : {});
  const taskHandle = await startRedrive(new SQSClient(adminClientConfig()), args.deadLetterArn);
  return { ok: true, printed: { MoveTaskStarted: true, TaskHandle: taskHandle } };
};
