import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedDocumentMaker } from '../../functions/handlers/signed-document-maker.ts';
import { DOCUMENT_EVENT_TYPES, makeSignedDocument } from '../../functions/workflows/make-signed-document.ts';
import type { RepublishedLine, RepublishSummary } from '../../functions/workflows/republish-completions.ts';
import { LocalEventBus } from '../../infra/local/event-bus.ts';
import { createLocalHandlers } from '../../infra/local/handlers.ts';
import { createLocalHttpServer } from '../../infra/local/http-server.ts';
import { localAdmin } from '../../infra/local/local-admin.ts';
import { localSignedDocumentBackfill } from '../../infra/local/signed-document-backfill.ts';
import { LocalUndeliveredEvents } from '../../infra/local/undelivered-events.ts';
import { runAdmin } from '../support/admin-command.ts';
import {
  config,
  documentClient,
  documents,
  httpDependencies,
  signedDocumentMaker,
  signRequests,
} from '../support/dependencies.ts';
import { storedEventOf } from '../support/domain-events.ts';
import { pdfsig } from '../support/pdf-tools.ts';
import { initiate, newApp, signingPath, startService, type Service } from '../support/service.ts';

/**
 * `npm run app -- make-signed-documents` against a stand-in for `npm start`: this file's store, a bus whose only
 * consumer is the signed document maker as its Lambda is wired, and the /local/ admin actions. No stream runs, so
 * a request completed here has no signed document until the command publishes its completion again: as one
 * completed before the maker was deployed, or whose make outlived its dead-letter queue.
 */

const bus = new LocalEventBus([
  {
    name: 'signed-documents',
    matches: (event) => (DOCUMENT_EVENT_TYPES as readonly string[]).includes(event.type),
    consumer: createSignedDocumentMaker(signedDocumentMaker),
    maxReceiveCount: 3,
    backoffBaseMs: 1,
  },
]);
const undelivered = new LocalUndeliveredEvents();
const adminServer = createLocalHttpServer(
  createLocalHandlers(httpDependencies),
  localAdmin({
    bus,
    replayUndelivered: () => undelivered.replay(bus),
    makeSignedDocuments: localSignedDocumentBackfill(documentClient, config.tableName, bus),
  }),
);
let port = 0;
let service: Service;
let originalBytes: Uint8Array;

beforeAll(async () => {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  document.addPage([595, 842]).drawText('The tenant shall water the ficus.', { x: 72, y: 760, size: 12, font });
  originalBytes = await document.save();
  adminServer.listen(0, '127.0.0.1');
  await once(adminServer, 'listening');
  port = (adminServer.address() as AddressInfo).port;
  service = await startService();
});
afterAll(async () => {
  adminServer.close();
  adminServer.closeAllConnections();
  await service.close();
});

const admin = (...args: string[]) => runAdmin(args, { PORT: String(port) });

/** The command's stdout: a JSON line per request, then the summary's. */
const outputOf = (stdout: string) => {
  const lines = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
  return { requests: lines.slice(0, -1) as RepublishedLine[], summary: lines.at(-1) as RepublishSummary };
};

const initiated = (token: string) =>
  initiate(service, token, 2, {
    documentName: 'Lease.pdf',
    document: { fileName: 'Lease.pdf', contentBase64: Buffer.from(originalBytes).toString('base64') },
  });

/** A request signed by all through the API, with no event flow: completed, with no signed document. */
const completedQuietly = async (token: string) => {
  const created = await initiated(token);
  for (const signer of created.Signers)
    expect((await service.post(`${signingPath(signer.SigningUrl)}/sign`)).status).toBe(200);
  return created;
};

const getSignedDocument = async (id: string, token: string) => {
  const response = await fetch(`${service.baseUrl}/v1/sign-requests/${id}/signed-document`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) };
};

/** The position of the request's COMPLETED entry in its history, as the API reads it: the event's id suffix. */
const completionPosition = async (id: string, token: string) => {
  const read = await service.get<{ History: { Event: string }[] }>(`/v1/sign-requests/${id}`, {
    authorization: `Bearer ${token}`,
  });
  return read.Data.History.findIndex((entry) => entry.Event === 'COMPLETED');
};

const published = () => bus.published.map((event) => event.eventId);

describe('npm run app -- make-signed-documents', () => {
  it('republishes the completion of a request that has no signed document, and the maker makes it, once', async () => {
    const app = await newApp();
    const missing = await completedQuietly(app.token);
    const made = await completedQuietly(app.token);
    // Made already (as the stream would have had it): skipped.
    expect(
      await makeSignedDocument(signedDocumentMaker, await storedEventOf(made.SignRequestId, 'SignRequestCompleted')),
    ).toBe('done');
    const before = await getSignedDocument(missing.SignRequestId, app.token);
    expect(before.status).toBe(409);

    const run = await admin('make-signed-documents', '--app-id', app.appId);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const { requests, summary } = outputOf(run.stdout);
    const eventId = `${missing.SignRequestId}.${await completionPosition(missing.SignRequestId, app.token)}`;
    expect(requests).toEqual([
      {
        SignRequestId: missing.SignRequestId,
        RequestNo: missing.RequestNo,
        AppId: app.appId,
        Done: 'republished',
        EventId: eventId,
      },
    ]);
    expect(summary).toEqual({ Found: 1, Republished: 1, DryRun: false });
    // The very event the stream would have published: same id, same content.
    expect(bus.published.filter((event) => event.signRequestId === missing.SignRequestId)).toEqual([
      await storedEventOf(missing.SignRequestId, 'SignRequestCompleted'),
    ]);
    await bus.idle();

    const served = await getSignedDocument(missing.SignRequestId, app.token);
    expect(served.status).toBe(200);
    const report = await pdfsig(served.body);
    expect(report.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(report.stdout).toContain('Total document signed');
    const stored = await signRequests.get(missing.SignRequestId);
    expect(createHash('sha256').update(served.body).digest('hex')).toBe(stored?.signedDocument?.sha256);
    expect(await documents.read(stored?.signedDocument?.key ?? '')).toEqual(served.body);

    // Twice is harmless: nothing is left to find, nothing is published, the record stands as made.
    const publishedBefore = published();
    const again = await admin('make-signed-documents', '--app-id', app.appId);
    expect([again.code, again.stdout.trim()]).toEqual([0, JSON.stringify({ Found: 0, Republished: 0, DryRun: false })]);
    expect(published()).toEqual(publishedBefore);
    const after = await signRequests.get(missing.SignRequestId);
    expect(after?.signedDocument).toEqual(stored?.signedDocument);
    expect(after?.history.filter((entry) => entry.event === 'SIGNED_DOCUMENT_READY')).toHaveLength(1);
  });

  it('with --dry-run lists the completed requests without one, of every app or of one, and changes nothing', async () => {
    const [first, second] = [await newApp(), await newApp()];
    const mine = await completedQuietly(first.token);
    const theirs = await completedQuietly(second.token);
    const open = await initiated(first.token);
    const publishedBefore = published();

    const everyApp = await admin('make-signed-documents', '--dry-run');
    expect(everyApp.code).toBe(0);
    const listed = outputOf(everyApp.stdout);
    expect(listed.requests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ SignRequestId: mine.SignRequestId, AppId: first.appId, Done: 'listed' }),
        expect.objectContaining({ SignRequestId: theirs.SignRequestId, AppId: second.appId, Done: 'listed' }),
      ]),
    );
    // An open request is not completed: never listed.
    expect(listed.requests.map((line) => line.SignRequestId)).not.toContain(open.SignRequestId);
    expect(listed.summary).toEqual({ Found: listed.requests.length, Republished: 0, DryRun: true });

    const oneApp = await admin('make-signed-documents', '--app-id', second.appId, '--dry-run');
    expect(outputOf(oneApp.stdout).requests.map((line) => [line.SignRequestId, line.RequestNo])).toEqual([
      [theirs.SignRequestId, theirs.RequestNo],
    ]);

    await bus.idle();
    expect(published()).toEqual(publishedBefore);
    expect((await signRequests.get(mine.SignRequestId))?.signedDocument).toBeUndefined();
    expect((await getSignedDocument(theirs.SignRequestId, second.token)).status).toBe(409);
  });

  it('answers a bad argument with one line and exit 2, and says so when no npm start answers', async () => {
    const mistakes: [string[], string][] = [
      [['--event-bus', 'esign-bus'], 'make-signed-documents --event-bus needs --aws'],
      [['--aws'], 'make-signed-documents --aws needs --event-bus'],
      [['--app-id', ' '], '--app-id must not be empty.'],
      [['everything'], 'make-signed-documents takes no further argument.'],
      [['--dry-run=yes'], "Option '--dry-run' does not take an argument"],
    ];
    for (const [args, line] of mistakes) {
      const result = await admin('make-signed-documents', ...args);
      expect([result.code, result.stdout]).toEqual([2, '']);
      expect(result.stderr.split('\n')[0]).toContain(line);
      expect(result.stderr.split('\n')[1]).toMatch(/^usage: /);
    }
    const nobody = await runAdmin(['make-signed-documents'], { PORT: '9' });
    expect([nobody.code, nobody.stderr.trim()]).toEqual([
      1,
      'No npm start answering at http://localhost:9 (set PORT or LOCAL_API_URL)',
    ]);
  });
});
