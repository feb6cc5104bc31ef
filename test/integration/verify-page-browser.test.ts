import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { initiate, newApp, recallBody, startService, type Service } from '../support/service.ts';

/** `VERIFY_SCREENSHOT=docs/images/verify-page.png npx vitest run test/integration/verify-page-browser.test.ts`. */
const screenshotPath = process.env.VERIFY_SCREENSHOT;

let service: Service;
let browser: Browser;
beforeAll(async () => {
  service = await startService();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await service?.close();
});

/** A recalled request's sealed certificate, as the app downloads it. */
const sealedCertificate = async () => {
  const app = await newApp('Verify page');
  const created = await initiate(service, app.token, 1);
  expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
    200,
  );
  const answer = await fetch(`${service.baseUrl}/v1/sign-requests/${created.SignRequestId}/certificate`, {
    headers: { authorization: `Bearer ${app.token}` },
  });
  expect(answer.status).toBe(200);
  return { created, bytes: Buffer.from(await answer.arrayBuffer()) };
};

/** Picks the file in the page's one file input, as a person would, and waits for the page's answer. */
const check = async (page: Page, name: string, bytes: Buffer) => {
  const [response] = await Promise.all([
    page.waitForResponse((answer) => answer.url() === `${service.baseUrl}/v1/verify`),
    page.getByLabel('The PDF to check').setInputFiles({ name, mimeType: 'application/pdf', buffer: bytes }),
  ]);
  expect(response.status()).toBe(200);
  await page.locator('#answer dl').waitFor();
  return (await page.locator('#answer').textContent()) ?? '';
};

describe('GET /verify in a real headless Chromium', () => {
  it('checks a picked PDF with POST /v1/verify and shows the answer, under a strict policy', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    const requested: string[] = [];
    const policyViolations: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        policyViolations.push(message.text());
    });
    const opened = await page.goto(`${service.baseUrl}/verify`);
    expect(opened?.status()).toBe(200);
    const policy = (await opened?.headerValue('content-security-policy')) ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toMatch(/script-src 'sha256-[^']+'(;|$)/);
    expect(policy).not.toContain('unsafe-inline');
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    const { created, bytes } = await sealedCertificate();
    const valid = await check(page, 'certificate.pdf', bytes);
    expect(valid).toContain('Valid: sealed by this service');
    expect(valid).toContain(created.RequestNo);
    expect(valid).toContain('CANCELLED');
    expect(valid).toContain(createHash('sha256').update(bytes).digest('hex'));
    if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });

    // One byte changed inside the sealed range: the page says so, with verify's reason.
    const changed = Buffer.from(bytes);
    const at = changed.indexOf('/Type');
    changed[at + 1] = changed[at + 1] === 0x54 ? 0x55 : 0x54;
    const invalid = await check(page, 'changed.pdf', changed);
    expect(invalid).toContain('Not valid');
    expect(invalid).not.toContain(created.RequestNo);

    const origin = new URL(service.baseUrl).origin;
    expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(policyViolations).toEqual([]);
    await page.close();
  }, 60_000);
});
