import { createHash } from 'node:crypto';
import { GetObjectTaggingCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INLINE_DOCUMENT_BYTES, MAX_UPLOADED_DOCUMENT_BYTES } from '../../functions/core/document-limits.ts';
import { ABANDONED_CLAIM_MS, UPLOAD_URL_SECONDS } from '../../functions/core/upload.ts';
import { uploadRecordKey } from '../../functions/store/keys.ts';
import { localS3Client } from '../../infra/local/embedded-s3.ts';
import { config, documentClient } from '../support/dependencies.ts';
import { registerSecret } from '../support/log-guard.ts';
import { keyAttribute } from '../support/fault-proxy.ts';
import { pdfNamingEncryption, validPdf } from '../support/pdf-fixtures.ts';
import { proxiedFunctions } from '../support/proxied-functions.ts';
import { storedRequestsOf } from '../support/stored-requests.ts';
import {
  initiate,
  newApp,
  recallBody,
  signersNamed,
  startService,
  type Answer,
  type Created,
  type Service,
} from '../support/service.ts';

/**
 * Upload first, then initiate with its documentId, end to end: the real HTTP server, the embedded store, and
 * the embedded S3 server (s3rver) through the real SDK client, the PDF PUT with fetch to the presigned URL as a
 * client would. s3rver checks no signature, so what it proves is the service's side: the URL's shape, and every
 * check initiate makes of the bytes it reads back.
 */

const bucket = process.env.DOCUMENTS_BUCKET ?? '';
const s3 = localS3Client(process.env.S3_ENDPOINT ?? '');

let service: Service;
beforeAll(async () => {
  service = await startService();
});
afterAll(async () => {
  s3.destroy();
  await service.close();
});

type App = Awaited<ReturnType<typeof newApp>>;
interface Upload {
  DocumentId: string;
  UploadUrl: string;
  ExpiresAt: string;
}
interface ReadDocument {
  Document: { Name: string; Sha256: string; Size: number; Pages: number } | null;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const codesOf = (answer: Answer) => answer.FailRules.map((rule) => rule.Code);
const numberOf = (created: { RequestNo: string }) => Number(created.RequestNo.split('-').at(-1));

const declare = async (app: App, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const answer = await service.post<Upload>('/v1/documents', body, { ...bearer(app.token), ...headers });
  const signature = answer.Data ? new URL(answer.Data.UploadUrl).searchParams.get('X-Amz-Signature') : null;
  if (signature) registerSecret(signature);
  return answer;
};

/** Declares `declared` (the PDF's bytes by default) and PUTs `sent` to the URL, as a client does. */
const uploaded = async (app: App, sent: Uint8Array, declared: Uint8Array = sent, fileName = 'Big contract.pdf') => {
  const answer = await declare(app, { fileName, size: declared.byteLength, sha256: sha256(declared) });
  expect(answer.status).toBe(201);
  const put = await fetch(answer.Data.UploadUrl, {
    method: 'PUT',
    headers: { 'content-type': 'application/pdf' },
    body: sent,
  });
  expect(put.status).toBe(200);
  return answer.Data.DocumentId;
};

const initiateWith = (app: App, documentId: string, headers: Record<string, string> = {}, more = {}) =>
  service.post<Created>(
    '/v1/sign-requests',
    { appToken: app.token, documentName: 'Big contract', signers: signersNamed(2), documentId, ...more },
    headers,
  );

/** A ULID no request was ever made under. */
const NEVER_MADE = '01HV6MD1X7Y8Z9A0B1C2D3E4F9';

const uploadItem = async (app: App, documentId: string) =>
  (
    await documentClient.send(
      new GetCommand({
        TableName: config.tableName,
        Key: uploadRecordKey(app.appId, documentId),
        ConsistentRead: true,
      }),
    )
  ).Item;

const objectsUnder = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
    (object) => object.Key ?? '',
  );

describe('POST /v1/documents', () => {
  it('answers a ULID, a presigned PUT for exactly the declared size and type, and its expiry; records who may use it', async () => {
    const app = await newApp('Upload URL');
    const before = Date.now();
    const answer = await declare(app, { fileName: 'A.pdf', size: 1234, sha256: 'AB'.repeat(32) });
    expect(answer.status).toBe(201);
    expect(answer.FailRules).toEqual([]);
    const { DocumentId, UploadUrl, ExpiresAt } = answer.Data;
    expect(DocumentId).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);

    const url = new URL(UploadUrl);
    expect(`${url.protocol}//${url.host}`).toBe(process.env.S3_ENDPOINT);
    expect(url.pathname).toBe(`/${bucket}/uploads/${app.appId}/${DocumentId}.pdf`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(UPLOAD_URL_SECONDS));
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-length', 'content-type', 'host']);
    // No checksum of an empty body baked in: real S3 would hold every upload to it and refuse it.
    expect([...url.searchParams.keys()].filter((name) => name.toLowerCase().includes('checksum'))).toEqual([]);
    const expiresAt = Date.parse(ExpiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + UPLOAD_URL_SECONDS * 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + UPLOAD_URL_SECONDS * 1000);

    expect(await uploadItem(app, DocumentId)).toMatchObject({
      appId: app.appId,
      documentId: DocumentId,
      fileName: 'A.pdf',
      size: 1234,
      sha256: 'ab'.repeat(32),
      expiresAt: ExpiresAt,
    });
    expect((await uploadItem(app, DocumentId))?.usedBy).toBeUndefined();
  });

  it('replays the same upload and URL for a retry with the same Idempotency-Key, and makes one record', async () => {
    const app = await newApp('Upload retry');
    const body = { fileName: 'A.pdf', size: 99, sha256: 'c'.repeat(64) };
    const headers = { 'idempotency-key': 'upload-1' };
    const first = await declare(app, body, headers);
    const retry = await declare(app, body, headers);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.Data).toEqual(first.Data);
    const other = await declare(app, body, { 'idempotency-key': 'upload-2' });
    expect(other.Data.DocumentId).not.toBe(first.Data.DocumentId);
  });

  const refusedDeclarations: [string, Record<string, unknown>, string, string][] = [
    ['a size over 25 MiB', { size: MAX_UPLOADED_DOCUMENT_BYTES + 1 }, 'DOCUMENT_TOO_LARGE', 'size'],
    ['a size of 0', { size: 0 }, 'VALIDATION_FAILED', 'size'],
    ['a fractional size', { size: 1.5 }, 'VALIDATION_FAILED', 'size'],
    ['a sha256 that is not 64 hex', { sha256: 'z'.repeat(64) }, 'VALIDATION_FAILED', 'sha256'],
    ['a file name not ending in .pdf', { fileName: 'a.docx' }, 'VALIDATION_FAILED', 'fileName'],
    ['an unknown field', { contentBase64: 'JVBERi0=' }, 'VALIDATION_FAILED', 'contentBase64'],
  ];
  it.each(refusedDeclarations)(
    'refuses %s with 400 %s on its field, and records nothing',
    async (_, change, code, field) => {
      const app = await newApp('Refused upload');
      const answer = await declare(app, { fileName: 'a.pdf', size: 10, sha256: 'a'.repeat(64), ...change });
      expect(answer.status).toBe(400);
      expect(answer.FailRules).toEqual([expect.objectContaining({ Code: code, Field: field })]);
      expect(answer.Data).toBeNull();
    },
  );

  it('refuses a call without a valid app token, as every app route does', async () => {
    const answer = await service.post(
      '/v1/documents',
      { fileName: 'a.pdf', size: 10, sha256: 'a'.repeat(64) },
      bearer('nope'),
    );
    expect(answer.status).toBe(401);
    expect(codesOf(answer)).toEqual(['INVALID_APP_TOKEN']);
  });
});

describe('initiate with an uploaded document', () => {
  it('reads the PUT bytes, checks them and keeps them under the request: Read shows them, the document route serves them', async () => {
    const app = await newApp('Uploaded');
    // Larger than inline allows: what uploads are for.
    const pdf = await validPdf({ pages: 2, paddingBytes: MAX_INLINE_DOCUMENT_BYTES + 1024 });
    expect(pdf.byteLength).toBeGreaterThan(MAX_INLINE_DOCUMENT_BYTES);
    const documentId = await uploaded(app, pdf);

    const created = await initiateWith(app, documentId);
    expect(created.status).toBe(201);
    const id = created.Data.SignRequestId;
    const read = await service.get<ReadDocument>(`/v1/sign-requests/${id}`, bearer(app.token));
    expect(read.Data.Document).toEqual({
      Name: 'Big contract.pdf',
      Sha256: sha256(pdf),
      Size: pdf.byteLength,
      Pages: 2,
    });

    // Over 4 MiB its base64 would not fit Lambda's 6 MB answer: the route sends the caller to S3 for it.
    const key = `documents/${app.appId}/${id}/original.pdf`;
    const documentPath = `${service.baseUrl}/v1/sign-requests/${id}/document`;
    const redirect = await fetch(documentPath, { headers: bearer(app.token), redirect: 'manual' });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    const location = new URL(redirect.headers.get('location') ?? '');
    registerSecret(location.searchParams.get('X-Amz-Signature') ?? '');
    expect(`${location.protocol}//${location.host}${location.pathname}`).toBe(
      `${process.env.S3_ENDPOINT}/${bucket}/${key}`,
    );
    expect(location.searchParams.get('response-content-type')).toBe('application/pdf');
    const served = await fetch(documentPath, { headers: bearer(app.token) });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);

    // The signer's link too: sent to S3 for the very bytes, the link's token nowhere in where it is sent.
    const signerDocument = `${created.Data.Signers[0]!.SigningUrl}/document`;
    const signerRedirect = await fetch(signerDocument, { redirect: 'manual' });
    expect(signerRedirect.status).toBe(303);
    const signerLocation = signerRedirect.headers.get('location') ?? '';
    registerSecret(new URL(signerLocation).searchParams.get('X-Amz-Signature') ?? '');
    expect(signerLocation).toContain(`/${bucket}/${key}?`);
    expect(signerLocation).not.toContain(new URL(created.Data.Signers[0]!.SigningUrl).pathname.split('/').at(-1));
    const signerServed = await fetch(signerDocument);
    expect(signerServed.status).toBe(200);
    expect(Buffer.from(await signerServed.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);

    expect(await objectsUnder(`documents/${app.appId}/`)).toEqual([key]);
    const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
    expect(TagSet).toContainEqual({ Key: 'lifecycle', Value: 'kept' });
    expect(await uploadItem(app, documentId)).toMatchObject({ usedBy: id });
  });

  it('refuses a second request with the same documentId (409 DOCUMENT_ALREADY_USED); a keyed retry of the first gets its answer', async () => {
    const app = await newApp('One use');
    const documentId = await uploaded(app, await validPdf({ pages: 1 }));
    const keyed = { 'idempotency-key': 'initiate-upload-1' };
    const first = await initiateWith(app, documentId, keyed);
    expect(first.status).toBe(201);
    const retry = await initiateWith(app, documentId, keyed);
    expect(retry.status).toBe(201);
    expect(retry.Data).toEqual(first.Data);

    const unkeyed: Record<string, string> = {};
    for (const headers of [unkeyed, { 'idempotency-key': 'initiate-upload-2' }]) {
      const second = await initiateWith(app, documentId, headers);
      expect(second.status).toBe(409);
      expect(codesOf(second)).toEqual(['DOCUMENT_ALREADY_USED']);
      expect(second.FailRules[0]?.Message).toContain(first.Data.SignRequestId);
    }
    expect((await storedRequestsOf(app.appId)).map((request) => request.id)).toEqual([first.Data.SignRequestId]);
  });

  it('lets exactly one of several racing initiates use an upload; the others are 409 and make nothing', async () => {
    const app = await newApp('Upload race');
    const documentId = await uploaded(app, await validPdf({ pages: 1 }));
    const answers = await Promise.all(Array.from({ length: 4 }, () => initiateWith(app, documentId)));
    const winners = answers.filter((answer) => answer.status === 201);
    expect(winners).toHaveLength(1);
    for (const loser of answers.filter((answer) => answer.status !== 201)) {
      expect(loser.status).toBe(409);
      expect(codesOf(loser)).toEqual(['DOCUMENT_ALREADY_USED']);
    }
    const stored = await storedRequestsOf(app.appId);
    expect(stored.map((request) => request.id)).toEqual([winners[0]?.Data.SignRequestId]);
    expect(await uploadItem(app, documentId)).toMatchObject({ usedBy: winners[0]?.Data.SignRequestId });
    expect(await objectsUnder(`documents/${app.appId}/`)).toEqual([
      `documents/${app.appId}/${winners[0]?.Data.SignRequestId}/original.pdf`,
    ]);
  });

  it('lets a later request take over an upload whose claim was abandoned (its request never made), one of racers', async () => {
    const app = await newApp('Abandoned claim');
    const documentId = await uploaded(app, await validPdf({ pages: 1 }));
    // As an unkeyed initiate leaves it that claimed the upload and then failed before its create.
    const abandonClaim = (ageMs: number) =>
      documentClient.send(
        new UpdateCommand({
          TableName: config.tableName,
          Key: uploadRecordKey(app.appId, documentId),
          UpdateExpression: 'SET usedBy = :gone, usedAt = :at',
          ExpressionAttributeValues: { ':gone': NEVER_MADE, ':at': new Date(Date.now() - ageMs).toISOString() },
        }),
      );
    await abandonClaim(ABANDONED_CLAIM_MS - 10_000);
    const tooSoon = await initiateWith(app, documentId);
    expect(tooSoon.status).toBe(409);
    expect(codesOf(tooSoon)).toEqual(['DOCUMENT_ALREADY_USED']);

    await abandonClaim(ABANDONED_CLAIM_MS + 10_000);
    const answers = await Promise.all(Array.from({ length: 3 }, () => initiateWith(app, documentId)));
    const winners = answers.filter((answer) => answer.status === 201);
    expect(winners).toHaveLength(1);
    for (const loser of answers.filter((answer) => answer.status !== 201))
      expect(codesOf(loser)).toEqual(['DOCUMENT_ALREADY_USED']);
    const winner = winners[0]!.Data.SignRequestId;
    expect(await uploadItem(app, documentId)).toMatchObject({ usedBy: winner });
    expect((await storedRequestsOf(app.appId)).map((request) => request.id)).toEqual([winner]);
  });

  it('answers another app’s documentId exactly as an unknown one: 400 DOCUMENT_NOT_FOUND', async () => {
    const owner = await newApp('Owner');
    const other = await newApp('Other');
    const documentId = await uploaded(owner, await validPdf({ pages: 1 }));
    const foreign = await initiateWith(other, documentId);
    const unknown = await initiateWith(other, '01HV6MEARQD3X8ZXXX5FR3YDB8');
    expect(foreign.status).toBe(400);
    expect(foreign.FailRules).toEqual([
      { Code: 'DOCUMENT_NOT_FOUND', Message: 'No uploaded document has this documentId', Field: 'documentId' },
    ]);
    expect({ status: unknown.status, FailRules: unknown.FailRules }).toEqual({
      status: foreign.status,
      FailRules: foreign.FailRules,
    });
    // The owner may still use it.
    expect((await initiateWith(owner, documentId)).status).toBe(201);
  });

  it('refuses both document and documentId: 400 VALIDATION_FAILED', async () => {
    const app = await newApp('Both');
    const pdf = await validPdf({ pages: 1 });
    const documentId = await uploaded(app, pdf);
    const answer = await initiateWith(
      app,
      documentId,
      {},
      {
        document: { fileName: 'a.pdf', contentBase64: Buffer.from(pdf).toString('base64') },
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.FailRules).toEqual([expect.objectContaining({ Code: 'VALIDATION_FAILED', Field: 'documentId' })]);
    expect(await uploadItem(app, documentId)).not.toHaveProperty('usedBy');
  });

  const notPdf = Buffer.from('<html>hello</html>');
  const refused: [string, (app: App) => Promise<string>, string][] = [
    ['a malformed documentId', () => Promise.resolve('not-a-ulid'), 'VALIDATION_FAILED'],
    [
      'an upload whose bytes were never PUT',
      async (app) => {
        const pdf = await validPdf({ pages: 1 });
        const answer = await declare(app, { fileName: 'a.pdf', size: pdf.byteLength, sha256: sha256(pdf) });
        return answer.Data.DocumentId;
      },
      'DOCUMENT_NOT_UPLOADED',
    ],
    [
      'bytes larger than declared',
      async (app) => {
        const pdf = await validPdf({ pages: 1 });
        return uploaded(app, Buffer.concat([pdf, Buffer.from('\n%% more')]), pdf);
      },
      'DOCUMENT_TOO_LARGE',
    ],
    [
      'bytes smaller than declared',
      async (app) => {
        const pdf = await validPdf({ pages: 1 });
        return uploaded(app, pdf.subarray(0, pdf.byteLength - 10), pdf);
      },
      'DOCUMENT_HASH_MISMATCH',
    ],
    [
      'bytes of the declared size not hashing to the declared SHA-256',
      async (app) => {
        const pdf = await validPdf({ pages: 1 });
        const changed = Buffer.from(pdf);
        changed[changed.length - 20] = (changed[changed.length - 20] ?? 0) ^ 0xff;
        return uploaded(app, changed, pdf);
      },
      'DOCUMENT_HASH_MISMATCH',
    ],
    ['bytes that are no PDF', (app) => uploaded(app, notPdf), 'DOCUMENT_INVALID'],
    ['an encrypted PDF', async (app) => uploaded(app, await pdfNamingEncryption(false)), 'DOCUMENT_INVALID'],
    [
      'an upload past its use-by time',
      async (app) => {
        const documentId = await uploaded(app, await validPdf({ pages: 1 }));
        await documentClient.send(
          new UpdateCommand({
            TableName: config.tableName,
            Key: uploadRecordKey(app.appId, documentId),
            UpdateExpression: 'SET useBy = :past',
            ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
          }),
        );
        return documentId;
      },
      'DOCUMENT_UPLOAD_EXPIRED',
    ],
  ];
  it.each(refused)(
    'refuses %s with 400 %s and makes nothing: no request, no number, the upload unused',
    async (_, make, code) => {
      const app = await newApp('Refused uploads');
      const first = await initiate(service, app.token, 1);
      const documentId = await make(app);
      const answer = await initiateWith(app, documentId);
      expect(answer.status).toBe(400);
      expect(answer.FailRules).toEqual([expect.objectContaining({ Code: code, Field: 'documentId' })]);
      expect(answer.Data).toBeNull();
      expect((await storedRequestsOf(app.appId)).map((request) => request.id)).toEqual([first.SignRequestId]);
      expect(await objectsUnder(`documents/${app.appId}/`)).toEqual([]);
      if (code !== 'VALIDATION_FAILED') expect(await uploadItem(app, documentId)).not.toHaveProperty('usedBy');
      // The refused call drew no number: the next request is numbered right after the first.
      expect(numberOf(await initiate(service, app.token, 1))).toBe(numberOf(first) + 1);
    },
  );
});

describe('resend of a request holding a document', () => {
  it('makes the replacement hold the same document: the same Document on read, the same bytes served', async () => {
    const app = await newApp('Resent document');
    const pdf = await validPdf({ pages: 3 });
    const created = await initiateWith(app, await uploaded(app, pdf, pdf, 'Resent.pdf'));
    expect(created.status).toBe(201);
    const oldId = created.Data.SignRequestId;
    expect((await service.post('/v1/sign-requests/recall', recallBody(oldId, app.token))).status).toBe(200);
    const resent = await service.post<Created>(`/v1/sign-requests/${oldId}/resend`, undefined, bearer(app.token));
    expect(resent.status).toBe(201);
    const newId = resent.Data.SignRequestId;
    expect(newId).not.toBe(oldId);

    const [before, after] = await Promise.all(
      [oldId, newId].map((id) => service.get<ReadDocument>(`/v1/sign-requests/${id}`, bearer(app.token))),
    );
    expect(after?.Data.Document).toEqual({ Name: 'Resent.pdf', Sha256: sha256(pdf), Size: pdf.byteLength, Pages: 3 });
    expect(after?.Data.Document).toEqual(before?.Data.Document);
    const served = await fetch(`${service.baseUrl}/v1/sign-requests/${newId}/document`, { headers: bearer(app.token) });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);
  });

  it('keeps a request without a document without one', async () => {
    const app = await newApp('Resent, no document');
    const created = await initiate(service, app.token, 1);
    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
      200,
    );
    const resent = await service.post<Created>(
      `/v1/sign-requests/${created.SignRequestId}/resend`,
      undefined,
      bearer(app.token),
    );
    const read = await service.get<ReadDocument>(`/v1/sign-requests/${resent.Data.SignRequestId}`, bearer(app.token));
    expect(read.Data.Document).toBeNull();
  });
});

describe('a claim of an upload whose answer is lost', () => {
  it.each(['forward-then-reset', 'forward-then-500'] as const)(
    '(%s) is recognised as the request’s own on the SDK’s retry: one request, the upload its',
    async (fault) => {
      const { proxy, functions, close } = await proxiedFunctions();
      const proxiedService = await startService(functions);
      try {
        const app = await newApp('Lost claim');
        const pdf = await validPdf({ pages: 1 });
        const documentId = await uploaded(app, pdf);
        proxy.plan({
          operation: 'UpdateItem',
          where: (body) => keyAttribute(body, 'pk')?.startsWith('UPLOAD#') === true,
          fault,
        });
        const created = await proxiedService.post<Created>('/v1/sign-requests', {
          appToken: app.token,
          documentName: 'Lost claim',
          signers: signersNamed(1),
          documentId,
        });
        // The claim landed and its answer was lost; the retry met the store's condition as its own.
        const faulted = proxy.log().filter((entry) => entry.fault === fault);
        expect(faulted.map((entry) => [entry.operation, entry.landed, entry.storeStatus])).toEqual([
          ['UpdateItem', true, 200],
        ]);
        expect(created.status).toBe(201);
        expect((await storedRequestsOf(app.appId)).map((request) => request.id)).toEqual([created.Data.SignRequestId]);
        expect(await uploadItem(app, documentId)).toMatchObject({ usedBy: created.Data.SignRequestId });
      } finally {
        await proxiedService.close();
        await close();
      }
    },
  );

  it('a keyed initiate that failed after its claim landed is completed by its retry with the key; an unkeyed one is refused', async () => {
    const { proxy, functions, close } = await proxiedFunctions();
    const proxiedService = await startService(functions);
    try {
      const app = await newApp('Claimed, not created');
      const documentId = await uploaded(app, await validPdf({ pages: 1 }));
      const body = { appToken: app.token, documentName: 'Claimed', signers: signersNamed(1), documentId };
      const keyed = { 'idempotency-key': 'claimed-not-created' };
      // Every attempt to create the request fails: the call answers 503 after the upload was claimed for it.
      proxy.plan({
        operation: 'PutItem',
        where: (request) => keyAttribute(request, 'pk')?.startsWith('SR#') === true,
        fault: 'answer-500',
        times: Infinity,
      });
      const failed = await proxiedService.post('/v1/sign-requests', body, keyed);
      expect(failed.status).toBe(503);
      const claimedFor: unknown = (await uploadItem(app, documentId))?.usedBy;
      expect(claimedFor).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
      expect(await storedRequestsOf(app.appId)).toEqual([]);
      proxy.reset();

      const other = await proxiedService.post('/v1/sign-requests', body);
      expect(other.status).toBe(409);
      expect(codesOf(other)).toEqual(['DOCUMENT_ALREADY_USED']);
      const retried = await proxiedService.post<Created>('/v1/sign-requests', body, keyed);
      expect(retried.status).toBe(201);
      expect(retried.Data.SignRequestId).toBe(claimedFor);
      expect((await storedRequestsOf(app.appId)).map((request) => request.id)).toEqual([claimedFor]);
    } finally {
      await proxiedService.close();
      await close();
    }
  });
});
