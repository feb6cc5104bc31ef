import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (.ci/run installs it): playwright-core drives it and never downloads a browser of its own. */
const CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium for a browser test, or one clear line saying how to install it. */
export const launchChromium = (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (as .ci/run does)`);
  // Tests run as root in CI, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
};

/**
 * What Chromium itself receives for the first URL matching `pattern` while `act` runs: the response is paused in
 * the browser's network stack (CDP Fetch, at the response stage), read whole, then let through unchanged.
 */
export const bytesChromiumReceives = async (
  page: Page,
  pattern: string,
  act: () => Promise<unknown>,
): Promise<{ status: number | undefined; contentType: string | undefined; sha256: string }> => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: pattern, requestStage: 'Response' }] });
  const received = new Promise<{ status: number | undefined; contentType: string | undefined; sha256: string }>(
    (resolve, reject) => {
      cdp.once('Fetch.requestPaused', (paused) => {
        void (async () => {
          const { body, base64Encoded } = await cdp.send('Fetch.getResponseBody', { requestId: paused.requestId });
          await cdp.send('Fetch.continueRequest', { requestId: paused.requestId });
          resolve({
            status: paused.responseStatusCode,
            contentType: paused.responseHeaders?.find((header) => header.name.toLowerCase() === 'content-type')?.value,
            sha256: createHash('sha256')
              .update(Buffer.from(body, base64Encoded ? 'base64' : 'utf8'))
              .digest('hex'),
          });
        })().catch(reject);
      });
    },
  );
  const [answer] = await Promise.all([received, act()]);
  await cdp.detach();
  return answer;
};
