import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { sqsVisibility } from '../../functions/consumers/sqs-visibility.ts';
import type { DomainEvent } from '../../functions/core/events.ts';
import { undeliveredEventsQueue } from '../../functions/events/undelivered-queue.ts';
import { replayUndeliveredEvents, startRedrive } from '../../infra/admin/queues.ts';
import { sampleCreatedEvent } from '../support/sample-event.ts';

/**
 * The SQS calls these adapters make, against a stand-in for the client's `send` (no SQS runs here): what is
 * asserted is the request each builds and how each reads the answer.
 */
type Sent = { name: string; input: Record<string, unknown> };
const stubSqs = (answer: (command: { input: unknown }) => unknown) => {
  const sent: Sent[] = [];
  const client = {
    send: (command: { input: unknown; constructor: { name: string } }) => {
      sent.push({ name: command.constructor.name, input: command.input as Record<string, unknown> });
      return Promise.resolve(answer(command));
    },
  } as unknown as SQSClient;
  return { client, sent };
};

const event = sampleCreatedEvent;

describe('sqsVisibility (the deliverer’s backoff)', () => {
  it('changes the message’s visibility on its queue, within SQS’s 0 to 12 hours', async () => {
    const { client, sent } = stubSqs(() => ({}));
    const visibility = sqsVisibility(client, 'https://sqs.eu-west-1.amazonaws.com/1/webhooks');
    await visibility.holdBack('receipt-1', 120);
    await visibility.holdBack('receipt-2', 99_999);
    expect(sent).toEqual([
      {
        name: ChangeMessageVisibilityCommand.name,
        input: {
          QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/webhooks',
          ReceiptHandle: 'receipt-1',
          VisibilityTimeout: 120,
        },
      },
      {
        name: ChangeMessageVisibilityCommand.name,
        input: {
          QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/webhooks',
          ReceiptHandle: 'receipt-2',
          VisibilityTimeout: 43_200,
        },
      },
    ]);
  });
});

describe('undeliveredEventsQueue (the publisher’s keep)', () => {
  it('sends each event whole, in batches of 10, with its eventId', async () => {
    const { client, sent } = stubSqs(() => ({ Failed: [] }));
    const events = Array.from({ length: 12 }, (_, index) => event(`SR${index}.0`));
    await undeliveredEventsQueue(client, 'https://queue').keep(events);
    expect(sent.map((call) => call.name)).toEqual([SendMessageBatchCommand.name, SendMessageBatchCommand.name]);
    const entries = sent.flatMap((call) => call.input.Entries as { MessageBody: string; MessageAttributes: unknown }[]);
    expect(entries.map((entry) => JSON.parse(entry.MessageBody) as DomainEvent)).toEqual(events);
    expect(entries[0]!.MessageAttributes).toEqual({ eventId: { DataType: 'String', StringValue: 'SR0.0' } });
  });

  it('throws when SQS refuses any of them, so the publisher logs that they were not kept', async () => {
    const { client } = stubSqs(() => ({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] }));
    await expect(undeliveredEventsQueue(client, 'https://queue').keep([event('SR1.0')])).rejects.toThrow(
      'SQS refused 1 of 1',
    );
  });
});

describe('the operator commands in AWS', () => {
  it('redrive starts SQS’s own move task from the dead-letter queue back to its source queue', async () => {
    const { client, sent } = stubSqs(() => ({ TaskHandle: 'task-1' }));
    const arn = 'arn:aws:sqs:eu-west-1:123456789012:webhooks-dlq';
    expect(await startRedrive(client, arn)).toBe('task-1');
    expect(sent).toEqual([{ name: StartMessageMoveTaskCommand.name, input: { SourceArn: arn } }]);
  });

  it('replay publishes each kept event once, deletes what the bus took, and leaves what is unreadable', async () => {
    const pages = [
      [
        { Body: JSON.stringify(event('SR1.0')), ReceiptHandle: 'r1' },
        { Body: JSON.stringify(event('SR1.0')), ReceiptHandle: 'r2' },
        { Body: 'not an event', ReceiptHandle: 'r3' },
      ],
      [
        { Body: JSON.stringify(event('SR1.0')), ReceiptHandle: 'r4' },
        { Body: JSON.stringify(event('SR2.0')), ReceiptHandle: 'r5' },
      ],
      [],
    ];
    const { client, sent } = stubSqs((command) =>
      command instanceof ReceiveMessageCommand ? { Messages: pages.shift() } : {},
    );
    const published: DomainEvent[] = [];
    const counts = await replayUndeliveredEvents(client, 'https://queue', {
      publish: (events) => (published.push(...events), Promise.resolve()),
    });
    expect(counts).toEqual({ replayed: 2, duplicates: 2, unreadable: 1 });
    expect(published.map((published) => published.eventId)).toEqual(['SR1.0', 'SR2.0']);
    const deleted = sent
      .filter((call) => call.name === DeleteMessageBatchCommand.name)
      .flatMap((call) => (call.input.Entries as { ReceiptHandle: string }[]).map((entry) => entry.ReceiptHandle));
    expect(deleted).toEqual(['r1', 'r2', 'r4', 'r5']);
  });

  it('replay deletes nothing the bus refused', async () => {
    const { client, sent } = stubSqs((command) =>
      command instanceof ReceiveMessageCommand
        ? { Messages: [{ Body: JSON.stringify(event('SR1.0')), ReceiptHandle: 'r1' }] }
        : {},
    );
    await expect(
      replayUndeliveredEvents(client, 'https://queue', { publish: () => Promise.reject(new Error('bus down')) }),
    ).rejects.toThrow('bus down');
    expect(sent.map((call) => call.name)).toEqual([ReceiveMessageCommand.name]);
  });
});
