import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initiate, newApp, recallBody, type Created, type Service, startService } from '../support/service.ts';

/** Debian's chromium (.ci/run installs it): playwright-core drives it and never downloads a browser of its own. */
const CHROMIUM = '/usr/bin/chromium';
/** `SIGNING_SCREENSHOTS=docs/images npx vitest run test/integration/signing-page-browser.test.ts` redraws them. */
const screenshots = process.env.SIGNING_SCREENSHOTS;

let service: Service;
let browser: Browser;
let app: Awaited<ReturnType<typeof newApp>>;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (as .ci/run does)`);
  service = await startService();
  app = await newApp('Signing Page Browser');
  // Tests run as root in CI, where Chromium's sandbox cannot start.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await service?.close();
});

/**
 * A signer's link, as the signer receives it. Taken from initiate's answer for now; once invitations are mailed,
 * from the local mailbox (GET /local/mail.json) instead: this is the one place to change.
 */
const signingLinkFor = (created: Created, signerIndex: number): string => {
  const url = new URL(created.Signers[signerIndex]!.SigningUrl);
  return `${service.baseUrl}${url.pathname}`;
};

const signers = [
  { name: 'Asha Rao', email: 'asha@example.com' },
  { name: 'Ben Okafor', email: 'ben@example.com' },
];

/** A page that records every URL it asks for and every policy violation it reports. */
const openedPage = async () => {
  const page = await browser.newPage({ viewport: { width: 800, height: 480 } });
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

describe('the signer’s page in a real headless Chromium', () => {
  it('a signer reads the page, types their name and signs', async () => {
    const created = await initiate(service, app.token, 2, {
      documentName: 'Master Services Agreement.pdf',
      message: 'Please sign by Friday.',
      requestedBy: 'Mohit Bansal',
      signers,
    });
    const { page, onlyThisHost } = await openedPage();
    await page.goto(signingLinkFor(created, 0));
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
  }, 60_000);

  it('a signer declines with a reason', async () => {
    const created = await initiate(service, app.token, 2, { documentName: 'Statement of Work 7.pdf', signers });
    const { page, onlyThisHost } = await openedPage();
    await page.goto(signingLinkFor(created, 1));
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
    const created = await initiate(service, app.token, 2, { documentName: 'NDA.pdf', signers });
    const { page, onlyThisHost } = await openedPage();
    await page.goto(signingLinkFor(created, 0));
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
    await expectAccessibleBasics(page);
    await shoot(page, 'signing-recalled.png');
    onlyThisHost();
    await page.close();
  }, 60_000);
});
