import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { signRequests } from '../support/dependencies.ts';
import { registerSecret } from '../support/log-guard.ts';
import { validPdf } from '../support/pdf-fixtures.ts';
import { initiate, newApp, signingPath, startService, type Service } from '../support/service.ts';

let service: Service;
let browser: Browser;
let app: Awaited<ReturnType<typeof newApp>>;
beforeAll(async () => {
  service = await startService();
  app = await newApp('Signer Proof Page');
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await service?.close();
});

/** `SIGNING_SCREENSHOTS=docs/images npx vitest run test/integration/signer-proof-page.test.ts` redraws them. */
const screenshots = process.env.SIGNING_SCREENSHOTS;
const shoot = async (page: Page, name: string) => {
  if (screenshots) await page.screenshot({ path: join(screenshots, name), fullPage: true });
};

const CODE = 'Page-proof-code-3141';
registerSecret(CODE);
const signers = [
  { name: 'Asha Rao', email: 'asha@example.com', accessCode: CODE },
  { name: 'Ben Okafor', email: 'ben@example.com' },
];

const withDocument = async () =>
  initiate(service, app.token, 2, {
    documentName: 'Master Services Agreement.pdf',
    message: 'Please sign by Friday.',
    signers,
    document: { fileName: 'MSA.pdf', contentBase64: Buffer.from(await validPdf({ pages: 2 })).toString('base64') },
  });

const html = { accept: 'text/html' };

describe('the signing page’s proof step, over HTTP', () => {
  it('shows only the code form, nothing of the request, on the page and the document alike', async () => {
    const created = await withDocument();
    const link = signingPath(created.Signers[0]!.SigningUrl);
    for (const path of [link, `${link}/document`]) {
      const response = await fetch(`${service.baseUrl}${path}`, { headers: html });
      const body = await response.text();
      expect(response.status).toBe(401);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(body).toContain('action="');
      expect(body).toMatch(/<form class="proof" method="post" action="[^"]*proof">/);
      for (const hidden of [
        'Master Services Agreement',
        'Please sign by Friday',
        'Ben Okafor',
        'class="sign"',
        '<script',
      ])
        expect(body).not.toContain(hidden);
    }
  });

  it('for a one-time code by email, offers the button that mails one (posting to <link>/code) beside the code form', async () => {
    const created = await initiate(service, app.token, 1, {
      signers: [{ name: 'Asha Rao', email: 'asha@example.com', verify: 'email' }],
    });
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const response = await fetch(`${service.baseUrl}${link}`, { headers: html });
    const body = await response.text();
    expect(response.status).toBe(401);
    const token = link.split('/').at(-1)!;
    expect(body).toContain(`<form class="code" method="post" action="${token}/code">`);
    expect(body).toContain(`<form class="proof" method="post" action="${token}/proof">`);
    expect(body).toContain('The code from your email');
  });

  it('a right code answers 303 to the link with an HttpOnly, Secure, SameSite=Strict pass on its path; never the code', async () => {
    const created = await withDocument();
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const wrong = await fetch(`${service.baseUrl}${link}/proof`, {
      method: 'POST',
      headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: 'not-the-code' }).toString(),
      redirect: 'manual',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('This code is not valid');
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const right = await fetch(`${service.baseUrl}${link}/proof`, {
      method: 'POST',
      headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: CODE }).toString(),
      redirect: 'manual',
    });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe(link);
    const cookie = right.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      new RegExp(
        `^signer_pass=[0-9]+\\.[A-Za-z0-9_-]{43}; Max-Age=1800; Path=${link}; HttpOnly; Secure; SameSite=Strict$`,
      ),
    );
    expect(cookie).not.toContain(CODE);
    const pass = cookie.split(';')[0]!;
    const page = await fetch(`${service.baseUrl}${link}`, { headers: { ...html, cookie: pass } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Master Services Agreement');
    // The pass is this signer's link's alone: a forged one, or one for another link, opens nothing.
    const other = signingPath(created.Signers[1]!.SigningUrl);
    expect(
      (await fetch(`${service.baseUrl}${link}`, { headers: { ...html, cookie: `${pass.slice(0, -2)}xx` } })).status,
    ).toBe(401);
    expect((await fetch(`${service.baseUrl}${other}`, { headers: { ...html, cookie: pass } })).status).toBe(200);
    // A pass is no X-Signer-Proof for the JSON API: an API client sends its code.
    const json = await service.get(link, { cookie: pass });
    expect([json.status, json.FailRules[0]?.Code]).toEqual([401, 'SIGNER_PROOF_REQUIRED']);
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(stored.history.filter((entry) => entry.event === 'AUTH_FAILED')).toHaveLength(1);
  });
});

describe('the signing page’s proof step in a real headless Chromium', () => {
  it('shows no document or form before the code; a wrong code is refused; the right one opens the page, and signing works', async () => {
    const created = await withDocument();
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await page.goto(created.Signers[0]!.SigningUrl.replace(/^https?:\/\/[^/]+/, service.baseUrl));
    await expect(page.locator('h1').textContent()).resolves.toBe('Signature request');
    expect(await page.locator('form.sign, form.decline').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain('Master Services Agreement');
    expect(await page.getByRole('link').count()).toBe(0);

    await page.getByLabel('Access code').fill('not-the-code');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('This code is not valid').waitFor();
    expect(await page.locator('form.sign').count()).toBe(0);
    await shoot(page, 'signing-proof.png');

    await page.getByLabel('Access code').fill(CODE);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('h1', { hasText: 'Master Services Agreement.pdf' }).waitFor();
    expect(await page.locator('form.sign').count()).toBe(1);
    // The document opens with the pass too.
    const pdf = await page.request.get(`${page.url()}/document`, { headers: { accept: 'text/html' } });
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    await page.getByLabel('Type your full name to sign').fill('Asha Rao');
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    await page.getByText('Thank you: you signed').waitFor();
    await page.close();

    const stored = (await signRequests.get(created.SignRequestId))!;
    const entries = stored.history.map((entry) => [entry.event, entry.proof]);
    expect(entries).toEqual([
      ['CREATED', undefined],
      ['AUTH_FAILED', undefined],
      ['VIEWED', 'ACCESS_CODE'],
      ['SIGNED', 'ACCESS_CODE'],
    ]);
  }, 60_000);
});
