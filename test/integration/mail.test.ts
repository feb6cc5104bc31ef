import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindDueRequests } from '../../functions/workflows/remind-due.ts';
import { remindSigners } from '../../functions/workflows/remind.ts';
import { createMailerHandler } from '../../functions/handlers/mailer.ts';
import { asDeliveredEvent } from '../../functions/events/event-bridge.ts';
import { OutboxNotifier } from '../../functions/notifications/outbox-notifier.ts';
import { MailCapStore } from '../../functions/store/mail-cap.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { sqsRecord } from '../../infra/local/sqs-record.ts';
import {
  config,
  documentClient,
  httpDependencies,
  logger,
  mailCap,
  mailLinks,
  notices,
  signRequests,
  unlimitedSendRate,
} from '../support/dependencies.ts';
import { storedEventOf } from '../support/domain-events.ts';
import { LOOK } from '../../functions/look.ts';
import { startMailService, type MailboxEntry, type MailService } from '../support/mail-service.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Created } from '../support/service.ts';

let service: MailService;
let app: Awaited<ReturnType<typeof newApp>>;
beforeAll(async () => {
  service = await startMailService();
  app = await newApp('Mail');
});
afterAll(() => service.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const remind = (id: string, token = app.token) =>
  service.post<{ Reminded: string[]; NotYet: { SignerId: string; RemindableAt: string }[] }>(
    `/v1/sign-requests/${id}/remind`,
    undefined,
    bearer(token),
  );
const sign = async (signingUrl: string) => {
  const signed = await service.post(`${signingPath(signingUrl)}/sign`);
  expect(signed.status).toBe(200);
};
const byRecipient = (mail: MailboxEntry[]) => Object.fromEntries(mail.map((entry) => [entry.To, entry]));
const quiet = { sendInvitations: false };
const escapeRe = (value: string) => value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('invitations', () => {
  it('e-mails each signer their own signing link, which opens their part of the request', async () => {
    const created = await initiate(service, app.token, 2);
    const mail = await service.mail(created.SignRequestId);
    expect(mail.map((entry) => entry.Kind)).toEqual(['INVITATION', 'INVITATION']);
    const to = byRecipient(mail);
    for (const signer of created.Signers) {
      const invitation = to[signer.Email]!;
      expect(invitation.Subject).toBe('Please sign "Contract.pdf"');
      expect(invitation.Text).toContain(signer.SigningUrl);
      expect(invitation.Html).toContain(`<a href="${signer.SigningUrl}"`);
      // Nobody else's link: each message holds exactly one link, the recipient's own.
      for (const other of created.Signers.filter((candidate) => candidate !== signer))
        expect(invitation.Text + invitation.Html).not.toContain(other.SigningUrl);
      expect(invitation.Html.match(/<a /g)).toHaveLength(1);
    }
    const link = new URL(/https?:\/\/\S+/.exec(to[created.Signers[1]!.Email]!.Text)![0]);
    const opened = await service.get<{ SignerId: string }>(link.pathname);
    expect(opened.status).toBe(200);
    expect(opened.Data.SignerId).toBe(created.Signers[1]!.SignerId);
  });

  it('sends none when the app delivers the links itself (sendInvitations: false)', async () => {
    const created = await initiate(service, app.token, 2, quiet);
    expect(await service.mail(created.SignRequestId)).toEqual([]);
  });

  it('a resend invites the replacement’s signers to their new links and keeps the mail options it was given', async () => {
    const invited = await initiate(service, app.token, 2, { senderEmail: 'sender@example.com' });
    expect((await service.post('/v1/sign-requests/recall', recallBody(invited.SignRequestId, app.token))).status).toBe(
      200,
    );
    const resent = await service.post<Created>(`/v1/sign-requests/${invited.SignRequestId}/resend`, undefined, {
      authorization: `Bearer ${app.token}`,
    });
    expect(resent.status).toBe(201);
    const to = byRecipient(await service.mail(resent.Data.SignRequestId));
    expect(Object.keys(to).sort()).toEqual(invited.Signers.map((signer) => signer.Email).sort());
    for (const signer of resent.Data.Signers) {
      expect(to[signer.Email]!.Kind).toBe('INVITATION');
      expect(to[signer.Email]!.Text).toContain(signer.SigningUrl);
    }
    const read = await service.get<{ SenderEmail: string | null }>(`/v1/sign-requests/${resent.Data.SignRequestId}`, {
      authorization: `Bearer ${app.token}`,
    });
    expect(read.Data.SenderEmail).toBe('sender@example.com');

    // An app that delivers its links itself still does after a resend.
    const silent = await initiate(service, app.token, 2, quiet);
    await service.post('/v1/sign-requests/recall', recallBody(silent.SignRequestId, app.token));
    const silentResent = await service.post<Created>(`/v1/sign-requests/${silent.SignRequestId}/resend`, undefined, {
      authorization: `Bearer ${app.token}`,
    });
    expect(silentResent.status).toBe(201);
    expect(await service.mail(silentResent.Data.SignRequestId)).toEqual([]);
  });

  it('refuses a sendInvitations that is not a boolean', async () => {
    const answer = await service.post('/v1/sign-requests', {
      appToken: app.token,
      documentName: 'Contract.pdf',
      signers: [{ name: 'Asha', email: 'asha@example.com' }],
      sendInvitations: 'no',
    });
    expect(answer.status).toBe(400);
    expect(answer.FailRules).toEqual([
      { Code: 'VALIDATION_FAILED', Message: 'sendInvitations must be true or false', Field: 'sendInvitations' },
    ]);
  });
});

describe('reminders', () => {
  it('reminds the signers who have not signed, then refuses within the hour with Retry-After', async () => {
    const created = await initiate(service, app.token, 3, quiet);
    await sign(created.Signers[0]!.SigningUrl);
    const first = await remind(created.SignRequestId);
    expect(first.status).toBe(200);
    expect(first.Data.Reminded).toEqual([created.Signers[1]!.SignerId, created.Signers[2]!.SignerId]);
    expect(first.Data.NotYet).toEqual([]);
    const mail = await service.mail(created.SignRequestId);
    expect(mail.map((entry) => [entry.Kind, entry.To]).sort()).toEqual([
      ['REMINDER', created.Signers[1]!.Email],
      ['REMINDER', created.Signers[2]!.Email],
    ]);
    expect(byRecipient(mail)[created.Signers[2]!.Email]!.Text).toContain(created.Signers[2]!.SigningUrl);

    const again = await remind(created.SignRequestId);
    expect(again.status).toBe(429);
    expect(again.FailRules[0]!.Code).toBe('REMIND_TOO_SOON');
    const retryAfter = Number(again.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await service.mail(created.SignRequestId)).toHaveLength(2);

    const read = await service.get<{ Signers: { LastRemindedAt: string | null }[] }>(
      `/v1/sign-requests/${created.SignRequestId}`,
      bearer(app.token),
    );
    expect(read.Data.Signers.map((signer) => signer.LastRemindedAt !== null)).toEqual([false, true, true]);
  });

  it('reminds each signer once when twenty reminders arrive at once', async () => {
    const created = await initiate(service, app.token, 3, quiet);
    const answers = await Promise.all(Array.from({ length: 20 }, () => remind(created.SignRequestId)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 429)).toHaveLength(19);
    const mail = await service.mail(created.SignRequestId);
    expect(mail.map((entry) => entry.To).sort()).toEqual(created.Signers.map((signer) => signer.Email).sort());
  });

  it('reminds those due and names the others with their time when only some are due', async () => {
    const created = await initiate(service, app.token, 2, quiet);
    const [a, b] = created.Signers as [Created['Signers'][0], Created['Signers'][0]];
    const t0 = new Date(Date.now() + 60_000).toISOString();
    // Signer a was reminded at t0 (as by an earlier call); ten minutes later only b is due.
    const first = await remindSigners({ signRequests, mailCap, clock: () => t0 }, created.SignRequestId, app.appId);
    expect(first.due.sort()).toEqual([a.SignerId, b.SignerId].sort());
    await sign(a.SigningUrl);
    const later = new Date(Date.parse(t0) + 61 * 60_000).toISOString();
    const second = await remindSigners({ signRequests, mailCap, clock: () => later }, created.SignRequestId, app.appId);
    expect(second.due).toEqual([b.SignerId]);
    expect(second.notYet).toEqual([]);
  });

  it('answers 404 for another app’s or an unknown request, and 409 for a closed one', async () => {
    const other = await newApp('Other');
    const created = await initiate(service, app.token, 1, quiet);
    const foreign = await remind(created.SignRequestId, other.token);
    expect(foreign.status).toBe(404);
    expect(foreign.FailRules).toEqual([{ Code: 'SIGN_REQUEST_NOT_FOUND', Message: 'No sign request found' }]);
    expect((await remind('01HV6MEARQD3X8ZXXX5FR3YDB8')).status).toBe(404);
    expect((await remind('not-an-id')).status).toBe(404);
    await service.post('/v1/sign-requests/recall', {
      ...recallBody(created.SignRequestId, app.token),
      notifySigners: false,
    });
    const closed = await remind(created.SignRequestId);
    expect(closed.status).toBe(409);
    expect(closed.FailRules).toEqual([
      { Code: 'SIGN_REQUEST_CLOSED', Message: 'This request is cancelled: nobody is left to remind' },
    ]);
    expect(await service.mail(created.SignRequestId)).toEqual([]);
  });

  it('are sent automatically every remindEveryDays until the request closes', async () => {
    const created = await initiate(service, app.token, 2, { ...quiet, remindEveryDays: 2 });
    const day = (n: number) => new Date(Date.now() + n * 86_400_000 + 60_000).toISOString();
    const run = (now: string) => remindDueRequests({ signRequests, mailCap }, now);

    expect((await run(day(1))).reminded).toBe(0);
    expect(await service.mail(created.SignRequestId)).toEqual([]);
    expect((await run(day(2))).reminded).toBe(1);
    expect((await service.mail(created.SignRequestId)).map((entry) => entry.Kind)).toEqual(['REMINDER', 'REMINDER']);
    // The same moment again: the next reminder is due two days later, not now.
    expect((await run(day(2))).reminded).toBe(0);
    await sign(created.Signers[0]!.SigningUrl);
    // Day 4: only the signer who has not signed.
    await run(day(4));
    const mail = await service.mail(created.SignRequestId);
    expect(mail).toHaveLength(3);
    expect(mail[0]!.To).toBe(created.Signers[1]!.Email);

    await service.post('/v1/sign-requests/recall', {
      ...recallBody(created.SignRequestId, app.token),
      notifySigners: false,
    });
    expect((await run(day(6))).left).toBeGreaterThanOrEqual(1);
    expect(await service.mail(created.SignRequestId)).toHaveLength(3);
    expect((await signRequests.get(created.SignRequestId))?.nextReminderAt).toBeUndefined();
  });

  it('refuses a remindEveryDays outside 1-30', async () => {
    for (const remindEveryDays of [0, 31, 1.5, '2']) {
      const answer = await service.post('/v1/sign-requests', {
        appToken: app.token,
        documentName: 'Contract.pdf',
        signers: [{ name: 'Asha', email: 'asha@example.com' }],
        remindEveryDays,
      });
      expect(answer.status).toBe(400);
      expect(answer.FailRules[0]!.Field).toBe('remindEveryDays');
    }
  });
});

describe('recall, decline and completion notices', () => {
  const withSender = { ...quiet, senderEmail: 'sender@example.com', requestedBy: 'Mohit Bansal' };

  it('a recall tells the signers who had not signed, those who had, and the sender', async () => {
    const created = await initiate(service, app.token, 2, withSender);
    await sign(created.Signers[0]!.SigningUrl);
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    const to = byRecipient(await service.mail(created.SignRequestId));
    expect(Object.keys(to).sort()).toEqual(
      [...created.Signers.map((signer) => signer.Email), 'sender@example.com'].sort(),
    );
    expect(Object.values(to).every((entry) => entry.Kind === 'RECALLED')).toBe(true);
    expect(to[created.Signers[0]!.Email]!.Text).toContain('Your signature will not be used');
    expect(to[created.Signers[1]!.Email]!.Text).toContain('Your signing link for this document no longer works');
    expect(to['sender@example.com']!.Text).toContain('1 of 2 signers had signed');
    for (const entry of Object.values(to)) {
      expect(entry.Text).toContain('"Request raised mistakenly"');
      expect(entry.Text + entry.Html).not.toMatch(/\/v1\/signing\//);
    }
  });

  it('a recall with notifySigners: false tells nobody', async () => {
    const created = await initiate(service, app.token, 2, withSender);
    const recall = await service.post('/v1/sign-requests/recall', {
      ...recallBody(created.SignRequestId, app.token),
      notifySigners: false,
    });
    expect(recall.Data).toBe(true);
    expect(await service.mail(created.SignRequestId)).toEqual([]);
  });

  it('the last signature tells every signer and the sender that the document is complete', async () => {
    const created = await initiate(service, app.token, 2, withSender);
    for (const signer of created.Signers) await sign(signer.SigningUrl);
    const mail = await service.mail(created.SignRequestId);
    expect(mail.map((entry) => entry.To).sort()).toEqual(
      [...created.Signers.map((signer) => signer.Email), 'sender@example.com'].sort(),
    );
    expect(mail.every((entry) => entry.Kind === 'COMPLETED' && entry.Subject === 'Completed: "Contract.pdf"')).toBe(
      true,
    );
    expect(mail[0]!.Text).toContain('Signed by Signer 1, Signer 2.');
  });

  it('a decline tells the sender and the other signers, not the one who declined', async () => {
    const created = await initiate(service, app.token, 3, withSender);
    await sign(created.Signers[1]!.SigningUrl);
    const decliner = created.Signers[0]!;
    const declined = await service.post(`${signingPath(decliner.SigningUrl)}/decline`, {
      reason: 'Wrong <b>amount</b>',
    });
    expect(declined.status).toBe(200);
    const to = byRecipient(await service.mail(created.SignRequestId));
    expect(Object.keys(to).sort()).toEqual(
      [created.Signers[1]!.Email, created.Signers[2]!.Email, 'sender@example.com'].sort(),
    );
    expect(to[created.Signers[1]!.Email]!.Text).toContain('Your signature will not be used.');
    // The reason is the sender's alone: the other signers are told who declined and when, not why.
    for (const signer of [created.Signers[1]!, created.Signers[2]!]) {
      expect(to[signer.Email]!.Text).toContain('Signer 1 declined to sign');
      expect(to[signer.Email]!.Text + to[signer.Email]!.Html).not.toContain('amount');
    }
    expect(to['sender@example.com']!.Text).toContain('Signer 1 declined to sign "Contract.pdf"');
    expect(to['sender@example.com']!.Html).toContain('Wrong &lt;b&gt;amount&lt;/b&gt;');
    expect(Object.values(to).every((entry) => entry.Kind === 'DECLINED')).toBe(true);
  });

  it('shows the sender e-mail in the read, and refuses one that is not an address', async () => {
    const created = await initiate(service, app.token, 1, withSender);
    const read = await service.get<{ SenderEmail: string }>(
      `/v1/sign-requests/${created.SignRequestId}`,
      bearer(app.token),
    );
    expect(read.Data.SenderEmail).toBe('sender@example.com');
    const answer = await service.post('/v1/sign-requests', {
      appToken: app.token,
      documentName: 'Contract.pdf',
      signers: [{ name: 'Asha', email: 'asha@example.com' }],
      senderEmail: 'not an address',
    });
    expect(answer.status).toBe(400);
    expect(answer.FailRules).toEqual([
      { Code: 'VALIDATION_FAILED', Message: 'senderEmail must be a valid email address', Field: 'senderEmail' },
    ]);
  });
});

describe('how mail reads', () => {
  const paragraphs = (text: string) => text.split('\n\n');
  /** Every paragraph starts as a sentence does: with a capital, a digit or a quoted line, never mid-sentence. */
  const startsRight = (text: string) => paragraphs(text).every((paragraph) => /^[A-Z0-9>]/.test(paragraph));

  it('an invitation and a reminder greet by name without quotes, and start each sentence right, with and without requestedBy', async () => {
    const signers = [{ name: 'Asha Rao', email: 'asha@example.com' }];
    const withSender = await initiate(service, app.token, 1, {
      signers,
      requestedBy: 'Mohit Bansal',
      message: 'Please sign by Friday.',
    });
    const without = await initiate(service, app.token, 1, { signers });
    const [named] = await service.mail(withSender.SignRequestId);
    const [unnamed] = await service.mail(without.SignRequestId);
    expect(paragraphs(named!.Text).slice(0, 4)).toEqual([
      'Hello Asha Rao,',
      `Mohit Bansal asks you to sign "Contract.pdf" (${withSender.RequestNo}).`,
      'Message from Mohit Bansal:',
      '> Please sign by Friday.',
    ]);
    expect(paragraphs(unnamed!.Text).slice(0, 2)).toEqual([
      'Hello Asha Rao,',
      `You are asked to sign "Contract.pdf" (${without.RequestNo}).`,
    ]);
    for (const mail of [named!, unnamed!]) {
      expect(startsRight(mail.Text)).toBe(true);
      expect(mail.Text + mail.Html).not.toMatch(/["“]Asha Rao["”]|["“]Mohit Bansal["”]/);
    }

    for (const created of [withSender, without]) {
      const reminded = await remind(created.SignRequestId);
      expect(reminded.status).toBe(200);
    }
    const named2 = (await service.mail(withSender.SignRequestId)).find((mail) => mail.Kind === 'REMINDER')!;
    const unnamed2 = (await service.mail(without.SignRequestId)).find((mail) => mail.Kind === 'REMINDER')!;
    expect(paragraphs(named2.Text)[1]).toBe(
      `Mohit Bansal is still waiting for your signature on "Contract.pdf" (${withSender.RequestNo}).`,
    );
    expect(paragraphs(unnamed2.Text)[1]).toBe(
      `Your signature is still awaited on "Contract.pdf" (${without.RequestNo}).`,
    );
    for (const mail of [named2, unnamed2]) expect(startsRight(mail.Text)).toBe(true);
  });

  it('notices name people without quotes and start each sentence right', async () => {
    const created = await initiate(service, app.token, 2, { senderEmail: 'sender@example.com' });
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    const mail = (await service.mail(created.SignRequestId)).filter((entry) => entry.Kind === 'RECALLED');
    expect(mail).toHaveLength(3);
    for (const notice of mail) {
      expect(startsRight(notice.Text)).toBe(true);
      expect(notice.Text).toContain(`Mohit Bansal recalled the request for signatures on "Contract.pdf"`);
      expect(notice.Text).toContain('Reason given: "Request raised mistakenly"');
      expect(notice.Text + notice.Html).not.toMatch(/["“]Mohit Bansal["”]|["“]Signer \d["”]/);
    }
  });

  it('mail HTML wears the signer page’s look, inline for mail clients: one shared style', async () => {
    const created = await initiate(service, app.token, 1);
    const [invitation] = await service.mail(created.SignRequestId);
    const html = invitation!.Html;
    // Inline styles only: mail clients drop <style> sheets and classes.
    expect(html).not.toMatch(/<style|class=/);
    expect(html).toMatch(
      new RegExp(`<body style="[^"]*background:${LOOK.pageBackground}[^"]*font:${escapeRe(LOOK.font)}`),
    );
    expect(html).toContain(`color:${LOOK.ink}`);
    // The signing link as the page's Sign button looks: the accent colour on white.
    expect(html).toMatch(
      new RegExp(`<a href="${escapeRe(created.Signers[0]!.SigningUrl)}" style="[^"]*background:${LOOK.accent}`),
    );
    // The signer's page is drawn from the same values.
    const page = await fetch(created.Signers[0]!.SigningUrl.replace(/^https?:\/\/[^/]+/, service.baseUrl), {
      headers: { accept: 'text/html' },
    });
    const pageHtml = await page.text();
    for (const value of [LOOK.font, LOOK.pageBackground, LOOK.ink, LOOK.accent]) expect(pageHtml).toContain(value);
  });
});

describe('hostile text', () => {
  // Controls, bidi embeddings/overrides/isolates/marks and zero-width characters: none may reach a mail.
  const INVISIBLE =
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff]/u;

  it('strips bidi overrides and zero-width characters, and escapes markup, in subject, text and HTML', async () => {
    const created = await initiate(service, app.token, 1, {
      documentName: 'invoice\u202Efdp.exe <script>alert(1)</script>',
      signers: [{ name: 'Eve \u2066<img src=x onerror=alert(1)>\u2069\u200B', email: 'eve@example.com' }],
      requestedBy: '\u200B\u200D',
      message: 'Pay now:\nhttp://evil.example/\u202E',
    });
    const [invitation] = await service.mail(created.SignRequestId);
    for (const part of [invitation!.Subject, invitation!.Text, invitation!.Html]) expect(part).not.toMatch(INVISIBLE);
    expect(invitation!.Subject).toBe('Please sign "invoicefdp.exe <script>alert(1)</script>"');
    expect(invitation!.Html).not.toContain('<script>');
    expect(invitation!.Html).not.toContain('<img');
    expect(invitation!.Html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The sender's message is quoted data, never a link; the signing link is the only anchor.
    expect(invitation!.Html.match(/<a /g)).toHaveLength(1);
    expect(invitation!.Html).not.toContain('href="http://evil');
    // A name with nothing visible left shows a neutral word instead.
    expect(invitation!.Text).toContain('You are asked to sign');
  });

  it('refuses names and document names made only of invisible characters', async () => {
    const answer = await service.post('/v1/sign-requests', {
      appToken: app.token,
      documentName: '\u200B\u202E',
      signers: [{ name: '\u200B\u200C\u2060', email: 'zw@example.com' }],
    });
    expect(answer.status).toBe(400);
    expect(answer.FailRules).toEqual([
      { Code: 'VALIDATION_FAILED', Message: 'documentName must contain visible characters', Field: 'documentName' },
      { Code: 'VALIDATION_FAILED', Message: 'name must contain visible characters', Field: 'signers.0.name' },
    ]);
  });
});

describe('the local mailbox', () => {
  it('shows every mail newest first as a page, its links clickable and its data escaped', async () => {
    const created = await initiate(service, app.token, 1, {
      signers: [{ name: '<i>Ivy</i>', email: 'ivy@example.com' }],
    });
    await service.mail(created.SignRequestId);
    const response = await fetch(`${service.baseUrl}/local/mail`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // No other page may frame the mailbox (clickjacking its links), as none may frame the signer's page.
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const page = await response.text();
    expect(page).toContain('<h1>Local mailbox</h1>');
    expect(page).not.toContain('<i>Ivy</i>');
    // The mail's HTML sits in a sandboxed frame, itself escaped once more into the srcdoc attribute.
    expect(page).toContain('sandbox=');
    expect(page).toContain(`&lt;a href=&quot;${created.Signers[0]!.SigningUrl}&quot; style=`);
    const json = await service.mail();
    expect(json.map((entry) => entry.SentAt)).toEqual([...json.map((entry) => entry.SentAt)].sort().reverse());
  });
});

describe('the daily mail cap', () => {
  // A cap of 5 on this app's own counter, through the real store: initiate, remind and the mailer as wired.
  const capped = () => new MailCapStore(documentClient, config.tableName, 5);

  it('counts concurrent takes exactly: never more than the cap, whatever the interleaving', async () => {
    const cap = capped();
    const other = await newApp('Capped');
    const at = new Date().toISOString();
    const taken = await Promise.all(Array.from({ length: 12 }, () => cap.take(other.appId, 1, at)));
    expect(taken.filter(Boolean)).toHaveLength(5);
    expect(await cap.take(other.appId, 1, at)).toBe(false);
    // Another UTC day starts again.
    expect(await cap.take(other.appId, 5, new Date(Date.now() + 86_400_000).toISOString())).toBe(true);
  });

  it('refuses an initiate or a reminder that would pass it (429 MAIL_CAP_REACHED), and drops notices over it', async () => {
    const capApp = await newApp('Capped service');
    const deps = { ...httpDependencies, mailCap: capped() };
    const cappedService = await startService(deps);
    try {
      const body = (signers: number, extra: Record<string, unknown> = {}) => ({
        appToken: capApp.token,
        documentName: 'Contract.pdf',
        signers: Array.from({ length: signers }, (_, i) => ({ name: `S${i}`, email: `s${i}@example.com` })),
        ...extra,
      });
      expect((await cappedService.post('/v1/sign-requests', body(4))).status).toBe(201);
      const refused = await cappedService.post('/v1/sign-requests', body(2));
      expect(refused.status).toBe(429);
      expect(refused.FailRules).toEqual([
        {
          Code: 'MAIL_CAP_REACHED',
          Message: "This would pass this app's limit of 5 e-mails a day (UTC); try again tomorrow",
        },
      ]);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // No invitations, no mail counted: still accepted.
      const quietOne = await cappedService.post<Created>('/v1/sign-requests', body(2, quiet));
      expect(quietOne.status).toBe(201);
      expect((await cappedService.post('/v1/sign-requests', body(1))).status).toBe(201); // the 5th
      const remindAnswer = await cappedService.post(
        `/v1/sign-requests/${quietOne.Data.SignRequestId}/remind`,
        undefined,
        bearer(capApp.token),
      );
      expect(remindAnswer.status).toBe(429);
      expect(remindAnswer.FailRules[0]!.Code).toBe('MAIL_CAP_REACHED');

      // A notice is never refused to the caller: the recall lands, and the mailer drops what passes the cap.
      const recall = await cappedService.post(
        '/v1/sign-requests/recall',
        recallBody(quietOne.Data.SignRequestId, capApp.token),
      );
      expect(recall.Data).toBe(true);
      const mailbox = new OutboxNotifier();
      const recalled = await storedEventOf(quietOne.Data.SignRequestId, 'SignRequestRecalled');
      const consumer = createMailerHandler({
        signRequests,
        notices,
        notifier: mailbox,
        sendRate: unlimitedSendRate,
        logger,
        linkFor: mailLinks,
        mailCap: deps.mailCap,
        documents: httpDependencies.documents,
      });
      const answer = await consumer(
        { Records: [sqsRecord('m0', JSON.stringify(asDeliveredEvent(recalled)))] },
        localLambdaContext('mailer'),
      );
      expect(answer.batchItemFailures).toEqual([]);
      expect(mailbox.sent).toEqual([]);
    } finally {
      await cappedService.close();
    }
  });
});
