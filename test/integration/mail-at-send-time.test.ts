import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailService, type MailboxEntry, type MailService } from '../support/mail-service.ts';
import { initiate, newApp, recallBody, signingPath } from '../support/service.ts';

/**
 * The mailer decides each message on the request as it stands when the message is sent, not as it stood when the
 * event was published: a signer never gets an invitation after the recall notice, nor for a request they
 * already signed. Deliveries to the mailer can be held back here (`held`), as a queue backlog holds them in AWS.
 */
let held: Promise<void> = Promise.resolve();
let service: MailService;
let app: Awaited<ReturnType<typeof newApp>>;
beforeAll(async () => {
  service = await startMailService({ beforeDelivery: () => held });
  app = await newApp('Mail at send time');
});
afterAll(() => service.close());

/** Holds every delivery to the mailer until the returned function is called. */
const holdMail = () => {
  let release = () => undefined as void;
  held = new Promise((resolve) => (release = resolve));
  return () => {
    release();
    held = Promise.resolve();
  };
};

/** Each recipient's mail kinds for one request, oldest first (the mailbox lists newest first). */
const kindsByRecipient = (mail: MailboxEntry[], signRequestId: string): Record<string, string[]> => {
  const kinds: Record<string, string[]> = {};
  for (const entry of [...mail].reverse().filter((each) => each.SignRequestId === signRequestId))
    (kinds[entry.To] ??= []).push(entry.Kind);
  return kinds;
};

/** An invitation a signer got is followed by the recall notice; none comes after it. */
const invitationsSupersededByRecall = (kinds: string[]): boolean => {
  const lastInvitation = kinds.lastIndexOf('INVITATION');
  return lastInvitation === -1 || kinds.indexOf('RECALLED', lastInvitation) > lastInvitation;
};

describe('mail decided at send time', () => {
  it('sends no invitation for a request recalled before its invitations went out, only the recall notice', async () => {
    const release = holdMail();
    const created = await initiate(service, app.token, 3);
    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
      200,
    );
    release();
    const kinds = kindsByRecipient(await service.mail(), created.SignRequestId);
    expect(kinds).toEqual(Object.fromEntries(created.Signers.map((signer) => [signer.Email, ['RECALLED']])));
  });

  it('sends no invitation to a signer who signed before it went out: a one-signer request gets its completion notice only', async () => {
    const release = holdMail();
    const created = await initiate(service, app.token, 1);
    const signed = await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`);
    expect(signed.status).toBe(200);
    release();
    const kinds = kindsByRecipient(await service.mail(), created.SignRequestId);
    expect(kinds).toEqual({ [created.Signers[0]!.Email]: ['COMPLETED'] });
  });

  it('sends no reminder held back past the request’s recall', async () => {
    const created = await initiate(service, app.token, 2, { sendInvitations: false });
    const release = holdMail();
    const reminded = await service.post(`/v1/sign-requests/${created.SignRequestId}/remind`, undefined, {
      authorization: `Bearer ${app.token}`,
    });
    expect(reminded.status).toBe(200);
    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
      200,
    );
    release();
    const kinds = kindsByRecipient(await service.mail(), created.SignRequestId);
    expect(kinds).toEqual(Object.fromEntries(created.Signers.map((signer) => [signer.Email, ['RECALLED']])));
  });

  it('initiate then recall at once, many times over: no signer gets an invitation the recall notice does not follow', async () => {
    const requests = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const created = await initiate(service, app.token, 3);
        const recalled = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
        expect(recalled.status).toBe(200);
        return created;
      }),
    );
    const mail = await service.mail();
    for (const created of requests) {
      const kinds = kindsByRecipient(mail, created.SignRequestId);
      expect(Object.keys(kinds).sort()).toEqual(created.Signers.map((signer) => signer.Email).sort());
      for (const [recipient, received] of Object.entries(kinds))
        expect({ recipient, received, fine: invitationsSupersededByRecall(received) }).toEqual({
          recipient,
          received,
          fine: true,
        });
    }
  });
});
