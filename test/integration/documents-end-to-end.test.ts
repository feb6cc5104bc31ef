import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestCertificateFacts } from '../../functions/documents/request-certificate-facts.ts';
import { factsToFind } from '../support/certificate-facts.ts';
import { bytesChromiumReceives, launchChromium } from '../support/chromium.ts';
import { signRequests } from '../support/dependencies.ts';
import { runNpmStart } from '../support/npm-start.ts';
import { pageCount, pdfsig, pdfText } from '../support/pdf-tools.ts';
import { originalPageText, sampleOriginal } from '../support/sample-pdfs.ts';
import { newApp } from '../support/service.ts';

/**
 * Issue 18's "done when", in one walk through `npm start` (a child process, as a developer runs it, on the test
 * run's embedded store and S3 server), its real HTTP server, its mail pipeline and local mailbox, and Chromium:
 * a PDF given both ways, read by a signer in the browser, signed twice, sealed into the signed document; a recall
 * sealed into a certificate; verify telling a sealed file from one a byte off; another app shown nothing.
 */

type Server = Awaited<ReturnType<typeof runNpmStart>>;
interface Answer<T> {
  status: number;
  headers: Headers;
  FailRules: { Code: string; Message: string }[];
  Data: T;
}
interface Created {
  SignRequestId: string;
  RequestNo: string;
  Signers: { SignerId: string; Email: string; SigningUrl: string }[];
}
interface MailboxEntry {
  To: string;
  Kind: string;
  Text: string;
  SignRequestId: string;
  Attachments?: { FileName: string; ContentBase64: string }[];
}

let server: Server;
let browser: Browser;
let app: Awaited<ReturnType<typeof newApp>>;
let other: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  app = await newApp('Acme Contracts');
  other = await newApp('Other Corp');
  // This file's table, bucket and sealing key (test/support/per-file-table.ts): the test reads what npm start wrote.
  server = await runNpmStart({
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT ?? '',
    TABLE_NAME: process.env.TABLE_NAME ?? '',
    S3_ENDPOINT: process.env.S3_ENDPOINT ?? '',
    DOCUMENTS_BUCKET: process.env.DOCUMENTS_BUCKET ?? '',
  });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const call = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<Answer<T>> => {
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await response.json()) as { FailRules: Answer<T>['FailRules']; Data: T };
  return { status: response.status, headers: response.headers, ...parsed };
};

const bytesOf = async (path: string, token?: string) => {
  const response = await fetch(`${server.base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every mail the local mailbox holds for a request (the pipeline runs beside the server: wait for what is due). */
const mailFor = async (signRequestId: string, until: (mail: MailboxEntry[]) => boolean): Promise<MailboxEntry[]> => {
  for (let attempt = 0; attempt < 200; attempt++) {
    const answer = await call<MailboxEntry[]>('GET', '/local/mail.json');
    const mail = answer.Data.filter((entry) => entry.SignRequestId === signRequestId);
    if (until(mail)) return mail;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the mail awaited for ${signRequestId} never came`);
};

const linkIn = (mail: MailboxEntry[], email: string): string => {
  const link = /https?:\/\/\S+/.exec(
    mail.find((entry) => entry.Kind === 'INVITATION' && entry.To === email)?.Text ?? '',
  )?.[0];
  if (!link) throw new Error(`no invitation with a link reached ${email}`);
  return link;
};

const signers = [
  { name: 'Asha Rao', email: 'asha@example.com' },
  { name: 'Ben Okafor', email: 'ben@example.com' },
];

const expectSealedWhole = async (pdf: Uint8Array) => {
  const report = await pdfsig(pdf);
  expect(report.stdout).toContain('Signature is Valid');
  expect(report.stdout).toContain('Total document signed');
};

describe('documents and evidence, end to end through npm start', () => {
  it('an inline PDF: read in Chromium, signed by two, sealed into the signed document with every fact', async () => {
    const original = await sampleOriginal(3);
    const created = await call<Created>('POST', '/v1/sign-requests', undefined, {
      appToken: app.token,
      documentName: 'Master Services Agreement.pdf',
      requestedBy: 'Mohit Bansal',
      signers,
      document: { fileName: 'Master Services Agreement.pdf', contentBase64: Buffer.from(original).toString('base64') },
    });
    expect(created.status).toBe(201);
    const id = created.Data.SignRequestId;
    const invitations = await mailFor(id, (mail) => mail.filter((entry) => entry.Kind === 'INVITATION').length === 2);

    // Asha opens her link in Chromium, sees the document's SHA-256, opens the document, then signs.
    const context = await browser.newContext();
    const page = await context.newPage();
    const ashaLink = linkIn(invitations, signers[0]!.email);
    await page.goto(ashaLink);
    await expect(page.locator('main').textContent()).resolves.toContain(sha256(original));
    // The link opens a new tab; followed in this one, where Chromium's own network stack shows what it received.
    await page.evaluate(`document.querySelector('a[href$="/document"]').removeAttribute('target')`);
    const received = await bytesChromiumReceives(page, '*/document', () =>
      page.locator('a[href$="/document"]').click(),
    );
    expect(received).toEqual({ status: 200, contentType: 'application/pdf', sha256: sha256(original) });
    await page.goBack();
    await page.getByLabel('Type your full name to sign').fill('Asha Rao');
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    await page.getByText('Thank you: you signed').waitFor();
    await context.close();

    // Ben signs through the link's JSON API.
    const benLink = new URL(linkIn(invitations, signers[1]!.email));
    const benSigned = await call('POST', `${benLink.pathname}/sign`, undefined, { signedName: 'Ben Okafor' });
    expect(benSigned.status).toBe(200);

    // The signed document is made by the completion event's consumer: not ready, then ready.
    let signed: Awaited<ReturnType<typeof bytesOf>> | undefined;
    for (let attempt = 0; attempt < 300 && signed?.status !== 200; attempt++) {
      signed = await bytesOf(`/v1/sign-requests/${id}/signed-document`, app.token);
      if (signed.status !== 200) {
        expect(signed.status).toBe(409);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(signed?.status).toBe(200);
    const signedPdf = signed!.bytes;
    await expectSealedWhole(signedPdf);
    const request = await signRequests.get(id);
    if (!request) throw new Error('the request is gone');
    expect(request.signedDocument?.sha256).toBe(sha256(signedPdf));
    expect(await pageCount(signedPdf)).toBeGreaterThan(3);
    const text = await pdfText(signedPdf);
    for (let page = 1; page <= 3; page++) expect(text).toContain(originalPageText(page, 3));
    const facts = requestCertificateFacts(request, 'Acme Contracts', new Date().toISOString());
    for (const fact of factsToFind(facts).filter((fact) => fact !== facts.issuedAt)) expect(text, fact).toContain(fact);
    expect(text).toContain('Outcome: COMPLETED');

    // Read shows the document and the signed document; the signer's link now serves the signed document.
    const read = await call<{ Document: { Sha256: string }; SignedDocument: { Sha256: string; Size: number } }>(
      'GET',
      `/v1/sign-requests/${id}`,
      app.token,
    );
    expect(read.Data.Document.Sha256).toBe(sha256(original));
    expect(read.Data.SignedDocument).toEqual({ Sha256: sha256(signedPdf), Size: signedPdf.byteLength });
    expect(sha256((await bytesOf(`${benLink.pathname}/document`)).bytes)).toBe(sha256(signedPdf));

    // The completion mail reaches both signers with the very file attached.
    const completed = (await mailFor(id, (mail) => mail.filter((entry) => entry.Kind === 'COMPLETED').length >= 2))
      .filter((entry) => entry.Kind === 'COMPLETED')
      .filter((entry) => signers.some((signer) => signer.email === entry.To));
    expect(completed.map((entry) => entry.To).sort()).toEqual(signers.map((signer) => signer.email).sort());
    for (const entry of completed)
      expect(sha256(Buffer.from(entry.Attachments?.[0]?.ContentBase64 ?? '', 'base64')), entry.To).toBe(
        sha256(signedPdf),
      );

    // Another app sees none of it.
    for (const path of ['', '/document', '/certificate', '/signed-document'])
      expect((await bytesOf(`/v1/sign-requests/${id}${path}`, other.token)).status, path).toBe(404);
  }, 180_000);

  it('an uploaded PDF: recalled, sealed into a certificate that says so, its link gone, verify tells a byte', async () => {
    const original = await sampleOriginal(2);
    const upload = await call<{ DocumentId: string; UploadUrl: string }>('POST', '/v1/documents', app.token, {
      fileName: 'Statement of Work 7.pdf',
      size: original.byteLength,
      sha256: sha256(original),
    });
    expect(upload.status).toBe(201);
    const put = await fetch(upload.Data.UploadUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: original,
    });
    expect(put.ok).toBe(true);
    const created = await call<Created>('POST', '/v1/sign-requests', undefined, {
      appToken: app.token,
      documentName: 'Statement of Work 7.pdf',
      signers,
      documentId: upload.Data.DocumentId,
    });
    expect(created.status).toBe(201);
    const id = created.Data.SignRequestId;
    expect(sha256((await bytesOf(`/v1/sign-requests/${id}/document`, app.token)).bytes)).toBe(sha256(original));
    const invitations = await mailFor(id, (mail) => mail.filter((entry) => entry.Kind === 'INVITATION').length === 2);
    const ashaLink = new URL(linkIn(invitations, signers[0]!.email));
    expect(sha256((await bytesOf(`${ashaLink.pathname}/document`)).bytes)).toBe(sha256(original));

    const recall = await call('POST', '/v1/sign-requests/recall', undefined, {
      signRequestId: id,
      appToken: app.token,
      recallReason: 'Fee in clause 4 raised by mistake',
      recalledBy: 'Mohit Bansal',
    });
    expect(recall).toMatchObject({ status: 200, FailRules: [], Data: true });

    const read = await call<{ History: { Event: string; Ip?: string }[] }>('GET', `/v1/sign-requests/${id}`, app.token);
    const recalledFrom = read.Data.History.find((entry) => entry.Event === 'RECALLED')?.Ip;
    expect(recalledFrom).toBeDefined();

    const certificate = await bytesOf(`/v1/sign-requests/${id}/certificate`, app.token);
    expect(certificate.status).toBe(200);
    await expectSealedWhole(certificate.bytes);
    const text = await pdfText(certificate.bytes);
    for (const fact of ['Outcome: RECALLED', 'Mohit Bansal', 'Fee in clause 4 raised by mistake', recalledFrom!])
      expect(text, fact).toContain(fact);

    const gone = await call('GET', `${ashaLink.pathname}/document`);
    expect(gone.status).toBe(410);
    expect(gone.FailRules[0]?.Message).toMatch(/recalled/i);
    expect((await bytesOf(`/v1/sign-requests/${id}/signed-document`, app.token)).status).toBe(409);

    const verify = (pdf: Uint8Array) =>
      fetch(`${server.base}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf })
        .then((response) => response.json())
        .then((body) => (body as { Data: { Valid: boolean; SignRequestId?: string; Status?: string } }).Data);
    expect(await verify(certificate.bytes)).toMatchObject({ Valid: true, SignRequestId: id, Status: 'CANCELLED' });
    const changed = Uint8Array.from(certificate.bytes);
    const at = changed.byteLength >> 1;
    changed[at] = changed[at]! ^ 0x01;
    expect(await verify(changed)).toMatchObject({ Valid: false });

    for (const path of ['', '/document', '/certificate', '/signed-document'])
      expect((await bytesOf(`/v1/sign-requests/${id}${path}`, other.token)).status, path).toBe(404);
  }, 180_000);
});
