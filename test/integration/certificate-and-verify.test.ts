import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signedRanges } from '../../functions/documents/signed-ranges.ts';
import { SealRefusal } from '../../functions/documents/verify-seal.ts';
import { sealingKeySource } from '../../functions/wiring/sealing-key.ts';
import { httpDependencies, logger } from '../support/dependencies.ts';
import { captureWrites, registerSecret } from '../support/log-guard.ts';
import { pdfText, pdfsig } from '../support/pdf-tools.ts';
import { sampleOriginal } from '../support/sample-pdfs.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

// GET /v1/sign-requests/{id}/certificate and POST /v1/verify through the real HTTP server and the embedded store:
// what an app downloads is sealed over the whole file (poppler's pdfsig, independent of this code) and states the
// request's facts (pdftotext); what anyone uploads gets a verdict, naming a request only for an intact seal of ours.

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;
let other: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  // This file's sealing key (test/support/per-file-table.ts): no line of its private key may reach a log.
  const { privateKeyPem } = JSON.parse(process.env.SEALING_KEY_PEM ?? '{}') as { privateKeyPem?: string };
  for (const line of privateKeyPem?.split('\n') ?? []) if (!line.startsWith('-----')) registerSecret(line);
  service = await startService();
  [app, other] = await Promise.all([newApp('Acme Contracts'), newApp('Other Corp')]);
});
afterAll(() => service.close());

const certificate = (id: string, token = app.token) =>
  fetch(`${service.baseUrl}/v1/sign-requests/${id}/certificate`, { headers: { authorization: `Bearer ${token}` } });

/** The certificate's bytes, having checked it is answered as a sealed PDF download. */
const certificatePdf = async (id: string, requestNo: string): Promise<Buffer> => {
  const response = await certificate(id);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  expect(response.headers.get('content-disposition')).toBe(
    `attachment; filename="${requestNo}-certificate.pdf"; filename*=UTF-8''${requestNo}-certificate.pdf`,
  );
  expect(response.headers.get('cache-control')).toBe('no-store');
  const pdf = Buffer.from(await response.arrayBuffer());
  expect(Number(response.headers.get('content-length'))).toBe(pdf.byteLength);
  return pdf;
};

const expectSealedWhole = async (pdf: Buffer) => {
  const report = await pdfsig(pdf);
  expect(report.stdout).toContain('Signature #1:');
  expect(report.stdout).not.toContain('Signature #2:');
  expect(report.stdout).toContain('Signature Validation: Signature is Valid.');
  expect(report.stdout).toContain('Total document signed');
};

const verify = async (body: Uint8Array | string, contentType = 'application/pdf') => {
  const response = await fetch(`${service.baseUrl}/v1/verify`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: response.status, ...((await response.json()) as { FailRules: { Code: string }[]; Data: unknown }) };
};

const sign = (link: string, signedName: string) =>
  service.post(`${signingPath(link)}/sign`, { signedName }, { 'user-agent': 'CertificateTest/1.0' });

describe('GET /v1/sign-requests/{signRequestId}/certificate', () => {
  it('of a completed request: sealed over the whole file, every signer with typed name and times, COMPLETED', async () => {
    const created = await initiate(service, app.token, 2);
    const [first, second] = created.Signers;
    await service.get(signingPath(first!.SigningUrl));
    expect((await sign(first!.SigningUrl, 'Signer One Typed')).status).toBe(200);
    expect((await sign(second!.SigningUrl, 'Signer Two Typed')).status).toBe(200);

    const pdf = await certificatePdf(created.SignRequestId, created.RequestNo);
    await expectSealedWhole(pdf);
    const text = await pdfText(pdf);
    for (const fact of [
      created.RequestNo,
      created.SignRequestId,
      'Acme Contracts',
      'This request carries no document.',
      'Outcome: COMPLETED',
      'Signer 1',
      'signer1@example.com',
      'Signer One Typed',
      'Signer 2',
      'signer2@example.com',
      'Signer Two Typed',
      'SIGNED',
    ])
      expect(text, fact).toContain(fact);
  });

  it('of a recalled request: RECALLED, by whom, when and why', async () => {
    const created = await initiate(service, app.token, 2);
    expect((await sign(created.Signers[0]!.SigningUrl, 'Signer One Typed')).status).toBe(200);
    const recall = await service.post('/v1/sign-requests/recall', {
      ...recallBody(created.SignRequestId, app.token),
      recallReason: 'Fee in clause 4 raised by mistake',
      recalledBy: 'Mohit Bansal',
    });
    expect(recall.status).toBe(200);
    const read = await service.get<{ Recall: { At: string } }>(`/v1/sign-requests/${created.SignRequestId}`, {
      authorization: `Bearer ${app.token}`,
    });

    const pdf = await certificatePdf(created.SignRequestId, created.RequestNo);
    await expectSealedWhole(pdf);
    const text = await pdfText(pdf);
    expect(text).toContain('Outcome: RECALLED');
    expect(text).toContain('Mohit Bansal');
    expect(text).toContain('Fee in clause 4 raised by mistake');
    // The time as stored, in whatever form the certificate shows it: its date and its minute at least.
    expect(text).toContain(read.Data.Recall.At.slice(0, 10));
    expect(text).toContain(read.Data.Recall.At.slice(11, 16));
    expect(text).toContain('Signer One Typed');
  });

  it('of a declined request: DECLINED, by whom and why', async () => {
    const created = await initiate(service, app.token, 2);
    const declined = await service.post(`${signingPath(created.Signers[1]!.SigningUrl)}/decline`, {
      reason: 'The rate in clause 7 is wrong',
    });
    expect(declined.status).toBe(200);
    const pdf = await certificatePdf(created.SignRequestId, created.RequestNo);
    await expectSealedWhole(pdf);
    const text = await pdfText(pdf);
    expect(text).toContain('Outcome: DECLINED');
    expect(text).toContain('Signer 2');
    expect(text).toContain('The rate in clause 7 is wrong');
  });

  it('of an open request: OPEN, the signers still pending', async () => {
    const created = await initiate(service, app.token, 2);
    const pdf = await certificatePdf(created.SignRequestId, created.RequestNo);
    await expectSealedWhole(pdf);
    const text = await pdfText(pdf);
    expect(text).toContain('Outcome: OPEN');
    expect(text).toContain('PENDING');
    expect(text).not.toContain('Typed');
  });

  it("is 404 for another app's request and for an unknown id, as the read is", async () => {
    const created = await initiate(service, app.token, 1);
    for (const [id, token] of [
      [created.SignRequestId, other.token],
      ['01M8FV8KRECGNRESTKQSW6EJET', app.token],
      ['not-an-id', app.token],
    ] as const) {
      const response = await certificate(id, token);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { FailRules: { Code: string }[] }).FailRules[0]?.Code).toBe(
        'SIGN_REQUEST_NOT_FOUND',
      );
    }
    expect((await certificate(created.SignRequestId, 'esr_wrong-token-for-this-test')).status).toBe(401);
  });
});

describe('POST /v1/verify', () => {
  it('tells the certificate just fetched as valid, with its ids and the current status, also after a recall', async () => {
    const created = await initiate(service, app.token, 2);
    const pdf = await certificatePdf(created.SignRequestId, created.RequestNo);
    const sha256 = createHash('sha256').update(pdf).digest('hex');

    const before = await verify(pdf);
    expect(before).toEqual({
      status: 200,
      FailRules: [],
      Data: {
        Valid: true,
        SignRequestId: created.SignRequestId,
        RequestNo: created.RequestNo,
        Status: 'PENDING',
        Sha256: sha256,
      },
    });
    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
      200,
    );
    expect((await verify(pdf)).Data).toMatchObject({
      Valid: true,
      SignRequestId: created.SignRequestId,
      Status: 'CANCELLED',
    });
  });

  it('tells a file with one byte changed, one sealed by nobody and garbage as not valid, naming no request', async () => {
    const created = await initiate(service, app.token, 1);
    const pdf = await certificatePdf(created.SignRequestId, created.RequestNo);
    // A byte the seal covers: halfway into the bytes before the signature's gap (the pages' content).
    const changed = Buffer.from(pdf);
    const at = Math.floor(signedRanges(pdf)[0]!.gapStart / 2);
    changed[at] = changed[at]! ^ 0x01;
    const verdicts = [
      [changed, SealRefusal.changed],
      [Buffer.from(await sampleOriginal(1)), SealRefusal.notSealed],
      [Buffer.from('this is not a PDF at all'), SealRefusal.notPdf],
    ] as const;
    for (const [file, reason] of verdicts) {
      const answer = await verify(file);
      expect(answer).toEqual({ status: 200, FailRules: [], Data: { Valid: false, Reason: reason } });
      expect(JSON.stringify(answer)).not.toContain(created.SignRequestId);
    }
  });

  it('refuses an empty body (400) and a body that is not application/pdf (415), in the envelope', async () => {
    const empty = await verify(new Uint8Array());
    expect(empty.status).toBe(400);
    expect(empty.FailRules[0]?.Code).toBe('VALIDATION_FAILED');
    const json = await verify(JSON.stringify({ pdf: 'x' }), 'application/json');
    expect(json.status).toBe(415);
    expect(json.FailRules[0]?.Code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a body over its limit with 413', async () => {
    const answer = await verify(Buffer.alloc(4 * 1024 * 1024 + 1, 0x25));
    expect(answer.status).toBe(413);
    expect(answer.FailRules[0]?.Code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('without a sealing key in place', () => {
  it('answers 503 SEALING_UNAVAILABLE for the certificate and verify, and tells the operator why', async () => {
    const placeholder = JSON.stringify({ privateKeyPem: 'REPLACE ME', certificatePem: 'REPLACE ME' });
    const unsealed = await startService({
      ...httpDependencies,
      sealingKey: sealingKeySource({ SEALING_KEY_SECRET_ARN: 'arn:aws:secretsmanager:placeholder' }, logger, () =>
        Promise.resolve(placeholder),
      ),
    });
    const writes = captureWrites();
    try {
      const created = await initiate(unsealed, app.token, 1);
      const response = await fetch(`${unsealed.baseUrl}/v1/sign-requests/${created.SignRequestId}/certificate`, {
        headers: { authorization: `Bearer ${app.token}` },
      });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { FailRules: { Code: string }[] }).FailRules[0]?.Code).toBe(
        'SEALING_UNAVAILABLE',
      );
      const verified = await fetch(`${unsealed.baseUrl}/v1/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/pdf' },
        body: '%PDF-1.7',
      });
      expect(verified.status).toBe(503);
      // One error line for the operator, saying what is wrong with the secret; no stack, no second look within 30 s.
      const reasons = writes
        .flatMap((write) => write.split('\n').filter(Boolean))
        .map((line) => JSON.parse(line) as { level: string; message: string; reason?: string })
        .filter((entry) => entry.message.startsWith('sealing key unavailable'));
      expect(reasons).toEqual([
        expect.objectContaining({
          level: 'ERROR',
          reason: 'The sealing key is not a PEM private key',
        }),
      ]);
    } finally {
      vi.restoreAllMocks();
      await unsealed.close();
    }
  });
});
