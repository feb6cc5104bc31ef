import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../functions/core/events.ts';
import { domainEventFromDelivered } from '../../functions/events/event-bridge.ts';
import { LocalEventBus } from '../../infra/local/event-bus.ts';
import { createLocalHandlers } from '../../infra/local/handlers.ts';
import { createLocalHttpServer } from '../../infra/local/http-server.ts';
import { localAdmin } from '../../infra/local/local-admin.ts';
import { localSignedDocumentBackfill } from '../../infra/local/signed-document-backfill.ts';
import { LocalUndeliveredEvents } from '../../infra/local/undelivered-events.ts';
import { runAdmin } from '../support/admin-command.ts';
import { config, documentClient, httpDependencies } from '../support/dependencies.ts';
import { sampleCreatedEvent } from '../support/sample-event.ts';

const event = sampleCreatedEvent;

/** A consumer that fails while `down`, and records what it took. */
let down = true;
const taken: DomainEvent[] = [];
const bus = new LocalEventBus([
  {
    name: 'webhooks',
    matches: () => true,
    consumer: (batch) => {
      if (!down) taken.push(...batch.Records.map((record) => domainEventFromDelivered(record.body)));
      return Promise.resolve({
        batchItemFailures: down ? batch.Records.map((record) => ({ itemIdentifier: record.messageId })) : [],
      });
    },
    maxReceiveCount: 2,
    backoffBaseMs: 1,
  },
]);
const undelivered = new LocalUndeliveredEvents();
const server = createLocalHttpServer(
  createLocalHandlers(httpDependencies),
  localAdmin({
    bus,
    replayUndelivered: () => undelivered.replay(bus),
    makeSignedDocuments: localSignedDocumentBackfill(documentClient, config.tableName, bus),
  }),
);
let port = 0;
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
  server.closeAllConnections();
});

/** The admin command as an operator runs it beside `npm start` (no ARN, no queue URL: the local process). */
const admin = (...args: string[]) => runAdmin(args, { PORT: String(port) });

describe('npm run app -- redrive / replay-events, against npm start', () => {
  it('moves the dead letters of a queue back, and they are delivered once the consumer works again', async () => {
    await bus.publish([event('SRDEAD.0')]);
    await bus.idle();
    expect(bus.deadLetters.map((letter) => letter.event.eventId)).toEqual(['SRDEAD.0']);
    down = false;
    const result = await admin('redrive', '--queue', 'webhooks');
    expect([result.code, result.stderr, result.stdout.trim()]).toEqual([0, '', '{"Moved":1}']);
    await bus.idle();
    expect(bus.deadLetters).toEqual([]);
    expect(taken.map((delivered) => delivered.eventId)).toEqual(['SRDEAD.0']);
    // The signed document maker's queue is named too; it holds no dead letter here.
    const signed = await admin('redrive', '--queue', 'signed-documents');
    expect([signed.code, signed.stdout.trim()]).toEqual([0, '{"Moved":0}']);
  });

  it('publishes the events the publisher could not publish, once per eventId, and forgets them', async () => {
    await undelivered.keep([event('SRKEPT.0'), event('SRKEPT.0'), event('SRKEPT.1')]);
    const result = await admin('replay-events');
    expect([result.code, result.stdout.trim()]).toEqual([0, '{"Replayed":2,"Duplicates":1}']);
    await bus.idle();
    expect(taken.map((delivered) => delivered.eventId)).toContain('SRKEPT.1');
    expect(undelivered.events).toEqual([]);
    expect((await admin('redrive', '--queue', 'events')).stdout.trim()).toBe('{"Replayed":0,"Duplicates":0}');
  });

  it('explains its usage for an unknown queue, and says so when no npm start answers', async () => {
    const unknown = await admin('redrive', '--queue', 'everything');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('redrive --queue webhooks|notifications');
    const nobody = await runAdmin(['redrive', '--queue', 'notifications'], { PORT: '9' });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('No npm start answering at http://localhost:9');
  });

  it('serves /local/ actions only to POST, and answers the route table’s 404 for anything else there', async () => {
    const get = await fetch(`http://127.0.0.1:${port}/local/replay-events`);
    expect(get.status).toBe(404);
    const unknown = await fetch(`http://127.0.0.1:${port}/local/drop-table`, { method: 'POST' });
    expect(unknown.status).toBe(404);
  });
});
