import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import { validPdf } from '../support/pdf-fixtures.ts';
import { recordSignedDocument as recordSigned } from '../support/signed-documents.ts';
import { moveDeadlineIntoThePast } from '../support/stored-requests.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

/**
 * GET /v1/signing/{token}/document end to end: the real HTTP server, the embedded store and the embedded S3
 * server through the real SDK clients, on this file's own table and bucket (per-file-table.ts).
 */

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;
beforeAll(async () => {
  service = await startService();
  app = await newApp('Signer documents');
});
afterAll(() => service.close());

/** What Chromium sends when it navigates to a page (and so when it follows the page's link to the document). */
const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const fetchPath = async (path: string, accept?: string) => {
  const response = await fetch(`${service.baseUrl}${path}`, accept ? { headers: { accept } } : {});
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
};
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const envelopeOf = (bytes: Uint8Array) =>
  JSON.parse(text(bytes)) as { FailRules: { Code: string; Message: string }[]; Data: unknown };

const withDocument = async (pdf: Uint8Array, fileName: string, extra: Record<string, unknown> = {}) =>
  initiate(service, app.token, 2, {
    document: { fileName, contentBase64: Buffer.from(pdf).toString('base64') },
    ...extra,
  });

/** The state paragraph of the signer's page: its title and its detail, exactly as the page writes them. */
const stateOfPage = (html: string) => {
  const match = /<div class="state[^"]*" role="status"><p><strong>(.*?)<\/strong><\/p><p>(.*?)<\/p><\/div>/s.exec(html);
  if (!match) throw new Error(`no state on the page: ${html}`);
  return { title: match[1]!, detail: match[2]! };
};

const recordSignedDocument = (signRequestId: string, bytes: Uint8Array) =>
  recordSigned(app.appId, signRequestId, bytes);

describe('an open request: the original, to the signer', () => {
  it('serves the very bytes with the page’s security headers, to API clients and browsers alike', async () => {
    const pdf = await validPdf({ pages: 3 });
    const created = await withDocument(pdf, 'Übersicht "Q1".pdf');
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const page = await fetchPath(link, BROWSER_ACCEPT);
    expect(page.status).toBe(200);

    for (const accept of [undefined, 'application/json', BROWSER_ACCEPT]) {
      const served = await fetchPath(`${link}/document`, accept);
      expect(served.status, accept).toBe(200);
      expect(sha256(served.bytes)).toBe(sha256(pdf));
      const header = (name: string) => served.headers.get(name);
      expect(header('content-type')).toBe('application/pdf');
      expect(header('content-disposition')).toBe(
        `inline; filename="_bersicht _Q1_.pdf"; filename*=UTF-8''${encodeURIComponent('Übersicht "Q1".pdf')}`,
      );
      expect(header('content-length')).toBe(String(pdf.byteLength));
      expect(header('etag')).toBe(`"${sha256(pdf)}"`);
      expect(header('cache-control')).toBe('no-store');
      expect(header('x-content-type-options')).toBe('nosniff');
      // The page's own policy and protections, as the page itself sends them.
      for (const name of ['content-security-policy', 'referrer-policy', 'x-frame-options']) {
        expect(header(name), name).toBe(page.headers.get(name));
        expect(header(name), name).toBeTruthy();
      }
    }
  });

  it('is linked from the page wherever the page is shown: the link, with a trailing slash, after a refused form', async () => {
    const created = await withDocument(await validPdf({ pages: 1 }), 'linked.pdf');
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const documentHrefOf = (html: string, shownAt: string) => {
      const href = /<a href="([^"]*)"[^>]*>Open the document \(PDF\)<\/a>/.exec(html)?.[1];
      return href === undefined ? undefined : new URL(href, `${service.baseUrl}${shownAt}`).pathname;
    };
    for (const shownAt of [link, `${link}/`]) {
      expect(documentHrefOf(text((await fetchPath(shownAt, BROWSER_ACCEPT)).bytes), shownAt)).toBe(`${link}/document`);
    }
    for (const shownAt of [`${link}/sign`, `${link}/sign/`]) {
      const refused = await fetch(`${service.baseUrl}${shownAt}`, {
        method: 'POST',
        headers: { accept: BROWSER_ACCEPT, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'signedName=%20',
      });
      expect(refused.status).toBe(400);
      expect(documentHrefOf(await refused.text(), shownAt)).toBe(`${link}/document`);
    }
  });

  it('records nothing: no VIEWED entry, no ViewedAt, no new version, however often it is opened', async () => {
    const created = await withDocument(await validPdf({ pages: 1 }), 'a.pdf');
    const before = await signRequests.get(created.SignRequestId);
    const link = signingPath(created.Signers[1]!.SigningUrl);
    for (let i = 0; i < 3; i++) expect((await fetchPath(`${link}/document`, BROWSER_ACCEPT)).status).toBe(200);
    const after = await signRequests.get(created.SignRequestId);
    expect(after).toEqual(before);
    expect(after?.signers[created.Signers[1]!.SignerId]?.viewedAt).toBeUndefined();
  });

  it('still serves the original to a signer who has signed while others have not (PARTIALLY_SIGNED)', async () => {
    const pdf = await validPdf({ pages: 2 });
    const created = await withDocument(pdf, 'b.pdf');
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const signed = await service.post<{ Status: string }>(`${link}/sign`, { signedName: 'Signer 1' });
    expect(signed.Data.Status).toBe('PARTIALLY_SIGNED');
    for (const signer of created.Signers) {
      const served = await fetchPath(`${signingPath(signer.SigningUrl)}/document`);
      expect(served.status).toBe(200);
      expect(sha256(served.bytes)).toBe(sha256(pdf));
    }
  });

  it('is 404 DOCUMENT_NOT_FOUND for a request without a document, and a page saying so to a browser', async () => {
    const created = await initiate(service, app.token, 1);
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const json = await fetchPath(`${link}/document`);
    expect(json.status).toBe(404);
    expect(envelopeOf(json.bytes)).toEqual({
      FailRules: [{ Code: 'DOCUMENT_NOT_FOUND', Message: 'This sign request carries no document' }],
      Data: null,
    });
    const html = await fetchPath(`${link}/document`, BROWSER_ACCEPT);
    expect(html.status).toBe(404);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(text(html.bytes)).toContain('<h1>This request carries no document</h1>');
    // The page says so before anyone follows a link: it offers none.
    const page = text((await fetchPath(link, BROWSER_ACCEPT)).bytes);
    expect(page).toContain('This request carries no document');
    expect(page).not.toContain('/document"');
  });
});

describe('a link that opens nothing', () => {
  it('answers what opening the link answers: garbage, a forged secret, another request’s signer', async () => {
    const created = await withDocument(await validPdf({ pages: 1 }), 'c.pdf');
    const other = await withDocument(await validPdf({ pages: 1 }), 'd.pdf');
    const [id, signerId, secret] = created.Signers[0]!.SigningUrl.split('/').at(-1)!.split('.');
    const tokens = [
      'not-a-token',
      `${id}.${signerId}.${'A'.repeat(43)}`,
      `${id}.${other.Signers[0]!.SignerId}.${secret}`,
      `${other.SignRequestId}.${signerId}.${secret}`,
    ];
    for (const token of tokens) {
      for (const accept of [undefined, BROWSER_ACCEPT]) {
        const opened = await fetchPath(`/v1/signing/${token}`, accept);
        const document = await fetchPath(`/v1/signing/${token}/document`, accept);
        expect(document.status, token).toBe(404);
        expect(document.status, token).toBe(opened.status);
        expect(text(document.bytes), token).toBe(text(opened.bytes));
      }
    }
  });
});

describe('a closed request: 410, in the page’s own words', () => {
  const closings: [string, (created: Awaited<ReturnType<typeof withDocument>>) => Promise<void>, string][] = [
    [
      'recalled',
      async (created) => {
        const recalled = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
        expect(recalled.status).toBe(200);
      },
      'Reason: <bdi>Request raised mistakenly</bdi>',
    ],
    [
      'declined by the other signer',
      async (created) => {
        const declined = await service.post(`${signingPath(created.Signers[1]!.SigningUrl)}/decline`, {
          reason: 'Clause 4 is wrong',
        });
        expect(declined.status).toBe(200);
      },
      'declined it on',
    ],
    [
      'past its deadline',
      async (created) => {
        await moveDeadlineIntoThePast(created.SignRequestId);
      },
      'It could be signed until',
    ],
  ];

  it.each(closings)('%s', async (_name, close, inDetail) => {
    const created = await withDocument(await validPdf({ pages: 1 }), 'e.pdf', {
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await close(created);
    const link = signingPath(created.Signers[0]!.SigningUrl);

    const opened = await fetchPath(link);
    const json = await fetchPath(`${link}/document`);
    expect(json.status).toBe(410);
    expect(opened.status).toBe(410);
    expect(envelopeOf(json.bytes)).toEqual(envelopeOf(opened.bytes));

    const page = stateOfPage(text((await fetchPath(link, BROWSER_ACCEPT)).bytes));
    expect(page.detail).toContain(inDetail);
    const html = await fetchPath(`${link}/document`, BROWSER_ACCEPT);
    expect(html.status).toBe(410);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(text(html.bytes)).toContain(`<h1>${page.title}</h1>`);
    expect(text(html.bytes)).toContain(`<p>${page.detail}</p>`);
  });
});

describe('a completed request: the signed document, once it is made', () => {
  it('answers 409 SIGNED_DOCUMENT_NOT_READY with Retry-After before the record, the signed bytes after', async () => {
    const pdf = await validPdf({ pages: 2 });
    const created = await withDocument(pdf, 'f.pdf', { signers: [{ name: 'Asha Rao', email: 'asha@example.com' }] });
    const link = signingPath(created.Signers[0]!.SigningUrl);
    expect((await service.post<{ Status: string }>(`${link}/sign`)).Data.Status).toBe('COMPLETED');

    const early = await fetchPath(`${link}/document`);
    expect(early.status).toBe(409);
    expect(envelopeOf(early.bytes).FailRules.map((rule) => rule.Code)).toEqual(['SIGNED_DOCUMENT_NOT_READY']);
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0);
    const earlyPage = await fetchPath(`${link}/document`, BROWSER_ACCEPT);
    expect(earlyPage.status).toBe(409);
    expect(earlyPage.headers.get('retry-after')).toBe(early.headers.get('retry-after'));
    expect(text(earlyPage.bytes)).toContain('The signed document is being prepared');
    expect(text((await fetchPath(link, BROWSER_ACCEPT)).bytes)).toContain('The signed document is being prepared');

    const signedPdf = await validPdf({ pages: 3 });
    const record = await recordSignedDocument(created.SignRequestId, signedPdf);
    // The deadline passing after completion changes nothing: a completed request is never expired.
    const served = await fetchPath(`${link}/document`, BROWSER_ACCEPT);
    expect(served.status).toBe(200);
    expect(sha256(served.bytes)).toBe(record.sha256);
    expect(sha256(served.bytes)).not.toBe(sha256(pdf));
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(served.headers.get('etag')).toBe(`"${record.sha256}"`);
    // initiate (test/support/service.ts) names the document Contract.pdf.
    expect(served.headers.get('content-disposition')).toContain(`filename="Contract-signed.pdf"`);
    const page = text((await fetchPath(link, BROWSER_ACCEPT)).bytes);
    expect(page).toContain('Open the signed document (PDF)');
    expect(page).toContain(record.sha256);
  });

  it('serves the signed document of a request without an original, and after the deadline has passed', async () => {
    const created = await initiate(service, app.token, 1, {
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const link = signingPath(created.Signers[0]!.SigningUrl);
    expect((await service.post<{ Status: string }>(`${link}/sign`)).Data.Status).toBe('COMPLETED');
    await moveDeadlineIntoThePast(created.SignRequestId);
    expect((await fetchPath(`${link}/document`)).status).toBe(409);
    const record = await recordSignedDocument(created.SignRequestId, await validPdf({ pages: 1 }));
    const served = await fetchPath(`${link}/document`);
    expect(served.status).toBe(200);
    expect(sha256(served.bytes)).toBe(record.sha256);
  });
});
