import { createHash } from 'node:crypto';
import { GetObjectCommand, GetObjectTaggingCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INLINE_DOCUMENT_BYTES } from '../../functions/core/document-limits.ts';
import { localS3Client } from '../../infra/local/embedded-s3.ts';
import { documentClient } from '../support/dependencies.ts';
import { pdfNamingEncryption, validPdf } from '../support/pdf-fixtures.ts';
import { injectStoreFault } from '../support/store-faults.ts';
import { storedRequestsOf } from '../support/stored-requests.ts';
import { initiate, newApp, signersNamed, startService, type Created, type Service } from '../support/service.ts';

/**
 * Initiate with an inline PDF, end to end: the real HTTP server, the embedded store, and the embedded S3 server
 * (s3rver) through the real SDK client. The bucket is this file's own (per-file-table.ts).
 */

const bucket = process.env.DOCUMENTS_BUCKET ?? '';
const s3 = localS3Client(process.env.S3_ENDPOINT ?? '');

let service: Service;
let heal: () => void = () => undefined;

beforeAll(async () => {
  service = await startService();
});
afterEach(() => heal());
afterAll(async () => {
  s3.destroy();
  await service.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const objectsOf = async (appId: string) => {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `documents/${appId}/` }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '');
};
const objectBytes = async (key: string) =>
  (await s3
    .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    .then((answer) => answer.Body?.transformToByteArray())) ?? new Uint8Array();
const lifecycleTagOf = async (key: string) => {
  const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  return TagSet?.find((tag) => tag.Key === 'lifecycle')?.Value;
};

const initiateBody = (token: string, bytes: Uint8Array | string, fileName = 'MSA.pdf') => ({
  appToken: token,
  documentName: 'Master Services Agreement',
  signers: signersNamed(2),
  document: {
    fileName,
    contentBase64: typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('base64'),
  },
});

interface ReadDocument {
  Document: { Name: string; Sha256: string; Size: number; Pages: number } | null;
}

const requestNumberOf = (created: { RequestNo: string }) => Number(created.RequestNo.split('-').at(-1));

describe('a request given a PDF inline', () => {
  it('keeps the very bytes: Read shows their SHA-256, size and pages, the bucket holds them, the document route serves them', async () => {
    const app = await newApp('Documents');
    const pdf = await validPdf({ pages: 3 });
    const created = await service.post<Created>(
      '/v1/sign-requests',
      initiateBody(app.token, pdf, 'Übersicht "Q1".pdf'),
    );
    expect(created.status).toBe(201);
    const id = created.Data.SignRequestId;

    const read = await service.get<ReadDocument>(`/v1/sign-requests/${id}`, bearer(app.token));
    expect(read.Data.Document).toEqual({
      Name: 'Übersicht "Q1".pdf',
      Sha256: sha256(pdf),
      Size: pdf.byteLength,
      Pages: 3,
    });

    const key = `documents/${app.appId}/${id}/original.pdf`;
    expect(await objectsOf(app.appId)).toEqual([key]);
    expect(Buffer.from(await objectBytes(key)).equals(Buffer.from(pdf))).toBe(true);
    expect(await lifecycleTagOf(key)).toBe('kept');

    const served = await fetch(`${service.baseUrl}/v1/sign-requests/${id}/document`, { headers: bearer(app.token) });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(served.headers.get('cache-control')).toBe('no-store');
    expect(served.headers.get('etag')).toBe(`"${sha256(pdf)}"`);
    expect(served.headers.get('content-disposition')).toBe(
      `inline; filename="_bersicht _Q1_.pdf"; filename*=UTF-8''${encodeURIComponent('Übersicht "Q1".pdf')}`,
    );
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);
  });

  it('is another app’s secret: its document route answers 404 as for an unknown request', async () => {
    const owner = await newApp('Owner');
    const other = await newApp('Other');
    const created = await initiate(service, owner.token, 1, {
      document: { fileName: 'a.pdf', contentBase64: Buffer.from(await validPdf({ pages: 1 })).toString('base64') },
    });
    for (const path of [
      `/v1/sign-requests/${created.SignRequestId}/document`,
      `/v1/sign-requests/01HV6MEARQD3X8ZXXX5FR3YDB8/document`,
    ]) {
      const answer = await service.get(path, bearer(other.token));
      expect(answer.status).toBe(404);
      expect(answer.FailRules.map((rule) => rule.Code)).toEqual(['SIGN_REQUEST_NOT_FOUND']);
    }
  });

  it('is optional: a request without one reads Document null and its document route is 404 DOCUMENT_NOT_FOUND', async () => {
    const app = await newApp('No document');
    const created = await initiate(service, app.token, 1);
    const read = await service.get<ReadDocument>(`/v1/sign-requests/${created.SignRequestId}`, bearer(app.token));
    expect(read.Data.Document).toBeNull();
    const answer = await service.get(`/v1/sign-requests/${created.SignRequestId}/document`, bearer(app.token));
    expect(answer.status).toBe(404);
    expect(answer.FailRules.map((rule) => rule.Code)).toEqual(['DOCUMENT_NOT_FOUND']);
    expect(await objectsOf(app.appId)).toEqual([]);
  });
});

describe('a document the service refuses', () => {
  const tooLarge = () => {
    const bytes = Buffer.alloc(MAX_INLINE_DOCUMENT_BYTES + 1, 0x20);
    bytes.write('%PDF-1.7\n', 0, 'latin1');
    return bytes;
  };
  const cases: [string, () => Record<string, unknown> | Promise<Record<string, unknown>>, number, string][] = [
    ['invalid base64', () => ({ fileName: 'a.pdf', contentBase64: 'JVBERi0x!!' }), 400, 'VALIDATION_FAILED'],
    [
      'a file name not ending in .pdf',
      async () => ({ fileName: 'a.docx', contentBase64: Buffer.from(await validPdf({ pages: 1 })).toString('base64') }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'not a PDF',
      () => ({ fileName: 'a.pdf', contentBase64: Buffer.from('<html>hello</html>').toString('base64') }),
      400,
      'DOCUMENT_INVALID',
    ],
    [
      'an encrypted PDF',
      async () => ({
        fileName: 'a.pdf',
        contentBase64: Buffer.from(await pdfNamingEncryption(false)).toString('base64'),
      }),
      400,
      'DOCUMENT_INVALID',
    ],
    [
      'a PDF one byte over 4 MiB',
      () => ({ fileName: 'a.pdf', contentBase64: tooLarge().toString('base64') }),
      400,
      'DOCUMENT_TOO_LARGE',
    ],
  ];

  it.each(cases)(
    '%s gets its code and makes nothing: no request, no object, no request number',
    async (_name, document, status, code) => {
      const app = await newApp('Refused documents');
      const first = await initiate(service, app.token, 1);
      const answer = await service.post('/v1/sign-requests', {
        appToken: app.token,
        documentName: 'X',
        signers: signersNamed(1),
        document: await document(),
      });
      expect(answer.status).toBe(status);
      expect(answer.FailRules.map((rule) => rule.Code)).toEqual([code]);
      expect(answer.Data).toBeNull();
      expect((await storedRequestsOf(app.appId)).map((request) => request.id)).toEqual([first.SignRequestId]);
      expect(await objectsOf(app.appId)).toEqual([]);
      // The refused call drew no number: the next request is numbered right after the first.
      const next = await initiate(service, app.token, 1);
      expect(requestNumberOf(next)).toBe(requestNumberOf(first) + 1);
    },
  );
});

describe('a store that fails after the document is put', () => {
  it('leaves no request, and the bytes tagged for the lifecycle rule, never kept', async () => {
    const app = await newApp('Store fault');
    const pdf = await validPdf({ pages: 2 });
    const fault = injectStoreFault(documentClient, 'outage', { operations: ['PutItem'] });
    heal = fault.heal;
    const answer = await service.post('/v1/sign-requests', initiateBody(app.token, pdf));
    heal();
    expect(answer.status).toBe(503);
    expect(fault.attempts.length).toBeGreaterThan(0);
    expect(await storedRequestsOf(app.appId)).toEqual([]);
    const keys = await objectsOf(app.appId);
    expect(keys).toHaveLength(1);
    expect(Buffer.from(await objectBytes(keys[0] ?? '')).equals(Buffer.from(pdf))).toBe(true);
    // s3rver drops the pending tag PutObject sets (S3 applies it with the object), so here the object reads as
    // untagged; what matters here is that it was never marked kept, which would keep it from the lifecycle rule.
    expect(await lifecycleTagOf(keys[0] ?? '')).not.toBe('kept');
  });
});

describe('an Idempotency-Key retry of an initiate with a document', () => {
  it('answers the first answer and stores nothing twice', async () => {
    const app = await newApp('Idempotent document');
    const body = initiateBody(app.token, await validPdf({ pages: 2 }));
    const headers = { 'idempotency-key': 'doc-retry-1' };
    const first = await service.post<Created>('/v1/sign-requests', body, headers);
    const retry = await service.post<Created>('/v1/sign-requests', body, headers);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.Data).toEqual(first.Data);
    expect((await storedRequestsOf(app.appId)).map((request) => request.id)).toEqual([first.Data.SignRequestId]);
    expect(await objectsOf(app.appId)).toEqual([`documents/${app.appId}/${first.Data.SignRequestId}/original.pdf`]);
  });
});
