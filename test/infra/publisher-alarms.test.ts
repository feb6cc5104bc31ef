import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPublisher } from '../../functions/handlers/publisher.ts';
import { createLogger } from '../../functions/logger.ts';
import { signRequestKey } from '../../functions/store/keys.ts';
import { PUBLISH_FAILURE_MESSAGE } from '../../infra/constructs/publisher-alarms.ts';

/**
 * The publish-failure alarm counts log lines (a metric filter on the publisher's log group), so the line the
 * publisher writes is a contract: this runs the real publisher against a bus that refuses, and checks it
 * still writes exactly the line the filter matches ({ $.level = "ERROR" && $.message = PUBLISH_FAILURE_MESSAGE }).
 */
const written: string[] = [];
type Write = (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
const originalWrites = [process.stdout, process.stderr].map(
  (stream) => [stream, stream.write.bind(stream) as Write] as const,
);
for (const [stream, write] of originalWrites) {
  stream.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return write(chunk, ...rest);
  };
}
afterEach(() => {
  written.length = 0;
});
afterAll(() => {
  for (const [stream, write] of originalWrites) stream.write = write;
});

const logLines = () =>
  written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const createdRecord = (sequence: string) => ({
  eventName: 'INSERT' as const,
  dynamodb: {
    SequenceNumber: sequence,
    StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
    NewImage: {
      pk: { S: signRequestKey('01JABCDEFGHJKMNPQRSTVWXYZ0').pk },
      sk: { S: 'META' },
      appId: { S: '01JAPPAPPAPPAPPAPPAPPAPPAP' },
      requestNo: { S: 'KAiZEN-1' },
      status: { S: 'PENDING' },
      documentName: { S: 'Contract.pdf' },
      signerCount: { N: '1' },
      history: { L: [{ M: { at: { S: new Date().toISOString() }, event: { S: 'CREATED' } } }] },
    },
  },
});

describe('the publisher failure line the publish-failure alarm counts', () => {
  it('is written once per record the bus refused, at level ERROR, with the message the filter matches', async () => {
    const publish = createPublisher({
      sink: { publish: () => Promise.reject(new Error('bus unavailable')) },
      undelivered: { keep: () => Promise.resolve() },
      logger: createLogger(process.env),
    });
    const answer = await publish({ Records: [createdRecord('7')] });
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
    const failures = logLines().filter((line) => line.message === PUBLISH_FAILURE_MESSAGE);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 'ERROR', message: PUBLISH_FAILURE_MESSAGE });
  });

  it('is not written when the record is published', async () => {
    const publish = createPublisher({
      sink: { publish: () => Promise.resolve() },
      undelivered: { keep: () => Promise.resolve() },
      logger: createLogger(process.env),
    });
    expect(await publish({ Records: [createdRecord('8')] })).toEqual({ batchItemFailures: [] });
    expect(logLines().filter((line) => line.message === PUBLISH_FAILURE_MESSAGE)).toEqual([]);
    // The success line is written, so the capture itself works.
    expect(logLines().some((line) => line.message === 'event published')).toBe(true);
  });
});
