import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { startService, type Service } from '../support/service.ts';

/** `DOCS_SCREENSHOT=docs/images/api-docs.png npx vitest run test/integration/docs-page.test.ts` redraws it. */
const screenshotPath = process.env.DOCS_SCREENSHOT;

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

describe('GET /docs in a real headless Chromium', () => {
  it('renders the reference of /openapi.json, asking no host but this server for anything', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const requested: string[] = [];
    const policyViolations: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        policyViolations.push(message.text());
    });

    await page.goto(`${service.baseUrl}/docs`);
    // Only a hang fails here: rendering takes what the machine's load makes it take.
    const recall = page.getByRole('heading', { name: 'Recall (cancel) a sign request' });
    await recall.first().waitFor({ state: 'visible', timeout: 100_000 });
    if (screenshotPath) await page.screenshot({ path: screenshotPath });

    const origin = new URL(service.baseUrl).origin;
    const elsewhere = requested.filter((url) => !/^(data|blob):/.test(url) && new URL(url).origin !== origin);
    expect(elsewhere).toEqual([]);
    expect(requested).toContain(`${origin}/openapi.json`);
    expect(requested).toContain(`${origin}/docs/redoc.standalone.js`);
    expect(policyViolations).toEqual([]);
    await page.close();
  }, 120_000);
});
