import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EMAIL_CODE_SENDS_PER_HOUR, EMAIL_CODE_WINDOW_MS } from '../../functions/core/email-code-limits.ts';
import { emailCodeMatches } from '../../functions/core/email-code.ts';
import { DomainError } from '../../functions/core/errors.ts';
import type { Signer } from '../../functions/core/sign-request.ts';
import { parseSigningToken, type SigningToken } from '../../functions/core/signing-token.ts';
import { OutboxNotifier } from '../../functions/notifications/outbox-notifier.ts';
import { sendEmailCode } from '../../functions/workflows/send-email-code.ts';
import { logger, signRequests } from '../support/dependencies.ts';
import { storedEventsOf } from '../support/domain-events.ts';
import { captureWrites, registerShortSecret } from '../support/log-guard.ts';
import { startMailService, type MailboxEntry, type MailService } from '../support/mail-service.ts';
import { initiate, newApp, recallBody, signingPath } from '../support/service.ts';

let service: MailService;
let app: Awaited<ReturnType<typeof newApp>>;
beforeAll(async () => {
  service = await startMailService();
  app = await newApp('Signing Codes');
});
afterAll(() => service.close());

/** A request whose first signer must prove their address by code, and whose second need not. */
const withCodeSigner = () =>
  initiate(service, app.token, 2, {
    sendInvitations: false,
    signers: [
      { name: 'Asha Rao', email: 'asha@example.com', verify: 'email' },
      { name: 'Ben Okafor', email: 'ben@example.com' },
    ],
  });

const askForCode = (link: string, headers: Record<string, string> = {}) =>
  service.post<{ Sent: true; ExpiresAt: string }>(`${link}/code`, undefined, headers);

/** The codes mailed for a request, newest first, each registered with the log guard as soon as it is read. */
const codesMailed = async (signRequestId: string): Promise<{ entry: MailboxEntry; code: string }[]> =>
  (await service.mail(signRequestId))
    .filter((entry) => entry.Kind === 'SIGNING_CODE')
    .map((entry) => {
      const code = /^(\d{6})$/m.exec(entry.Text)?.[1];
      if (!code) throw new Error(`a SIGNING_CODE mail without a 6-digit code line: ${entry.Subject}`);
      registerShortSecret(code);
      return { entry, code };
    });

/** The one code mailed for a request so far. */
const onlyCode = async (signRequestId: string): Promise<string> => {
  const mailed = await codesMailed(signRequestId);
  expect(mailed).toHaveLength(1);
  return mailed[0]!.code;
};

const storedSigner = async (signRequestId: string, signerId: string): Promise<Signer> => {
  const signer = (await signRequests.get(signRequestId))?.signers[signerId];
  if (!signer) throw new Error('no such signer stored');
  return signer;
};

const tokenOf = (signingUrl: string): SigningToken => {
  const token = parseSigningToken(signingUrl.split('/').at(-1) ?? '');
  if (!token) throw new Error('not a signing link');
  return token;
};

describe('POST /v1/signing/{signingToken}/code', () => {
  it('mails the signer a 6-digit code (202), stores only a hash that matches it, and answers no code', async () => {
    const created = await withCodeSigner();
    const asha = created.Signers[0]!;
    const before = Date.now();
    const answer = await askForCode(signingPath(asha.SigningUrl));
    expect(answer.status).toBe(202);
    expect(Object.keys(answer.Data).sort()).toEqual(['ExpiresAt', 'Sent']);
    expect(answer.Data.Sent).toBe(true);
    const expiresIn = Date.parse(answer.Data.ExpiresAt) - before;
    expect(expiresIn).toBeGreaterThanOrEqual(10 * 60_000);
    expect(expiresIn).toBeLessThan(10 * 60_000 + 60_000);

    const mailed = await codesMailed(created.SignRequestId);
    expect(mailed).toHaveLength(1);
    const { entry, code } = mailed[0]!;
    expect(entry.To).toBe('asha@example.com');
    expect(entry.Html).toContain(code);
    expect(JSON.stringify(answer)).not.toContain(code);

    const signer = await storedSigner(created.SignRequestId, asha.SignerId);
    expect(signer.proof).toEqual({ kind: 'EMAIL' });
    expect(signer.emailCode?.expiresAt).toBe(answer.Data.ExpiresAt);
    expect(signer.emailCode?.sentAt).toHaveLength(1);
    expect(JSON.stringify(signer)).not.toContain(code);
    const now = new Date().toISOString();
    expect(emailCodeMatches(signer, code, now)).toBe(true);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(emailCodeMatches(signer, wrong, now)).toBe(false);
  });

  it('keeps one code at a time: a second send makes the first stop working', async () => {
    const created = await withCodeSigner();
    const asha = created.Signers[0]!;
    expect((await askForCode(signingPath(asha.SigningUrl))).status).toBe(202);
    expect((await askForCode(signingPath(asha.SigningUrl))).status).toBe(202);
    const [second, first] = (await codesMailed(created.SignRequestId)).map(({ code }) => code) as [string, string];
    const signer = await storedSigner(created.SignRequestId, asha.SignerId);
    const now = new Date().toISOString();
    expect(emailCodeMatches(signer, second, now)).toBe(true);
    // Two draws may be equal (one chance in a million): then the first is the second, and still works.
    expect(emailCodeMatches(signer, first, now)).toBe(first === second);
    expect(signer.emailCode?.sentAt).toHaveLength(2);
  });

  it('lets a code work for 10 minutes and not at its expiry', async () => {
    const created = await withCodeSigner();
    const asha = created.Signers[0]!;
    const answer = await askForCode(signingPath(asha.SigningUrl));
    const code = await onlyCode(created.SignRequestId);
    const signer = await storedSigner(created.SignRequestId, asha.SignerId);
    const expiresAt = Date.parse(answer.Data.ExpiresAt);
    expect(emailCodeMatches(signer, code, new Date(expiresAt - 1).toISOString())).toBe(true);
    expect(emailCodeMatches(signer, code, new Date(expiresAt).toISOString())).toBe(false);
    expect(emailCodeMatches(signer, code, new Date(expiresAt + 60_000).toISOString())).toBe(false);
  });

  it(`refuses the ${EMAIL_CODE_SENDS_PER_HOUR + 1}th send within the hour: 429 SIGNING_CODE_LIMIT with Retry-After`, async () => {
    const created = await withCodeSigner();
    const link = signingPath(created.Signers[0]!.SigningUrl);
    for (let send = 0; send < EMAIL_CODE_SENDS_PER_HOUR; send++) expect((await askForCode(link)).status).toBe(202);
    const refused = await askForCode(link);
    expect(refused.status).toBe(429);
    expect(refused.FailRules[0]?.Code).toBe('SIGNING_CODE_LIMIT');
    const retryAfter = Number(refused.headers.get('retry-after'));
    // The oldest send leaves the hour an hour after it was made, less the moments this test took.
    expect(retryAfter).toBeGreaterThan(EMAIL_CODE_WINDOW_MS / 1000 - 60);
    expect(retryAfter).toBeLessThanOrEqual(EMAIL_CODE_WINDOW_MS / 1000);
    expect(refused.FailRules[0]?.Message).toContain(`${retryAfter} seconds`);
    expect(await codesMailed(created.SignRequestId)).toHaveLength(EMAIL_CODE_SENDS_PER_HOUR);
  });

  it('sends again once the oldest send of the hour has left it, written over it', async () => {
    const created = await withCodeSigner();
    const asha = created.Signers[0]!;
    const token = tokenOf(asha.SigningUrl);
    const outbox = new OutboxNotifier();
    const t0 = Date.now();
    const at = (ms: number) => () => new Date(t0 + ms).toISOString();
    const send = (ms: number) => sendEmailCode({ signRequests, notifier: outbox, logger, clock: at(ms) }, token);
    for (let minute = 0; minute < EMAIL_CODE_SENDS_PER_HOUR; minute++) await send(minute * 60_000);
    // An hour after the first send, less a millisecond: still five within the hour.
    await expect(send(EMAIL_CODE_WINDOW_MS - 1)).rejects.toMatchObject({ code: 'SIGNING_CODE_LIMIT' });
    await send(EMAIL_CODE_WINDOW_MS);
    const signer = await storedSigner(created.SignRequestId, asha.SignerId);
    expect(signer.emailCode?.sentAt.sort()).toEqual(
      [1, 2, 3, 4].map((minute) => new Date(t0 + minute * 60_000).toISOString()).concat(at(EMAIL_CODE_WINDOW_MS)()),
    );
    expect(outbox.sent).toHaveLength(EMAIL_CODE_SENDS_PER_HOUR + 1);
    // The next is refused until the second send leaves the hour: 60 s after the first did.
    const refused = await send(EMAIL_CODE_WINDOW_MS).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).retryAfterSeconds).toBe(60);
  });

  it(`lands at most ${EMAIL_CODE_SENDS_PER_HOUR} of ${EMAIL_CODE_SENDS_PER_HOUR + 4} sends made at once`, async () => {
    const created = await withCodeSigner();
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const answers = await Promise.all(Array.from({ length: EMAIL_CODE_SENDS_PER_HOUR + 4 }, () => askForCode(link)));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 202)).toHaveLength(EMAIL_CODE_SENDS_PER_HOUR);
    expect(statuses.filter((status) => status !== 202)).toEqual([429, 429, 429, 429]);
    const signer = await storedSigner(created.SignRequestId, created.Signers[0]!.SignerId);
    expect(signer.emailCode?.sentAt).toHaveLength(EMAIL_CODE_SENDS_PER_HOUR);
    const mailed = await codesMailed(created.SignRequestId);
    expect(mailed).toHaveLength(EMAIL_CODE_SENDS_PER_HOUR);
    // One code at a time: only the one stored works, whichever send stored it last.
    const now = new Date().toISOString();
    const working = mailed.filter(({ code }) => emailCodeMatches(signer, code, now));
    expect(working.length).toBeGreaterThanOrEqual(1);
    expect(new Set(working.map(({ code }) => code)).size).toBe(1);
  });

  it('answers a signer asked for no code 409 SIGNING_CODE_NOT_USED, and mails nothing', async () => {
    const created = await withCodeSigner();
    const refused = await askForCode(signingPath(created.Signers[1]!.SigningUrl));
    expect(refused.status).toBe(409);
    expect(refused.FailRules[0]?.Code).toBe('SIGNING_CODE_NOT_USED');
    expect(refused.Data).toBeNull();
    expect(await codesMailed(created.SignRequestId)).toEqual([]);
  });

  it('refuses as the link does: 404 for a link that opens nothing, 410 once recalled, 409 once signed', async () => {
    const created = await withCodeSigner();
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const forged = link.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    expect((await askForCode(forged)).FailRules[0]?.Code).toBe('SIGNING_LINK_NOT_FOUND');
    expect((await askForCode(forged)).status).toBe(404);
    expect((await askForCode('/v1/signing/not-a-token')).status).toBe(404);

    const signed = await withCodeSigner();
    const signedLink = signingPath(signed.Signers[0]!.SigningUrl);
    expect((await askForCode(signedLink)).status).toBe(202);
    const code = await onlyCode(signed.SignRequestId);
    expect((await service.post(`${signedLink}/sign`, undefined, { 'x-signer-proof': code })).status).toBe(200);
    const afterSigning = await askForCode(signedLink);
    expect([afterSigning.status, afterSigning.FailRules[0]?.Code]).toEqual([409, 'ALREADY_SIGNED']);

    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
      200,
    );
    const recalled = await askForCode(link);
    expect([recalled.status, recalled.FailRules[0]?.Code]).toEqual([410, 'SIGN_REQUEST_CANCELLED']);
    expect(await codesMailed(created.SignRequestId)).toEqual([]);
    // The one code mailed was the one the signer signed with; none after the signature.
    expect((await codesMailed(signed.SignRequestId)).map((mailed) => mailed.code)).toEqual([code]);
  });

  it('refuses a signer locked by wrong codes (429 SIGNER_LOCKED): a fresh code would be a fresh guess', async () => {
    const created = await withCodeSigner();
    const link = signingPath(created.Signers[0]!.SigningUrl);
    expect((await askForCode(link)).status).toBe(202);
    const right = await onlyCode(created.SignRequestId);
    const wrong = right === '000000' ? '000001' : '000000';
    const answers: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++)
      answers.push((await service.get(link, { 'x-signer-proof': wrong })).status);
    expect(answers).toEqual([401, 401, 401, 401, 429]);
    const locked = await askForCode(link);
    expect([locked.status, locked.FailRules[0]?.Code]).toEqual([429, 'SIGNER_LOCKED']);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await codesMailed(created.SignRequestId)).map((mailed) => mailed.code)).toEqual([right]);
  });

  it('sends a browser back to its link (303) once the code is mailed, and shows a refusal as a page', async () => {
    const created = await withCodeSigner();
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const form = await fetch(`${service.baseUrl}${link}/code`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe(link);
    const html = await fetch(`${service.baseUrl}${link}/code`, {
      method: 'POST',
      redirect: 'manual',
      headers: { accept: 'text/html' },
    });
    expect(html.status).toBe(303);
    expect(await codesMailed(created.SignRequestId)).toHaveLength(2);

    const other = await fetch(`${service.baseUrl}${signingPath(created.Signers[1]!.SigningUrl)}/code`, {
      method: 'POST',
      redirect: 'manual',
      headers: { accept: 'text/html' },
    });
    expect(other.status).toBe(409);
    expect(other.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await other.text()).toContain('not asked for a one-time code');
  });

  it('keeps the code out of every log line, the read, the signing view and the events', async () => {
    const writes = captureWrites();
    const created = await withCodeSigner();
    const asha = created.Signers[0]!;
    expect((await askForCode(signingPath(asha.SigningUrl))).status).toBe(202);
    const code = await onlyCode(created.SignRequestId);
    const signer = await storedSigner(created.SignRequestId, asha.SignerId);
    const hash = signer.emailCode?.hash ?? '';
    expect(hash).toMatch(/^[0-9a-f]{64}$/);

    const read = await service.get(`/v1/sign-requests/${created.SignRequestId}`, {
      authorization: `Bearer ${app.token}`,
    });
    const view = await service.get(signingPath(asha.SigningUrl));
    const events = await storedEventsOf(created.SignRequestId);
    vi.restoreAllMocks();
    expect(writes.some((line) => line.includes('"code":"OK"'))).toBe(true);
    const word = new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`);
    for (const [what, text] of [
      ['logs', writes.join('\n')],
      ['read', JSON.stringify(read)],
      ['signing view', JSON.stringify(view)],
      ['events', JSON.stringify(events)],
    ] as const) {
      expect(word.test(text), `the code in the ${what}`).toBe(false);
      expect(text.includes(hash), `the code's hash in the ${what}`).toBe(false);
    }
    // A code changes nothing an app reads: no history entry, so no event and no new version.
    expect(events.map((event) => event.type)).toEqual(['SignRequestCreated']);
    expect(read.headers.get('etag')).toBe('"1"');
  });
});
