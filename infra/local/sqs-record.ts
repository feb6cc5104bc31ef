import type { SQSRecord } from 'aws-lambda';

/** An SQS message as Lambda's event source mapping hands it to a function, for local delivery and tests. */
export const sqsRecord = (
  messageId: string,
  body: string,
  options: { receiveCount?: number; queueName?: string } = {},
): SQSRecord => {
  const now = String(Date.now());
  return {
    messageId,
    receiptHandle: `${messageId}/${options.receiveCount ?? 1}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: now,
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:local:000000000000:${options.queueName ?? 'local'}`,
    awsRegion: 'local',
  };
};
