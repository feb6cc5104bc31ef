import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSigningToken } from '../../functions/core/signing-token.ts';
import { bytesChromiumReceives, launchChromium } from '../support/chromium.ts';
import { signRequests } from '../support/dependencies.ts';
import { startMailService, type MailService } from '../support/mail-service.ts';
import { validPdf } from '../support/pdf-fixtures.ts';
import { freshRequest } from '../support/requests.ts';
import { recordSignedDocument } from '../support/signed-documents.ts';
import { initiate, newApp, recallBody, type Created } from '../support/service.ts';

/** `SIGNING_SCREENSHOTS=docs/images npx vitest run test/integration/signing-page-browser.test.ts` redraws them. */
const screenshots = process.env.SIGNING_SCREENSHOTS;

let service: MailService;
let browser: Browser;
let app: Awaited<ReturnType<typeof newApp>>;
beforeAll(async () => {
  // With the mail pipeline and the local mailbox, as npm start runs it: signers get their links by e-mail.
  service = await startMailService();
  app = await newApp('Signing Page Browser');
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await service?.close();
});

/** A signer's link, as the signer receives it: from their invitation in the local mailbox (GET /local/mail.json). */
const signingLinkFor = async (created: Created, signerIndex: number): Promise<string> => {
  const email = created.Signers[signerIndex]!.Email;
  const invitation = (await service.mail(created.SignRequestId)).find(
    (mail) => mail.Kind === 'INVITATION' && mail.To === email,
  );
  const link = /https?:\/\/\S+/.exec(invitation?.Text ?? '')?.[0];
  if (!link) throw new Error(`no invitation with a link reached ${email}`);
  return link;
};

const signers = [
  { name: 'Asha Rao', email: 'asha@example.com' },
  { name: 'Ben Okafor', email: 'ben@example.com' },
];

/** Records every URL a page asks for and every policy violation it reports. */
const watched = (page: Page) => {
  const requested: string[] = [];
  const violations: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const onlyThisHost = () => {
    const origin = new URL(service.baseUrl).origin;
    expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(violations).toEqual([]);
  };
  return { page, onlyThisHost };
};
const openedPage = async () => watched(await browser.newPage({ viewport: { width: 800, height: 480 } }));

/** lang set, one h1, and every form control named by a label (its accessible name is not empty). */
const expectAccessibleBasics = async (page: Page) => {
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  expect(await page.locator('h1').count()).toBe(1);
  // Run in the page as a string: the project compiles for Node, without the DOM's types.
  const unlabelled = await page.evaluate<string[]>(`[...document.querySelectorAll('input, textarea, select, button')]
    .filter((control) => !(control.tagName === 'BUTTON' ? control.textContent.trim() : control.labels?.length))
    .filter((control) => !control.getAttribute('aria-label'))
    .map((control) => control.outerHTML)`);
  expect(unlabelled).toEqual([]);
};

const shoot = async (page: Page, name: string) => {
  if (screenshots) await page.screenshot({ path: join(screenshots, name), fullPage: true });
};

/** An initiate's inline document: a valid PDF of so many pages under this file name. */
const documentOf = async (fileName: string, pages: number) => ({
  fileName,
  contentBase64: Buffer.from(await validPdf({ pages })).toString('base64'),
});

describe('the signer’s page in a real headless Chromium', () => {
  it('a signer reads the page, types their name and signs', async () => {
    const created = await initiate(service, app.token, 2, {
      documentName: 'Master Services Agreement.pdf',
      message: 'Please sign by Friday.',
      requestedBy: 'Mohit Bansal',
      signers,
      document: await documentOf('Master Services Agreement.pdf', 12),
    });
    // Asha opens her invitation in the local mailbox, as a developer would, and follows its one link.
    await service.mail(created.SignRequestId);
    const mailbox = await browser.newPage({ viewport: { width: 900, height: 1100 } });
    await mailbox.goto(`${service.baseUrl}/local/mail`);
    const invitation = mailbox
      .locator('article')
      .filter({ hasText: `INVITATION to ${signers[0]!.email}` })
      .filter({ hasText: created.SignRequestId });
    await invitation.frameLocator('iframe').getByRole('link').waitFor();
    await shoot(mailbox, 'local-mailbox.png');
    const [opened] = await Promise.all([
      mailbox.waitForEvent('popup'),
      invitation.frameLocator('iframe').getByRole('link').click(),
    ]);
    const { page, onlyThisHost } = watched(opened);
    await page.setViewportSize({ width: 800, height: 480 });
    await page.waitForLoadState();
    expect(page.url()).toBe(await signingLinkFor(created, 0));
    await expect(page.locator('h1').textContent()).resolves.toBe('Master Services Agreement.pdf');
    await expect(page.locator('main').textContent()).resolves.toContain('Please sign by Friday.');
    await expectAccessibleBasics(page);
    await shoot(page, 'signing-open.png');

    await page.getByLabel('Type your full name to sign').fill('Asha Rao');
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    await page.getByText('Thank you: you signed').waitFor();
    expect(await page.getByRole('button', { name: 'Sign', exact: true }).count()).toBe(0);
    await expectAccessibleBasics(page);
    await shoot(page, 'signing-signed.png');
    onlyThisHost();
    await page.close();
    await mailbox.close();
  }, 60_000);

  it('a signer sees the document’s SHA-256 in full, follows the page’s link and gets the very PDF', async () => {
    const pdf = await validPdf({ pages: 2 });
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const created = await initiate(service, app.token, 2, {
      documentName: 'Master Services Agreement',
      signers,
      document: { fileName: 'MSA 2026.pdf', contentBase64: Buffer.from(pdf).toString('base64') },
    });
    const { page, onlyThisHost } = await openedPage();
    const link = await signingLinkFor(created, 0);
    await page.goto(link);
    const shown = page.locator('code.hash');
    expect(await shown.textContent()).toBe(sha256);
    // Shown whole, and broken across lines rather than cut off or pushing the page sideways.
    const fits = `(() => {
      const main = document.querySelector('main').getBoundingClientRect();
      const hash = document.querySelector('code.hash').getBoundingClientRect();
      return hash.left >= main.left && hash.right <= main.right && document.documentElement.scrollWidth <= innerWidth;
    })()`;
    expect(await page.evaluate<boolean>(fits)).toBe(true);
    await page.setViewportSize({ width: 360, height: 640 });
    expect(await page.evaluate<boolean>(fits)).toBe(true);
    await page.setViewportSize({ width: 800, height: 480 });
    await expect(page.locator('dl.document').textContent()).resolves.toContain('MSA 2026.pdf');
    await expectAccessibleBasics(page);

    const opener = page.getByRole('link', { name: 'Open the document (PDF)' });
    expect(new URL((await opener.getAttribute('href')) ?? '', link).href).toBe(`${link}/document`);
    // The link opens a new tab, where Chromium's PDF viewer shows the file: its response is the server's.
    const [tab, response] = await Promise.all([
      page.waitForEvent('popup'),
      page.context().waitForEvent('response', (answer) => answer.url() === `${link}/document`),
      opener.click(),
    ]);
    expect(response.status()).toBe(200);
    expect(await response.headerValue('content-type')).toBe('application/pdf');
    expect(response.request().headers()['referer']).toBeUndefined();
    if (screenshots) {
      // Only for the picture: Chromium's viewer draws the pages a moment after the tab has loaded.
      await tab.setViewportSize({ width: 800, height: 480 });
      await tab.waitForTimeout(3_000);
      await shoot(tab, 'signing-document-viewer.png');
    }
    // The viewer stands between the tab and the bytes (Playwright's body() is its wrapper page), so the bytes are
    // taken from Chromium's own network stack (CDP Fetch, paused at the response) as it follows the link again.
    // The page asked this host alone for anything (Chromium's own viewer, which shows the PDF next, is no host's).
    onlyThisHost();
    // This time in the same tab (the target dropped), where a CDP session reaches the navigation.
    await page.evaluate(`document.querySelector('a[href$="document"]').removeAttribute('target')`);
    const received = await bytesChromiumReceives(page, '*/document', () => opener.click());
    expect(received.status).toBe(200);
    expect(received.contentType).toBe('application/pdf');
    expect(received.sha256).toBe(sha256);
    await tab.close();
    await page.close();
  }, 60_000);

  it('a signer declines with a reason', async () => {
    const created = await initiate(service, app.token, 2, { documentName: 'Statement of Work 7.pdf', signers });
    const { page, onlyThisHost } = await openedPage();
    await page.goto(await signingLinkFor(created, 1));
    await page.getByLabel('Why do you decline? (the sender will see this)').fill('The fee in clause 4 is wrong');
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByText('You declined this request').waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('The fee in clause 4 is wrong');
    expect(await page.getByRole('button').count()).toBe(0);
    await expectAccessibleBasics(page);
    await shoot(page, 'signing-declined.png');
    onlyThisHost();
    await page.close();
  }, 60_000);

  it('a request recalled while its page is open shows who, when and why once reloaded, with no Sign button', async () => {
    const created = await initiate(service, app.token, 2, {
      documentName: 'NDA.pdf',
      signers,
      document: await documentOf('NDA.pdf', 2),
    });
    const { page, onlyThisHost } = await openedPage();
    await page.goto(await signingLinkFor(created, 0));
    expect(await page.getByRole('button', { name: 'Sign', exact: true }).count()).toBe(1);

    const recalled = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    expect(recalled.status).toBe(200);
    const response = await page.reload();
    expect(response?.status()).toBe(410);
    await page.getByText('This request was recalled').waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Recalled by Mohit Bansal on');
    expect(text).toContain('Reason: Request raised mistakenly');
    expect(await page.locator('time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await page.getByRole('button', { name: 'Sign', exact: true }).count()).toBe(0);
    // Its facts stay, its link goes: the document would answer 410 now.
    await page.getByText('The document can no longer be opened from this link.').waitFor();
    expect(await page.getByRole('link').count()).toBe(0);
    await expectAccessibleBasics(page);
    await shoot(page, 'signing-recalled.png');
    onlyThisHost();
    await page.close();
  }, 60_000);

  it('a signer who presses Sign after a recall is told plainly that their signature was not recorded, and why', async () => {
    const created = await initiate(service, app.token, 2, { documentName: 'Lease.pdf', signers });
    const { page, onlyThisHost } = await openedPage();
    await page.goto(await signingLinkFor(created, 0));
    await page.getByLabel('Type your full name to sign').fill('Asha Rao');
    // Recalled while the page is open, not reloaded: the signer presses Sign on what they see.
    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
      200,
    );
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Sign', exact: true }).click(),
    ]);
    expect(response?.status()).toBe(410);
    const alert = (await page.getByRole('alert').textContent()) ?? '';
    expect(alert).toContain('Your signature was not recorded');
    expect(alert).toContain('recalled');
    const rows = await page.locator('ul.signers li').allTextContents();
    expect(rows).toEqual(['Asha Rao (you): did not sign', 'Ben Okafor: did not sign']);
    expect(await page.getByRole('button').count()).toBe(0);
    await expectAccessibleBasics(page);
    await shoot(page, 'signing-refused-after-recall.png');
    onlyThisHost();
    await page.close();
    expect((await signRequests.get(created.SignRequestId))?.signers[created.Signers[0]!.SignerId]?.status).toBe(
      'PENDING',
    );
  }, 60_000);

  it('completed and expired requests show their state, and no Sign or Decline button', async () => {
    const completed = await initiate(service, app.token, 1, {
      documentName: 'Offer letter.pdf',
      signers: [signers[0]!],
      document: await documentOf('Offer letter.pdf', 1),
    });
    const link = await signingLinkFor(completed, 0);
    expect((await service.post(`${new URL(link).pathname}/sign`, { signedName: 'Asha Rao' })).status).toBe(200);
    const signedDocument = await recordSignedDocument(app.appId, completed.SignRequestId, await validPdf({ pages: 2 }));
    // Stored as the expiry job has not yet marked it: open, its deadline passed. The page reads it as expired.
    const expired = freshRequest(1, {
      appId: app.appId,
      documentName: 'Consulting Agreement.pdf',
      expiresAt: '2026-01-31T17:00:00.000Z',
    });
    for (const signer of Object.values(expired.request.signers)) signer.name = 'Ben Okafor';
    expect((await signRequests.create(expired.request)).ok).toBe(true);
    const states = [
      { link, title: 'Every signer has signed', status: 200, screenshot: 'signing-completed.png' },
      {
        link: `${service.baseUrl}/v1/signing/${formatSigningToken(expired.tokens[0]!)}`,
        title: 'This request has expired',
        status: 410,
        screenshot: 'signing-expired.png',
      },
    ];
    for (const state of states) {
      const { page, onlyThisHost } = await openedPage();
      const response = await page.goto(state.link);
      expect(response?.status()).toBe(state.status);
      await page.getByText(state.title).waitFor();
      expect(await page.getByRole('button').count()).toBe(0);
      if (state.status === 200) {
        // Completed: the signed document is offered, its own SHA-256 beside it.
        const opener = page.getByRole('link', { name: 'Open the signed document (PDF)' });
        expect(new URL((await opener.getAttribute('href')) ?? '', state.link).href).toBe(`${state.link}/document`);
        await expect(page.locator('main').textContent()).resolves.toContain(signedDocument.sha256);
      }
      await expectAccessibleBasics(page);
      await shoot(page, state.screenshot);
      onlyThisHost();
      await page.close();
    }
  }, 60_000);

  it('a later group’s signer sees "Not your turn yet" and no form, until the group before has signed', async () => {
    const created = await initiate(service, app.token, 2, {
      documentName: 'Master Services Agreement.pdf',
      signers: signers.map((signer, i) => ({ ...signer, order: i + 1 })),
    });
    // Ben was never invited (his group's turn has not come): he has only the link the app was answered.
    await service.mail(created.SignRequestId);
    const ben = created.Signers[1]!.SigningUrl;
    const { page, onlyThisHost } = await openedPage();
    await page.goto(ben);
    await page.getByText('Not your turn yet').waitFor();
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Decline', exact: true }).count()).toBe(0);
    // The signers' list shows the order, and who is not invited yet.
    await expect(page.locator('ul.signers').textContent()).resolves.toBe(
      '1. Asha Rao: not signed yet2. Ben Okafor (you): not invited yet',
    );
    await expectAccessibleBasics(page);
    await shoot(page, 'signing-not-your-turn.png');
    // Opening it recorded no view: there was nothing to act on.
    expect((await signRequests.get(created.SignRequestId))?.signers[created.Signers[1]!.SignerId]?.viewedAt).toBe(
      undefined,
    );

    // Asha signs; Ben is invited by e-mail, and the same link now shows the forms.
    const signed = await service.post(`${new URL(created.Signers[0]!.SigningUrl).pathname}/sign`);
    expect(signed.status).toBe(200);
    expect(await signingLinkFor(created, 1)).toBe(ben);
    await page.reload();
    await page.getByText('Your signature is requested').waitFor();
    await page.getByLabel('Type your full name to sign').fill('Ben Okafor');
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    await page.getByText('Thank you: you signed, and the request is complete').waitFor();
    onlyThisHost();
    await page.close();
  }, 60_000);
});
