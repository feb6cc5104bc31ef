import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import { expectConsistent } from '../support/invariants.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';
import { moveDeadlineIntoThePast } from '../support/stored-requests.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Signing Page');
});
afterAll(() => service.close());

/** What Chromium sends when it navigates to a page. */
const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';

const openPage = async (path: string, accept = BROWSER_ACCEPT) => {
  const response = await fetch(`${service.baseUrl}${path}`, { headers: { accept } });
  return { status: response.status, headers: response.headers, html: await response.text() };
};
const postForm = async (
  path: string,
  fields: Record<string, string> | string,
  headers: Record<string, string> = {},
) => {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method: 'POST',
    headers: { accept: BROWSER_ACCEPT, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
  });
  return { status: response.status, headers: response.headers, html: await response.text() };
};

const linksOf = (created: Awaited<ReturnType<typeof initiate>>) =>
  created.Signers.map((signer) => signingPath(signer.SigningUrl));
const hasForms = (html: string) => html.includes('<form');

describe('the signer’s page: GET /v1/signing/{token} with Accept: text/html', () => {
  it('answers JSON byte for byte as before to API clients, and the page to a browser', async () => {
    const created = await initiate(service, app.token, 2);
    const [link] = linksOf(created);
    const first = await fetch(`${service.baseUrl}${link}`);
    const json = await first.text();
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    for (const accept of [
      'application/json',
      '*/*',
      'application/json, text/html;q=0.5',
      'text/html;q=0',
      'image/png',
    ]) {
      const again = await fetch(`${service.baseUrl}${link}`, { headers: { accept } });
      expect(again.headers.get('content-type'), accept).toBe('application/json; charset=utf-8');
      expect(await again.text(), accept).toBe(json);
    }
    for (const accept of [BROWSER_ACCEPT, 'text/html', 'text/*, application/json;q=0.5']) {
      const page = await openPage(link!, accept);
      expect(page.status, accept).toBe(200);
      expect(page.headers.get('content-type'), accept).toBe('text/html; charset=utf-8');
    }
    // The first open, by either, is recorded once, exactly as before.
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(stored.history.filter((entry) => entry.event === 'VIEWED')).toHaveLength(1);
  });

  it('records the first open when the page is the first thing opened', async () => {
    const created = await initiate(service, app.token, 1);
    await openPage(linksOf(created)[0]!);
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(stored.signers[created.Signers[0]!.SignerId]?.viewedAt).toBeDefined();
    expect(stored.history.map((entry) => entry.event)).toEqual(['CREATED', 'VIEWED']);
  });

  it('is sent with a strict policy, no referrer, no caching, no sniffing', async () => {
    const created = await initiate(service, app.token, 1);
    const { headers, html } = await openPage(linksOf(created)[0]!);
    const policy = headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'; /);
    expect(policy).not.toContain('unsafe');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//i);
    // Every control has a label naming it.
    const ids = [...html.matchAll(/<input id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids).toEqual(['signedName', 'reason']);
    for (const id of ids) expect(html).toContain(`<label for="${id}">`);
  });

  it('shows the document, the message, this signer and everyone’s progress, but no one’s e-mail', async () => {
    const created = await initiate(service, app.token, 3, {
      message: 'Please sign by Friday.',
      requestedBy: 'Mohit Bansal',
    });
    const [first, second] = linksOf(created);
    await service.post(`${first}/sign`);
    const { html } = await openPage(second!);
    expect(html).toContain('Contract.pdf');
    expect(html).toContain('Please sign by Friday.');
    expect(html).toContain('For <bdi>Signer 2</bdi>');
    expect(html).toContain('<li><bdi>Signer 1</bdi>: signed</li>');
    expect(html).toContain('<li><bdi>Signer 2</bdi> (you): not signed yet</li>');
    expect(html).toContain('<li><bdi>Signer 3</bdi>: not signed yet</li>');
    expect(html).not.toContain('@example.com');
    expect(html).toContain('<button type="submit">Sign</button>');
    expect(html).toContain('<button type="submit">Decline</button>');
  });

  it('escapes every piece of user data and isolates it from bidi overrides', async () => {
    const hostile = '<script>alert(1)</script>\u202Egnp.exe';
    const created = await initiate(service, app.token, 1, {
      documentName: hostile,
      message: '<img src=x onerror=alert(1)> & "quotes"',
      requestedBy: '"><b>bold</b>',
    });
    const [link] = linksOf(created);
    const { html } = await openPage(link!);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<h1><bdi>&lt;script&gt;alert(1)&lt;/script&gt;\u202Egnp.exe</bdi></h1>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    // The title cannot hold <bdi>: there every bidi control (and other format character) is stripped instead.
    expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;gnp.exe: signature request',
    );
    // A hostile reason, given back to the decliner, is escaped too.
    const declined = await postForm(`${link}/decline`, { reason: '</p><script>x</script>\u202E' });
    expect(declined.status).toBe(200);
    expect(declined.html).toContain('<bdi>&lt;/p&gt;&lt;script&gt;x&lt;/script&gt;\u202E</bdi>');
    expect(declined.html).not.toContain('<script>');
  });

  it('answers an HTML 404 page to a browser for a link that is not valid, JSON to API clients', async () => {
    const created = await initiate(service, app.token, 1);
    for (const path of ['/v1/signing/not-a-token', `${linksOf(created)[0]!.slice(0, -3)}AAA`]) {
      const page = await openPage(path);
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.html).toContain('<h1>This signing link is not valid</h1>');
      expect(await service.get(path)).toMatchObject({ status: 404, FailRules: [{ Code: 'SIGNING_LINK_NOT_FOUND' }] });
    }
  });
});

describe('the page’s forms: POST …/sign and …/decline from a browser', () => {
  it('signs with the typed name and confirms; the last signature shows the request complete', async () => {
    const created = await initiate(service, app.token, 2);
    const [first, second] = linksOf(created);
    const signed = await postForm(`${first}/sign`, { signedName: '  Asha Rao ' });
    expect(signed.status).toBe(200);
    expect(signed.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(signed.html).toContain('Thank you: you signed');
    expect(signed.html).toContain('as <bdi>Asha Rao</bdi>');
    expect(hasForms(signed.html)).toBe(false);
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(stored.signers[created.Signers[0]!.SignerId]).toMatchObject({ status: 'SIGNED', signedName: 'Asha Rao' });

    const last = await postForm(`${second}/sign`, { signedName: 'Ben Okafor' });
    expect(last.html).toContain('Thank you: you signed, and the request is complete');
    expect((await signRequests.get(created.SignRequestId))?.status).toBe('COMPLETED');
    // Opened again: the completed state, no form.
    const again = await openPage(first!);
    expect(again.status).toBe(200);
    expect(again.html).toContain('Every signer has signed');
    expect(hasForms(again.html)).toBe(false);
    // Signing again from a stale page: 409, the state shown.
    const twice = await postForm(`${first}/sign`, { signedName: 'Asha Rao' });
    expect(twice.status).toBe(409);
    expect(twice.html).toContain('Every signer has signed');
  });

  it('declines with the reason; the decliner sees it, the other signers see who declined but not why', async () => {
    const created = await initiate(service, app.token, 2);
    const [first, second] = linksOf(created);
    const declined = await postForm(`${second}/decline`, { reason: 'Clause 4 is wrong' });
    expect(declined.status).toBe(200);
    expect(declined.html).toContain('You declined this request');
    expect(declined.html).toContain('Your reason: <bdi>Clause 4 is wrong</bdi>');
    expect(hasForms(declined.html)).toBe(false);
    expectConsistent((await signRequests.get(created.SignRequestId))!);

    const other = await openPage(first!);
    expect(other.status).toBe(410);
    expect(other.html).toContain('This request was declined');
    expect(other.html).toContain('<bdi>Signer 2</bdi> declined it on');
    expect(other.html).not.toContain('Clause 4');
    expect(other.html).toContain('<li><bdi>Signer 2</bdi>: declined</li>');
    expect(hasForms(other.html)).toBe(false);
    expect((await openPage(second!)).html).toContain('Your reason: <bdi>Clause 4 is wrong</bdi>');
  });

  it('shows a recalled request with who, when and why, and no form, opened or posted to', async () => {
    const created = await initiate(service, app.token, 2);
    const [link] = linksOf(created);
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    const stored = (await signRequests.get(created.SignRequestId))!;
    for (const page of [await openPage(link!), await postForm(`${link}/sign`, { signedName: 'X' })]) {
      expect(page.status).toBe(410);
      expect(page.html).toContain('This request was recalled');
      expect(page.html).toContain(`Recalled by <bdi>Mohit Bansal</bdi> on <time datetime="${stored.recall!.at}">`);
      expect(page.html).toContain('Reason: <bdi>Request raised mistakenly</bdi>');
      expect(hasForms(page.html)).toBe(false);
      // Closed: nobody is "not signed yet" any more.
      expect(page.html).not.toContain('not signed yet');
      expect(page.html).toContain('<li><bdi>Signer 1</bdi> (you): did not sign</li>');
    }
  });

  it('shows an expired request as expired, with no form', async () => {
    const created = await initiate(service, app.token, 1, {
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await moveDeadlineIntoThePast(created.SignRequestId);
    const page = await openPage(linksOf(created)[0]!);
    expect(page.status).toBe(410);
    expect(page.html).toContain('This request has expired');
    expect(hasForms(page.html)).toBe(false);
  });

  it('refuses a bad form field by field, with the same rules as the JSON API, keeping what was typed', async () => {
    const created = await initiate(service, app.token, 1);
    const [link] = linksOf(created);
    const empty = await postForm(`${link}/sign`, { signedName: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('role="alert"');
    expect(empty.html).toContain('<li>Your name must not be empty</li>');
    expect(hasForms(empty.html)).toBe(true);
    // Posted to …/sign, the page's forms post to its siblings.
    expect(empty.html).toContain('action="sign"');
    expect(empty.html).toContain('action="decline"');

    // A name of invisible characters only is no signature; nor is a form without the name the page asks for.
    const invisible = await postForm(`${link}/sign`, { signedName: '\u200b\u202e' });
    expect(invisible.status).toBe(400);
    expect(invisible.html).toContain('<li>Your name must contain visible characters</li>');
    const nameless = await postForm(`${link}/sign`, '');
    expect(nameless.status).toBe(400);
    expect(nameless.html).toContain('<li>Your name is required</li>');
    const plain = await postForm(`${link}/sign`, '', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);

    const long = await postForm(`${link}/decline`, { reason: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect(long.html).toContain('<li>Your reason must be at most 500 characters</li>');
    const unknown = await postForm(`${link}/decline`, { reason: 'ok', extra: '1' });
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('Received unknown parameter: extra');
    const twice = await postForm(`${link}/decline`, 'reason=a&reason=b');
    expect(twice.status).toBe(400);
    // Field names that are also object properties are fields like any other: refused by name, not misread.
    for (const name of ['constructor', '__proto__', 'toString']) {
      const odd = await postForm(`${link}/decline`, `reason=ok&${name}=1`);
      expect(odd.status, name).toBe(400);
      expect(odd.html, name).toContain(`Received unknown parameter: ${name}`);
    }
    expect((await signRequests.get(created.SignRequestId))?.status).toBe('PENDING');
  });

  it('a page opened with a trailing slash posts its forms to the link’s own sign and decline', async () => {
    const created = await initiate(service, app.token, 2);
    const [first, second] = linksOf(created);
    // A browser resolves each form's action against the URL the page was shown at.
    const actionsOf = (html: string, shownAt: string) =>
      [...html.matchAll(/<form class="(sign|decline)" method="post" action="([^"]*)"/g)].map(
        (match) => new URL(match[2]!.replaceAll('&amp;', '&'), `${service.baseUrl}${shownAt}`).pathname,
      );
    for (const shownAt of [`${first}/`, first!]) {
      const page = await openPage(shownAt);
      expect(page.status).toBe(200);
      expect(actionsOf(page.html, shownAt)).toEqual([`${first}/sign`, `${first}/decline`]);
    }
    // And a refused form posted to …/sign/ keeps posting to the same link's routes.
    const refused = await postForm(`${second}/sign/`, { signedName: ' ' });
    expect(refused.status).toBe(400);
    expect(actionsOf(refused.html, `${second}/sign/`)).toEqual([`${second}/sign`, `${second}/decline`]);
    const signed = await postForm(actionsOf((await openPage(`${first}/`)).html, `${first}/`)[0]!, {
      signedName: 'Asha Rao',
    });
    expect(signed.status).toBe(200);
    expect(signed.html).toContain('Thank you: you signed');
  });

  it('takes form bodies only from browsers, within the same size limit, and JSON callers keep JSON', async () => {
    const created = await initiate(service, app.token, 1);
    const [link] = linksOf(created);
    // A form body without a browser's Accept is refused as today.
    const curlLike = await fetch(`${service.baseUrl}${link}/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'signedName=X',
    });
    expect(curlLike.status).toBe(415);
    expect(await curlLike.text()).toBe(
      '{"FailRules":[{"Code":"UNSUPPORTED_MEDIA_TYPE","Message":"Send the body as application/json"}],"Data":null}',
    );
    const tooLarge = await postForm(`${link}/decline`, { reason: 'x'.repeat(1_100_000) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const jsonFromBrowser = await postForm(`${link}/sign`, '{"signedName":"X"}', {
      'content-type': 'application/json',
    });
    expect(jsonFromBrowser.status).toBe(415);
    expect(jsonFromBrowser.html).toContain('application/x-www-form-urlencoded');
    expect((await signRequests.get(created.SignRequestId))?.status).toBe('PENDING');
  });
});
