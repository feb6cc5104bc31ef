import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainEvent } from '../../functions/core/events.ts';
import { createPublisher } from '../../functions/handlers/publisher.ts';
import { expireDueRequests } from '../../functions/workflows/expire-due.ts';
import { logger, signRequests } from '../support/dependencies.ts';
import { startEventPipeline } from '../support/event-pipeline.ts';
import { LocalUndeliveredEvents } from '../../infra/local/undelivered-events.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;
let pipeline: ReturnType<typeof startEventPipeline>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Events');
  pipeline = startEventPipeline();
});
afterAll(async () => {
  pipeline.stop();
  await service.close();
});

const eventsOf = async (signRequestId: string) => {
  await pipeline.settle();
  return pipeline.bus.published.filter((event) => event.signRequestId === signRequestId);
};

describe('domain events from the table (stream -> publisher -> bus)', () => {
  it('publishes exactly one event per state change of a request signed to completion, views excluded', async () => {
    const created = await initiate(service, app.token, 2);
    const [first, second] = created.Signers.map((signer) => signingPath(signer.SigningUrl));
    await service.get(first!);
    await service.post(`${first}/sign`);
    await service.post(`${second}/sign`);

    const events = await eventsOf(created.SignRequestId);
    expect(events.map((event) => [event.type, event.status])).toEqual([
      ['SignRequestCreated', 'PENDING'],
      ['SignerSigned', 'PARTIALLY_SIGNED'],
      // The last signature completes the request in the same write (see sign.ts): both events carry its status.
      ['SignerSigned', 'COMPLETED'],
      ['SignRequestCompleted', 'COMPLETED'],
    ]);
    expect(events.map((event) => (event.type === 'SignerSigned' ? event.signerId : undefined)).filter(Boolean)).toEqual(
      created.Signers.map((signer) => signer.SignerId),
    );
    for (const event of events) {
      expect(DomainEvent.parse(event)).toEqual(event);
      expect(event).toMatchObject({ schemaVersion: 1, appId: app.appId, requestNo: created.RequestNo });
    }
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
  });

  it('publishes the recall with its reason, by and at, and nothing for refused calls', async () => {
    const created = await initiate(service, app.token, 2);
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`);

    const events = await eventsOf(created.SignRequestId);
    expect(events.map((event) => event.type)).toEqual(['SignRequestCreated', 'SignRequestRecalled']);
    expect(events[1]).toMatchObject({
      status: 'CANCELLED',
      recall: { reason: 'Request raised mistakenly', by: 'Mohit Bansal' },
    });
    // The recall's call token is stored with it, and stays internal.
    expect((await signRequests.get(created.SignRequestId))?.recall?.callId).toBeDefined();
    expect(events[1]?.type === 'SignRequestRecalled' && Object.keys(events[1].recall).sort()).toEqual([
      'at',
      'by',
      'reason',
    ]);
  });

  it('publishes the decline with the signer, reason and time, and nothing for refused calls after it', async () => {
    const created = await initiate(service, app.token, 2);
    const [first, second] = created.Signers.map((signer) => signingPath(signer.SigningUrl));
    await service.post(`${second}/decline`, { reason: 'Wrong entity named' });
    await service.post(`${first}/sign`);
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));

    const events = await eventsOf(created.SignRequestId);
    expect(events.map((event) => [event.type, event.status])).toEqual([
      ['SignRequestCreated', 'PENDING'],
      ['SignRequestDeclined', 'DECLINED'],
    ]);
    const declined = events.at(-1)!;
    expect(DomainEvent.parse(declined)).toEqual(declined);
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(declined).toMatchObject({
      type: 'SignRequestDeclined',
      decline: { signerId: created.Signers[1]!.SignerId, reason: 'Wrong entity named', at: stored.decline?.at },
    });
    // The call's token is internal.
    expect(JSON.stringify(declined)).not.toContain(stored.decline?.callId ?? 'no call id');
  });

  it('publishes the expiry', async () => {
    const created = await initiate(service, app.token, 1, {
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await expireDueRequests({ signRequests }, new Date(Date.now() + 7_200_000).toISOString());
    const events = await eventsOf(created.SignRequestId);
    expect(events.map((event) => [event.type, event.status])).toEqual([
      ['SignRequestCreated', 'PENDING'],
      ['SignRequestExpired', 'EXPIRED'],
    ]);
  });

  it('never publishes both a completion and a recall for one request, whoever wins the race', async () => {
    const ids: string[] = [];
    for (let round = 0; round < 15; round++) {
      const created = await initiate(service, app.token, 1);
      ids.push(created.SignRequestId);
      await Promise.all([
        service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`),
        service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token)),
      ]);
    }
    for (const id of ids) {
      const types = (await eventsOf(id)).map((event) => event.type);
      expect([
        ['SignRequestCreated', 'SignerSigned', 'SignRequestCompleted'],
        ['SignRequestCreated', 'SignRequestRecalled'],
      ]).toContainEqual(types);
    }
  });
});

describe('the publisher', () => {
  it('reports the first record it could not publish and leaves the later ones for the retry', async () => {
    const created = await initiate(service, app.token, 1);
    await pipeline.settle();
    const attempted: string[] = [];
    const undelivered = new LocalUndeliveredEvents();
    const publish = createPublisher({
      sink: {
        publish: (events) => {
          attempted.push(...events.map((event) => event.type));
          return Promise.reject(new Error('bus unavailable'));
        },
      },
      undelivered,
      logger,
    });
    const image = (history: string[]) => ({
      pk: { S: `SR#${created.SignRequestId}` },
      sk: { S: 'META' },
      appId: { S: app.appId },
      requestNo: { S: created.RequestNo },
      status: { S: 'PENDING' },
      documentName: { S: 'Contract.pdf' },
      signerCount: { N: '1' },
      history: { L: history.map((event) => ({ M: { at: { S: new Date().toISOString() }, event: { S: event } } })) },
    });
    const record = (sequence: string, history: string[]) => ({
      eventName: 'INSERT' as const,
      dynamodb: { SequenceNumber: sequence, NewImage: image(history), StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
    });
    const answer = await publish({ Records: [record('101', ['CREATED']), record('102', ['CREATED'])] });
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
    expect(attempted).toEqual(['SignRequestCreated']);
    // The failed record's event is kept whole, with its stable id, where replay-events finds it.
    expect(undelivered.events).toEqual([
      expect.objectContaining({
        type: 'SignRequestCreated',
        eventId: `${created.SignRequestId}.0`,
        signRequestId: created.SignRequestId,
        appId: app.appId,
        documentName: 'Contract.pdf',
      }),
    ]);
    expect(undelivered.events.map((event) => DomainEvent.parse(event))).toEqual(undelivered.events);
  });

  it('keeps every failed event until a replay publishes it, once per eventId, and then forgets it', async () => {
    const created = await initiate(service, app.token, 1);
    const createdEvent = (await eventsOf(created.SignRequestId))[0]!;
    let busUp = false;
    const bus: DomainEvent[] = [];
    const sink = {
      publish: (events: readonly DomainEvent[]) => {
        if (!busUp) return Promise.reject(new Error('bus unavailable'));
        bus.push(...events);
        return Promise.resolve();
      },
    };
    const undelivered = new LocalUndeliveredEvents();
    // The stream retries the record: each failed try keeps its events again.
    await undelivered.keep([createdEvent]);
    await undelivered.keep([createdEvent]);
    await expect(undelivered.replay(sink)).rejects.toThrow('bus unavailable');
    expect(undelivered.events).toHaveLength(2);
    busUp = true;
    expect(await undelivered.replay(sink)).toEqual({ replayed: 1, duplicates: 1 });
    expect(bus).toEqual([createdEvent]);
    expect(undelivered.events).toEqual([]);
  });

  it('keeps nothing when the record is published', async () => {
    const undelivered = new LocalUndeliveredEvents();
    const publish = createPublisher({ sink: { publish: () => Promise.resolve() }, undelivered, logger });
    const created = await initiate(service, app.token, 1);
    await pipeline.settle();
    const image = {
      pk: { S: `SR#${created.SignRequestId}` },
      sk: { S: 'META' },
      appId: { S: app.appId },
      requestNo: { S: created.RequestNo },
      status: { S: 'PENDING' },
      documentName: { S: 'Contract.pdf' },
      signerCount: { N: '1' },
      history: { L: [{ M: { at: { S: new Date().toISOString() }, event: { S: 'CREATED' } } }] },
    };
    const answer = await publish({ Records: [{ dynamodb: { SequenceNumber: '5', NewImage: image } }] });
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(undelivered.events).toEqual([]);
  });

  it('ignores items that are not sign requests', async () => {
    const publish = createPublisher({
      sink: { publish: () => Promise.reject(new Error('must not be called')) },
      undelivered: { keep: () => Promise.reject(new Error('must not be called')) },
      logger,
    });
    const answer = await publish({
      Records: [
        { dynamodb: { SequenceNumber: '1', NewImage: { pk: { S: 'APP#x' }, sk: { S: 'COUNTER' }, n: { N: '3' } } } },
        { dynamodb: { SequenceNumber: '2', NewImage: { pk: { S: 'IDEMPOTENCY#app#key' }, sk: { S: 'k' } } } },
      ],
    });
    expect(answer).toEqual({ batchItemFailures: [] });
  });
});
