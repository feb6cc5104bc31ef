import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../functions/core/events.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { toItem } from '../../functions/store/sign-request-items.ts';
import { publishStreamRecords } from '../../functions/workflows/publish.ts';
import { recordingLogger } from '../support/recording-logger.ts';
import { freshRequest } from '../support/requests.ts';

const AT = '2030-01-01T10:00:00.000Z';
type StreamImage = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
// The SDK's and aws-lambda's types both describe DynamoDB's wire format, each in its own words.
const image = (item: Record<string, unknown>): StreamImage =>
  marshall(item, { removeUndefinedValues: true }) as StreamImage;

/** The stream record of one write of a request: its image before (if any) and after. */
const recordOf = (sequenceNumber: string, before: SignRequest | undefined, after: SignRequest): DynamoDBRecord => ({
  dynamodb: {
    SequenceNumber: sequenceNumber,
    NewImage: image(toItem(after)),
    ...(before ? { OldImage: image(toItem(before)) } : {}),
  },
});

const recalled = (request: SignRequest): SignRequest => ({
  ...request,
  status: 'CANCELLED',
  recall: { reason: 'Wrong file', by: 'Ops', at: AT },
  history: [...request.history, { at: AT, event: 'RECALLED', by: 'Ops' }],
});

/** A bus that takes batches, refusing those whose turn is listed in `refuse` (1 = the first batch offered). */
const fakeSink = (refuse: number[] = []) => {
  const published: DomainEvent[][] = [];
  let offered = 0;
  return {
    published,
    publish: (events: readonly DomainEvent[]) => {
      offered++;
      if (refuse.includes(offered)) return Promise.reject(new Error('bus unavailable'));
      published.push([...events]);
      return Promise.resolve();
    },
  };
};

const fakeUndelivered = (fails = false) => {
  const kept: DomainEvent[][] = [];
  return {
    kept,
    keep: (events: readonly DomainEvent[]) =>
      fails ? Promise.reject(new Error('queue unavailable')) : (kept.push([...events]), Promise.resolve()),
  };
};

describe('publishStreamRecords', () => {
  const a = freshRequest(1).request;
  const b = freshRequest(2).request;

  it('publishes each record’s events in order, one batch per record, and logs each event', async () => {
    const sink = fakeSink();
    const { logger, lines } = recordingLogger();
    const records = [recordOf('1', undefined, a), recordOf('2', a, recalled(a)), recordOf('3', undefined, b)];
    const answer = await publishStreamRecords({ sink, undelivered: fakeUndelivered(), logger }, records);
    expect(answer).toEqual({});
    expect(sink.published.map((batch) => batch.map((event) => [event.type, event.signRequestId]))).toEqual([
      [['SignRequestCreated', a.id]],
      [['SignRequestRecalled', a.id]],
      [['SignRequestCreated', b.id]],
    ]);
    expect(lines.filter((line) => line.message === 'event published').map((line) => line.attributes)).toEqual([
      { eventId: `${a.id}.0`, type: 'SignRequestCreated', appId: 'APP1' },
      { eventId: `${a.id}.1`, type: 'SignRequestRecalled', appId: 'APP1' },
      { eventId: `${b.id}.0`, type: 'SignRequestCreated', appId: 'APP1' },
    ]);
  });

  it('offers the bus nothing for a record that carries no event (another kind of item, or no change)', async () => {
    const sink = fakeSink([1]);
    const counter: DynamoDBRecord = {
      dynamodb: { SequenceNumber: '1', NewImage: image({ pk: 'APP#X', sk: 'SEQ', n: 3 }) },
    };
    const unchanged = recordOf('2', a, { ...a, updatedAt: AT });
    const answer = await publishStreamRecords(
      { sink, undelivered: fakeUndelivered(), logger: recordingLogger().logger },
      [counter, unchanged],
    );
    // The sink refuses the first batch offered: had either record offered an empty one, the run would have failed.
    expect(answer).toEqual({});
    expect(sink.published).toEqual([]);
  });

  it('stops at the first record the bus refuses, keeps its events for replay and answers where to resume', async () => {
    const sink = fakeSink([2]);
    const undelivered = fakeUndelivered();
    const { logger, lines } = recordingLogger();
    const records = [recordOf('10', undefined, a), recordOf('11', a, recalled(a)), recordOf('12', undefined, b)];
    const answer = await publishStreamRecords({ sink, undelivered, logger }, records);
    expect(answer).toEqual({ resumeFrom: '11' });
    expect(sink.published.map((batch) => batch.map((event) => event.eventId))).toEqual([[`${a.id}.0`]]);
    expect(undelivered.kept.map((batch) => batch.map((event) => [event.eventId, event.type]))).toEqual([
      [[`${a.id}.1`, 'SignRequestRecalled']],
    ]);
    const errors = lines.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      message: 'could not publish a stream record',
      attributes: { sequenceNumber: '11', eventIds: [`${a.id}.1`], keptForReplay: true },
    });
  });

  it('still answers where to resume when the events could not be kept either, and says so', async () => {
    const { logger, lines } = recordingLogger();
    const answer = await publishStreamRecords({ sink: fakeSink([1]), undelivered: fakeUndelivered(true), logger }, [
      recordOf('20', undefined, a),
    ]);
    expect(answer).toEqual({ resumeFrom: '20' });
    expect(
      lines.filter((line) => line.level === 'error').map(({ message, attributes }) => ({ message, attributes })),
    ).toMatchObject([
      {
        message: 'could not keep undelivered events for replay',
        attributes: { sequenceNumber: '20', eventIds: [`${a.id}.0`] },
      },
      { message: 'could not publish a stream record', attributes: { sequenceNumber: '20', keptForReplay: false } },
    ]);
  });

  it('keeps nothing and resumes at a record whose events cannot even be read', async () => {
    const undelivered = fakeUndelivered();
    const { logger, lines } = recordingLogger();
    // A sign request item without its history: no events can be derived from it.
    const broken: DynamoDBRecord = {
      dynamodb: { SequenceNumber: '30', NewImage: image({ pk: `SR#${a.id}`, sk: 'META' }) },
    };
    const answer = await publishStreamRecords({ sink: fakeSink(), undelivered, logger }, [broken]);
    expect(answer).toEqual({ resumeFrom: '30' });
    expect(undelivered.kept).toEqual([]);
    expect(lines.find((line) => line.level === 'error')?.attributes).toMatchObject({
      eventIds: [],
      keptForReplay: false,
    });
  });

  it('answers an empty resume point when the refused record has no sequence number', async () => {
    const { dynamodb } = recordOf('x', undefined, a);
    const answer = await publishStreamRecords(
      { sink: fakeSink([1]), undelivered: fakeUndelivered(), logger: recordingLogger().logger },
      [{ dynamodb: { NewImage: dynamodb!.NewImage! } }],
    );
    expect(answer).toEqual({ resumeFrom: '' });
  });
});
