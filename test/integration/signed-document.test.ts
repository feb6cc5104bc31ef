import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetObjectTaggingCommand, ListObjectsV2Command, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainEvent } from '../../functions/core/events.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { createMailerHandler } from '../../functions/handlers/mailer.ts';
import { createSignedDocumentMaker } from '../../functions/handlers/signed-document-maker.ts';
import { createWebhookDeliverer } from '../../functions/handlers/webhook-deliverer.ts';
import { transportRefusals } from '../../functions/http/refusals.ts';
import { signingLinks } from '../../functions/notifications/signing-links.ts';
import { readEnvironment } from '../../functions/runtime/environment.ts';
import { signingKeyFrom } from '../../functions/wiring/signing-keys.ts';
import { MAILED_EVENT_TYPES } from '../../functions/workflows/send-mail.ts';
import { makeSignedDocument } from '../../functions/workflows/make-signed-document.ts';
import { MAX_ANSWERED_PDF_BYTES } from '../../functions/workflows/stored-pdf.ts';
import { DocumentStore } from '../../functions/documents/document-store.ts';
import { documentStoreCredentials } from '../../functions/wiring/document-store-credentials.ts';
import { localS3Client } from '../../infra/local/embedded-s3.ts';
import { LocalEventBus } from '../../infra/local/event-bus.ts';
import { LocalMailbox, MAILBOX_PATHS } from '../../infra/local/mailbox.ts';
import {
  documents,
  httpDependencies,
  mailCap,
  notices,
  signedDocumentMaker,
  signRequests,
  unlimitedSendRate,
  webhooks,
} from '../support/dependencies.ts';
import { storedEventOf } from '../support/domain-events.ts';
import { startEventPipeline } from '../support/event-pipeline.ts';
import type { MailboxEntry } from '../support/mail-service.ts';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../support/fault-proxy.ts';
import { pageCount, pdfsig, pdfText } from '../support/pdf-tools.ts';
import { registerSecret } from '../support/log-guard.ts';
import { proxiedFunctions } from '../support/proxied-functions.ts';
import { recordSignedDocument } from '../support/signed-documents.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

/**
 * The signed document end to end: two signers sign through the real HTTP server, the completion event reaches
 * the maker through the local event flow (stream stand-in -> publisher -> bus), the maker seals and stores it in
 * the embedded S3 server, and the app, the mailbox and the webhook receiver each get it or hear of it.
 */

const bucket = process.env.DOCUMENTS_BUCKET ?? '';
const s3 = localS3Client(process.env.S3_ENDPOINT ?? '');
const logger = new Logger({ serviceName: 'signed-document-test' });
const PHRASE = 'The tenant shall water the ficus every Tuesday.';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A two-page original made with pdf-lib, carrying a phrase the signed document must still hold. */
const original = async (): Promise<Uint8Array> => {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  document.addPage([595, 842]).drawText(PHRASE, { x: 72, y: 760, size: 12, font });
  document.addPage([595, 842]).drawText('Page two of the lease.', { x: 72, y: 760, size: 12, font });
  return document.save();
};
let originalBytes: Uint8Array;

/**
 * The apps whose events the pipeline below consumes. The stream stand-in sees every write of this file, so the
 * tests that run makes by hand (on requests completed with no consumer) use apps of their own, outside this set.
 */
const pipelineApps = new Set<string>();
const pipelineApp = async (name?: string) => {
  const app = await newApp(name);
  pipelineApps.add(app.appId);
  return app;
};

let service: Service;
let mailbox: LocalMailbox;
let pipeline: ReturnType<typeof startEventPipeline>;
let hooks: WebhookReceiver;

beforeAll(async () => {
  originalBytes = await original();
  mailbox = new LocalMailbox();
  service = await startService(httpDependencies, (method, path) => mailbox.answer(method, path));
  hooks = await startWebhookReceiver();
  pipeline = startEventPipeline([
    {
      name: 'signed-documents',
      matches: (event) => pipelineApps.has(event.appId) && event.type === 'SignRequestCompleted',
      consumer: createSignedDocumentMaker(signedDocumentMaker),
      maxReceiveCount: 3,
      backoffBaseMs: 1,
    },
    {
      name: 'mail',
      matches: (event) =>
        pipelineApps.has(event.appId) && (MAILED_EVENT_TYPES as readonly string[]).includes(event.type),
      consumer: createMailerHandler({
        signRequests,
        notices,
        notifier: mailbox,
        sendRate: unlimitedSendRate,
        logger,
        linkFor: signingLinks(httpDependencies.secretFor, service.baseUrl),
        mailCap,
        documents,
      }),
      maxReceiveCount: 3,
      backoffBaseMs: 1,
    },
    {
      name: 'webhooks',
      matches: (event) => pipelineApps.has(event.appId),
      consumer: createWebhookDeliverer({
        webhooks,
        signingKey: await signingKeyFrom('webhook', readEnvironment()),
        urlPolicy: { allowHttpLocalhost: true },
        logger,
        timeoutMs: 3_000,
      }),
      maxReceiveCount: 3,
      backoffBaseMs: 1,
    },
  ]);
});
afterAll(async () => {
  pipeline.stop();
  await hooks.close();
  s3.destroy();
  await service.close();
});

/** GET .../signed-document, raw: the PDF's bytes on 200, the envelope otherwise. */
const getSignedDocument = async (id: string, token: string) => {
  const response = await fetch(`${service.baseUrl}/v1/sign-requests/${id}/signed-document`, {
    headers: bearer(token),
  });
  const body = new Uint8Array(await response.arrayBuffer());
  const envelope = response.headers.get('content-type')?.startsWith('application/json')
    ? (JSON.parse(Buffer.from(body).toString('utf8')) as { FailRules: { Code: string }[] })
    : undefined;
  return { status: response.status, headers: response.headers, body, code: envelope?.FailRules[0]?.Code };
};

const lease = async (app: { token: string }) =>
  initiate(service, app.token, 2, {
    documentName: 'Lease.pdf',
    senderEmail: 'landlord@example.com',
    document: { fileName: 'Lease.pdf', contentBase64: Buffer.from(originalBytes).toString('base64') },
  });

const signAll = async (signingUrls: readonly string[]) => {
  for (const url of signingUrls) expect((await service.post(`${signingPath(url)}/sign`)).status).toBe(200);
};

const mailOf = async (id: string): Promise<MailboxEntry[]> => {
  const response = await fetch(`${service.baseUrl}${MAILBOX_PATHS.json}`);
  return ((await response.json()) as { Data: MailboxEntry[] }).Data.filter((entry) => entry.SignRequestId === id);
};

const isPdfValidlySealed = async (pdf: Uint8Array) => {
  const report = await pdfsig(pdf);
  return (
    report.stdout.includes('Signature Validation: Signature is Valid.') &&
    report.stdout.includes('Total document signed') &&
    // One signature: the service's seal, and nothing else.
    (report.stdout.match(/^Signature #\d+:/gm) ?? []).length === 1
  );
};

describe('the signed document, from the last signature to the app, the mail and the webhook', () => {
  it('is made once on completion, served sealed, mailed as an attachment and announced', async () => {
    const app = await pipelineApp('Lettings Co');
    await webhooks.register(app.appId, `${hooks.baseUrl}/hooks`, new Date().toISOString());
    const created = await lease(app);
    const id = created.SignRequestId;

    // Open: not completed, so no signed document.
    const open = await getSignedDocument(id, app.token);
    expect([open.status, open.code]).toEqual([409, 'SIGN_REQUEST_NOT_COMPLETED']);

    await signAll(created.Signers.map((signer) => signer.SigningUrl));
    await pipeline.settle();

    const served = await getSignedDocument(id, app.token);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(served.headers.get('content-disposition')).toContain('filename="Lease-signed.pdf"');
    expect(served.headers.get('etag')).toBe(`"${sha256(served.body)}"`);

    // The read names it by the same hash and size; its history records when it was made.
    const read = await service.get<{
      SignedDocument: { Sha256: string; Size: number } | null;
      History: { Event: string }[];
    }>(`/v1/sign-requests/${id}`, bearer(app.token));
    expect(read.Data.SignedDocument).toEqual({ Sha256: sha256(served.body), Size: served.body.byteLength });
    expect(read.Data.History.map((entry) => entry.Event).slice(-2)).toEqual(['COMPLETED', 'SIGNED_DOCUMENT_READY']);

    // One seal over the whole file; the original's words and the certificate's facts both inside.
    expect(await isPdfValidlySealed(served.body)).toBe(true);
    const text = await pdfText(served.body);
    expect(text).toContain(PHRASE);
    expect(text).toContain('Outcome: COMPLETED');
    for (const signer of created.Signers) expect(text).toContain(signer.Email);
    expect(text).toContain(created.RequestNo);
    const certificate = await fetch(`${service.baseUrl}/v1/sign-requests/${id}/certificate`, {
      headers: bearer(app.token),
    });
    const certificatePages = await pageCount(new Uint8Array(await certificate.arrayBuffer()));
    expect(await pageCount(served.body)).toBe(2 + certificatePages);

    // Each signer and the sender get the completion notice, with the very bytes served attached.
    const mail = await mailOf(id);
    const completed = mail.filter((entry) => entry.Kind === 'COMPLETED');
    expect(completed.map((entry) => entry.To).sort()).toEqual(
      [...created.Signers.map((signer) => signer.Email), 'landlord@example.com'].sort(),
    );
    for (const entry of completed) {
      expect(entry.Attachments).toHaveLength(1);
      const [attachment] = entry.Attachments;
      expect(attachment?.FileName).toBe('Lease-signed.pdf');
      expect(attachment?.ContentType).toBe('application/pdf');
      expect(sha256(Buffer.from(attachment?.ContentBase64 ?? '', 'base64'))).toBe(sha256(served.body));
    }
    const attached = Buffer.from(completed[0]?.Attachments[0]?.ContentBase64 ?? '', 'base64');
    expect(await isPdfValidlySealed(attached)).toBe(true);

    // The app's webhook hears of it, with the hash and size.
    const delivered = hooks.received.map((hook) => DomainEvent.parse(JSON.parse(hook.rawBody)));
    const ready = delivered.filter((event) => event.signRequestId === id && event.type === 'SignedDocumentReady');
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({
      status: 'COMPLETED',
      signedDocument: { sha256: sha256(served.body), size: served.body.byteLength },
    });
  });

  it('of a request that holds no document: the certificate alone, sealed', async () => {
    const app = await pipelineApp('No Document Ltd');
    const created = await initiate(service, app.token, 1);
    await signAll(created.Signers.map((signer) => signer.SigningUrl));
    await pipeline.settle();
    const served = await getSignedDocument(created.SignRequestId, app.token);
    expect(served.status).toBe(200);
    expect(await isPdfValidlySealed(served.body)).toBe(true);
    expect(await pdfText(served.body)).toContain('Outcome: COMPLETED');
  });

  it('answers 409 SIGN_REQUEST_NOT_COMPLETED for a recalled request, and 404 to another app', async () => {
    const app = await pipelineApp();
    const created = await lease(app);
    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
      200,
    );
    const recalled = await getSignedDocument(created.SignRequestId, app.token);
    expect([recalled.status, recalled.code]).toEqual([409, 'SIGN_REQUEST_NOT_COMPLETED']);
    const other = await newApp('Other');
    const foreign = await getSignedDocument(created.SignRequestId, other.token);
    expect([foreign.status, foreign.code]).toEqual([404, 'SIGN_REQUEST_NOT_FOUND']);
  });
});

/** A completed request whose completion no consumer hears of: its app is none of the pipeline's. */
const completedQuietly = async (quiet: Service, token: string) => {
  const created = await initiate(quiet, token, 2, {
    documentName: 'Lease.pdf',
    document: { fileName: 'Lease.pdf', contentBase64: Buffer.from(originalBytes).toString('base64') },
  });
  for (const signer of created.Signers)
    expect((await quiet.post(`${signingPath(signer.SigningUrl)}/sign`)).status).toBe(200);
  return created.SignRequestId;
};

const signedObjectsOf = async (request: SignRequest) => {
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: `documents/${request.appId}/${request.id}/signed-` }),
  );
  return (listed.Contents ?? []).map((object) => object.Key ?? '');
};
const lifecycleTagOf = async (key: string) => {
  const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  return TagSet?.find((tag) => tag.Key === 'lifecycle')?.Value;
};

/** What must hold once a request's signed document is made, however many makes ran and failed. */
const expectOneRecordMatchingItsBytes = async (id: string) => {
  const stored = await signRequests.get(id);
  const record = stored?.signedDocument;
  expect(record).toBeDefined();
  const bytes = await documents.read(record?.key ?? '');
  expect(bytes && sha256(bytes)).toBe(record?.sha256);
  expect(bytes?.byteLength).toBe(record?.size);
  expect(await lifecycleTagOf(record?.key ?? '')).toBe('kept');
  expect(stored?.history.filter((entry) => entry.event === 'SIGNED_DOCUMENT_READY')).toHaveLength(1);
  return { stored: stored!, record: record! };
};

describe('made once, whatever the deliveries', () => {
  let quiet: Service;
  beforeAll(async () => {
    quiet = await startService();
  });
  afterAll(() => quiet.close());

  it('answers 409 SIGNED_DOCUMENT_NOT_READY with Retry-After while completed and not yet made', async () => {
    const app = await newApp();
    const id = await completedQuietly(quiet, app.token);
    const early = await getSignedDocument(id, app.token);
    expect([early.status, early.code]).toEqual([409, 'SIGNED_DOCUMENT_NOT_READY']);
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await makeSignedDocument(signedDocumentMaker, await storedEventOf(id, 'SignRequestCompleted'))).toBe('done');
    expect((await getSignedDocument(id, app.token)).status).toBe(200);
  });

  it('answers a signed document over 4 MiB 303, to where S3 serves the very bytes (Lambda answers 6 MB at most)', async () => {
    const app = await newApp();
    const id = await completedQuietly(quiet, app.token);
    const large = new Uint8Array(MAX_ANSWERED_PDF_BYTES + 1).fill(37);
    const record = await recordSignedDocument(app.appId, id, large);
    const path = `${quiet.baseUrl}/v1/sign-requests/${id}/signed-document`;
    const redirect = await fetch(path, { headers: bearer(app.token), redirect: 'manual' });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    const location = new URL(redirect.headers.get('location') ?? '');
    registerSecret(location.searchParams.get('X-Amz-Signature') ?? '');
    expect(location.pathname).toBe(`/${bucket}/${record.key}`);
    expect(location.searchParams.get('response-content-disposition')).toContain(
      'attachment; filename="Lease-signed.pdf"',
    );
    const followed = await fetch(path, { headers: bearer(app.token) });
    expect(followed.status).toBe(200);
    expect(sha256(new Uint8Array(await followed.arrayBuffer()))).toBe(record.sha256);
    // At the bound itself, the function answers the bytes.
    const fits = await completedQuietly(quiet, app.token);
    await recordSignedDocument(app.appId, fits, large.subarray(0, MAX_ANSWERED_PDF_BYTES));
    const answered = await fetch(`${quiet.baseUrl}/v1/sign-requests/${fits}/signed-document`, {
      headers: bearer(app.token),
      redirect: 'manual',
    });
    expect(answered.status).toBe(200);
    expect((await answered.arrayBuffer()).byteLength).toBe(MAX_ANSWERED_PDF_BYTES);
  });

  it('keeps an original left pending (initiate stopped after its create) once the creation event reaches the maker', async () => {
    const app = await newApp();
    const created = await initiate(quiet, app.token, 1, {
      documentName: 'Lease.pdf',
      document: { fileName: 'Lease.pdf', contentBase64: Buffer.from(originalBytes).toString('base64') },
    });
    const key = (await signRequests.get(created.SignRequestId))?.document?.key ?? '';
    expect(await lifecycleTagOf(key)).toBe('kept');
    // As a function stopped between the create and its keep leaves it.
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: key,
        Tagging: { TagSet: [{ Key: 'lifecycle', Value: 'pending' }] },
      }),
    );
    const bus = new LocalEventBus([
      {
        name: 'signed-documents',
        matches: () => true,
        consumer: createSignedDocumentMaker(signedDocumentMaker),
        maxReceiveCount: 3,
        backoffBaseMs: 1,
      },
    ]);
    await bus.publish([await storedEventOf(created.SignRequestId, 'SignRequestCreated')]);
    await bus.idle();
    expect(await lifecycleTagOf(key)).toBe('kept');
    expect((await signRequests.get(created.SignRequestId))?.signedDocument).toBeUndefined();
  });

  it('four makes at once record exactly one, and the bytes at its key hash to its sha256; the others are never kept', async () => {
    const app = await newApp();
    const id = await completedQuietly(quiet, app.token);
    const completed = await storedEventOf(id, 'SignRequestCompleted');
    // Every make has read the request (none recorded yet) before any seals: all four race to the one write.
    let arrived = 0;
    let allArrived: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => (allArrived = resolve));
    const racing = {
      ...signedDocumentMaker,
      seal: async (...args: Parameters<typeof signedDocumentMaker.seal>) => {
        if (++arrived === 4) allArrived();
        await barrier;
        return signedDocumentMaker.seal(...args);
      },
    };
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => makeSignedDocument(racing, completed)));
    expect(outcomes).toEqual(['done', 'done', 'done', 'done']);
    const { stored, record } = await expectOneRecordMatchingItsBytes(id);
    // Each make sealed at its own instant, so their files differ: had one overwritten another, the hash would not match.
    const objects = await signedObjectsOf(stored);
    expect(objects).toHaveLength(4);
    expect(objects).toContain(record.key);
    // The losers' objects are never marked kept, so the lifecycle rule removes them (in S3 they carry the pending tag
    // from their put; s3rver drops a put's tags, so here they carry none).
    for (const orphan of objects.filter((key) => key !== record.key))
      expect(await lifecycleTagOf(orphan)).not.toBe('kept');
    // A redelivery after the fact changes nothing.
    expect(await makeSignedDocument(signedDocumentMaker, completed)).toBe('done');
    expect((await signRequests.get(id))?.signedDocument).toEqual(record);
  });
});

/**
 * Faults where they hurt most, through real TCP proxies: the S3 put lands and its answer is lost; the record lands
 * and its answer is lost; the object is recorded and marking it kept fails. Clients that retry nothing (1 attempt),
 * so the make fails and the queue's redelivery must converge: one record, the bytes at its key hashing to it, kept.
 */
describe('a fault in a make: the redelivery converges', () => {
  let quiet: Service;
  let s3Proxy: FaultProxy;
  let storeProxied: Awaited<ReturnType<typeof proxiedFunctions>>;
  let proxiedS3: S3Client;
  beforeAll(async () => {
    quiet = await startService();
    const endpoint = process.env.S3_ENDPOINT ?? '';
    s3Proxy = await startFaultProxy({ target: endpoint });
    const credentials = documentStoreCredentials(endpoint, readEnvironment());
    proxiedS3 = new S3Client({
      endpoint: s3Proxy.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 1,
      ...(credentials ? { credentials } : {}),
    });
    storeProxied = await proxiedFunctions({ maxAttempts: 1 });
  });
  afterAll(async () => {
    proxiedS3.destroy();
    await s3Proxy.close();
    await storeProxied.close();
    await quiet.close();
  });

  it.each<{ name: string; proxy: () => FaultProxy; rule: FaultRule; objects: number }>([
    {
      name: 'the S3 put lands, its answer is lost',
      proxy: () => s3Proxy,
      rule: { operation: 'PutObject', fault: 'forward-then-reset' },
      // The first make's object is never recorded: left to the lifecycle rule.
      objects: 2,
    },
    {
      name: 'the record lands, its answer is lost',
      proxy: () => storeProxied.proxy,
      rule: { operation: 'UpdateItem', fault: 'forward-then-reset' },
      // The redelivery finds the first make's record: nothing is made again.
      objects: 1,
    },
    {
      name: 'marking the recorded object kept fails',
      proxy: () => s3Proxy,
      rule: { operation: 'PutObjectTagging', fault: 'answer-500' },
      objects: 1,
    },
  ])('$name', async ({ proxy, rule, objects }) => {
    const app = await newApp();
    const id = await completedQuietly(quiet, app.token);
    const faulted = proxy().plan(rule);
    const maker = createSignedDocumentMaker({
      ...signedDocumentMaker,
      signRequests: storeProxied.functions.signRequests,
      documents: new DocumentStore(proxiedS3, bucket),
    });
    const bus = new LocalEventBus([
      { name: 'signed-documents', matches: () => true, consumer: maker, maxReceiveCount: 3, backoffBaseMs: 1 },
    ]);
    await bus.publish([await storedEventOf(id, 'SignRequestCompleted')]);
    await bus.idle();
    expect(faulted.applied()).toBe(1);
    const { stored } = await expectOneRecordMatchingItsBytes(id);
    expect(await signedObjectsOf(stored)).toHaveLength(objects);
  });

  it('no sealing key in place yet (SEALING_UNAVAILABLE): the make is retried, and made once the key is there', async () => {
    const app = await newApp();
    const id = await completedQuietly(quiet, app.token);
    let seals = 0;
    const maker = createSignedDocumentMaker({
      ...signedDocumentMaker,
      seal: (...args) => {
        seals++;
        return seals === 1 ? Promise.reject(transportRefusals.sealingUnavailable()) : signedDocumentMaker.seal(...args);
      },
    });
    const bus = new LocalEventBus([
      { name: 'signed-documents', matches: () => true, consumer: maker, maxReceiveCount: 3, backoffBaseMs: 1 },
    ]);
    await bus.publish([await storedEventOf(id, 'SignRequestCompleted')]);
    await bus.idle();
    expect(seals).toBe(2);
    const { stored } = await expectOneRecordMatchingItsBytes(id);
    expect(await signedObjectsOf(stored)).toHaveLength(1);
  });
});
