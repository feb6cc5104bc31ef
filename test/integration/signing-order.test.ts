import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindDueRequests } from '../../functions/workflows/remind-due.ts';
import { mailCap, signRequests } from '../support/dependencies.ts';
import { expectConsistent } from '../support/invariants.ts';
import { startMailService, type MailboxEntry, type MailService } from '../support/mail-service.ts';
import { pdfText } from '../support/pdf-tools.ts';
import { initiate, newApp, recallBody, signingPath, type Created } from '../support/service.ts';

// Signing order (initiate's `order`) through the real HTTP server, the embedded store and the mail pipeline.

let service: MailService;
let app: Awaited<ReturnType<typeof newApp>>;
beforeAll(async () => {
  service = await startMailService();
  app = await newApp('Signing Order');
});
afterAll(() => service.close());

const bearer = () => ({ authorization: `Bearer ${app.token}` });
const SENDER = 'sender@example.com';

/** A request whose signers sign in these groups (signer i is `signer{i+1}@example.com`). */
const inOrder = (groups: number[], extra: Record<string, unknown> = {}) =>
  initiate(service, app.token, groups.length, {
    signers: groups.map((order, i) => ({ name: `Signer ${i + 1}`, email: `signer${i + 1}@example.com`, order })),
    ...extra,
  });

type Signer = Created['Signers'][number];
const path = (signer: Signer) => signingPath(signer.SigningUrl);
const sign = (signer: Signer) => service.post<{ Status: string }>(`${path(signer)}/sign`);
const decline = (signer: Signer) => service.post(`${path(signer)}/decline`, { reason: 'Wrong fee' });
const open = (signer: Signer) =>
  service.get<{ YourTurn: boolean; SignerOrder: number; ViewedAt: string | null }>(path(signer));

interface Read {
  Status: string;
  Signers: { SignerId: string; Order: number; Status: string; ViewedAt: string | null }[];
  History: { At: string; Event: string; SignerId?: string; SignerIds?: string[] }[];
}
const read = async (id: string) => {
  const answer = await service.get<Read>(`/v1/sign-requests/${id}`, bearer());
  expect(answer.status).toBe(200);
  return answer.Data;
};
const stored = async (id: string) => {
  const request = await signRequests.get(id);
  if (!request) throw new Error('the request vanished');
  expectConsistent(request);
  return request;
};
/** The request's CurrentOrder as the app's list shows it. */
const listedOrder = async (id: string) => {
  const answer = await service.get<{ Items: { SignRequestId: string; CurrentOrder: number }[] }>(
    '/v1/sign-requests?limit=100',
    bearer(),
  );
  return answer.Data.Items.find((item) => item.SignRequestId === id)?.CurrentOrder;
};
/** Who got mail of this kind for this request, by address, in any order. */
const mailedTo = (mail: MailboxEntry[], kind: string) =>
  mail
    .filter((entry) => entry.Kind === kind)
    .map((entry) => entry.To)
    .sort();

const NOT_YOUR_TURN = {
  status: 409,
  FailRules: [
    {
      Code: 'NOT_YOUR_TURN',
      Message: 'It is not your turn to sign yet: you will be invited once the signers before you have signed',
    },
  ],
  Data: null,
};

describe('initiate with an order', () => {
  it('refuses an order that is not a whole number from 1 to the number of signers, naming the field', async () => {
    for (const [order, message] of [
      [0, 'order must be at least 1'],
      [1.5, 'order must be a whole number'],
      ['2', 'order must be a number'],
      [3, 'order must be at most the number of signers (2)'],
    ] as const) {
      const answer = await service.post('/v1/sign-requests', {
        appToken: app.token,
        documentName: 'Contract.pdf',
        signers: [
          { name: 'Asha', email: 'asha@example.com' },
          { name: 'Ben', email: 'ben@example.com', order },
        ],
      });
      expect(answer.status, String(order)).toBe(400);
      expect(answer.FailRules).toEqual([{ Code: 'VALIDATION_FAILED', Message: message, Field: 'signers.1.order' }]);
    }
  });

  it('reads each signer’s Order, 1 when none was given, and a gap is just a later group', async () => {
    const created = await initiate(service, app.token, 3, {
      signers: [
        { name: 'A', email: 'a@example.com', order: 3 },
        { name: 'B', email: 'b@example.com' },
        { name: 'C', email: 'c@example.com', order: 1 },
      ],
    });
    const answer = await read(created.SignRequestId);
    expect(answer.Signers.map((signer) => signer.Order)).toEqual([3, 1, 1]);
    // Group 1 invited at once; the group of order 3 next, with nothing in between.
    expect(mailedTo(await service.mail(created.SignRequestId), 'INVITATION')).toEqual([
      'b@example.com',
      'c@example.com',
    ]);
    for (const signer of created.Signers.slice(1)) expect((await sign(signer)).status).toBe(200);
    expect(mailedTo(await service.mail(created.SignRequestId), 'INVITATION')).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com',
    ]);
    expect((await sign(created.Signers[0]!)).Data.Status).toBe('COMPLETED');
    await stored(created.SignRequestId);
  });
});

describe('two groups', () => {
  it('refuses the second group 409 NOT_YOUR_TURN until the first has all signed, then invites and lets it sign', async () => {
    const created = await inOrder([1, 1, 2]);
    const [a, b, c] = created.Signers as [Signer, Signer, Signer];
    // Only the first group is invited.
    expect(mailedTo(await service.mail(created.SignRequestId), 'INVITATION')).toEqual([a.Email, b.Email].sort());

    // The second group's link opens, says it is not their turn, and records nothing; signing and declining refuse.
    const early = await open(c);
    expect(early.status).toBe(200);
    expect(early.Data).toMatchObject({ YourTurn: false, SignerOrder: 2, ViewedAt: null });
    expect(await sign(c)).toMatchObject(NOT_YOUR_TURN);
    expect(await decline(c)).toMatchObject(NOT_YOUR_TURN);
    expect((await open(a)).Data).toMatchObject({ YourTurn: true, SignerOrder: 1 });

    // One of the first group signing is not enough.
    expect((await sign(a)).Data.Status).toBe('PARTIALLY_SIGNED');
    expect(await sign(c)).toMatchObject(NOT_YOUR_TURN);
    let history = (await read(created.SignRequestId)).History;
    expect(history.filter((entry) => entry.Event === 'VIEWED').map((entry) => entry.SignerId)).toEqual([a.SignerId]);
    expect(history.map((entry) => entry.Event)).not.toContain('INVITED');
    expect(await listedOrder(created.SignRequestId)).toBe(1);

    // The first group's last signature invites the second, in its one write: one INVITED entry, one invitation.
    expect((await sign(b)).Data.Status).toBe('PARTIALLY_SIGNED');
    history = (await read(created.SignRequestId)).History;
    const invited = history.filter((entry) => entry.Event === 'INVITED');
    const signedB = history.find((entry) => entry.Event === 'SIGNED' && entry.SignerId === b.SignerId)!;
    // Stamped with the signature that invited: one write.
    expect(invited).toEqual([{ At: signedB.At, Event: 'INVITED', SignerIds: [c.SignerId] }]);
    const mail = await service.mail(created.SignRequestId);
    const toC = mail.filter((entry) => entry.To === c.Email);
    expect(toC.map((entry) => entry.Kind)).toEqual(['INVITATION']);
    expect(toC[0]!.Text).toContain(c.SigningUrl);
    expect(await listedOrder(created.SignRequestId)).toBe(2);

    expect((await open(c)).Data).toMatchObject({ YourTurn: true });
    expect((await sign(c)).Data.Status).toBe('COMPLETED');
    const final = await read(created.SignRequestId);
    expect(final.Signers.map((signer) => [signer.Order, signer.Status])).toEqual([
      [1, 'SIGNED'],
      [1, 'SIGNED'],
      [2, 'SIGNED'],
    ]);
    await stored(created.SignRequestId);
  });

  it('the signers of one group sign in parallel: each once, the next group invited once', async () => {
    const created = await inOrder([1, 1, 1, 2]);
    const first = created.Signers.slice(0, 3);
    const answers = await Promise.all(first.map(sign));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const request = await stored(created.SignRequestId);
    expect(request.history.filter((entry) => entry.event === 'INVITED')).toHaveLength(1);
    // The next group's one signer, invited once (the first group's invitations may have gone stale meanwhile:
    // a signer who signed before theirs went out is not asked again).
    const last = created.Signers[3]!;
    expect((await service.mail(created.SignRequestId)).filter((entry) => entry.To === last.Email)).toMatchObject([
      { Kind: 'INVITATION' },
    ]);
  });

  it('removing the last pending signer of the group signing now invites the next group, in that one write', async () => {
    const created = await inOrder([1, 1, 2]);
    const [a, b, c] = created.Signers as [Signer, Signer, Signer];
    expect((await sign(a)).Data.Status).toBe('PARTIALLY_SIGNED');
    const removed = await service.send(
      'DELETE',
      `/v1/sign-requests/${created.SignRequestId}/signers/${b.SignerId}`,
      undefined,
      bearer(),
    );
    expect(removed.status).toBe(200);

    const history = (await read(created.SignRequestId)).History;
    const removal = history.find((entry) => entry.Event === 'SIGNER_REMOVED')!;
    expect(history.filter((entry) => entry.Event === 'INVITED')).toEqual([
      { At: removal.At, Event: 'INVITED', SignerIds: [c.SignerId] },
    ]);
    expect(mailedTo(await service.mail(created.SignRequestId), 'INVITATION')).toEqual(
      [a.Email, b.Email, c.Email].sort(),
    );
    expect(await listedOrder(created.SignRequestId)).toBe(2);
    expect((await sign(c)).Data.Status).toBe('COMPLETED');
    await stored(created.SignRequestId);
  });

  it('a signer of a later group changed in flight keeps their group and is not invited before their turn', async () => {
    const created = await inOrder([1, 2]);
    const [a, b] = created.Signers as [Signer, Signer];
    const changed = await service.send<{ SignerId: string; SigningUrl: string }>(
      'PATCH',
      `/v1/sign-requests/${created.SignRequestId}/signers/${b.SignerId}`,
      { name: 'Bea Late' },
      bearer(),
    );
    expect(changed.status).toBe(200);
    const renamed = { ...b, SignerId: changed.Data.SignerId, SigningUrl: changed.Data.SigningUrl, Name: 'Bea Late' };
    expect(await sign(renamed)).toMatchObject(NOT_YOUR_TURN);
    expect(mailedTo(await service.mail(created.SignRequestId), 'INVITATION')).toEqual([a.Email]);

    expect((await sign(a)).Data.Status).toBe('PARTIALLY_SIGNED');
    expect(mailedTo(await service.mail(created.SignRequestId), 'INVITATION')).toEqual([a.Email, b.Email].sort());
    expect((await read(created.SignRequestId)).Signers.map((signer) => [signer.SignerId, signer.Order])).toEqual([
      [a.SignerId, 1],
      [renamed.SignerId, 2],
    ]);
    expect((await sign(renamed)).Data.Status).toBe('COMPLETED');
    await stored(created.SignRequestId);
  });

  it('a resend keeps each signer’s order', async () => {
    const created = await inOrder([2, 1]);
    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
      200,
    );
    const resent = await service.post<Created>(
      `/v1/sign-requests/${created.SignRequestId}/resend`,
      undefined,
      bearer(),
    );
    expect(resent.status).toBe(201);
    expect((await read(resent.Data.SignRequestId)).Signers.map((signer) => signer.Order)).toEqual([2, 1]);
    expect(await sign(resent.Data.Signers[0]!)).toMatchObject(NOT_YOUR_TURN);
  });
});

describe('the page of a later group’s link', () => {
  const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
  const page = async (pathname: string, form?: Record<string, string>) => {
    const response = await fetch(`${service.baseUrl}${pathname}`, {
      ...(form
        ? {
            method: 'POST',
            headers: { accept: BROWSER, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(form).toString(),
          }
        : { headers: { accept: BROWSER } }),
    });
    return { status: response.status, html: await response.text() };
  };

  it('shows "Not your turn yet" and no form; a posted form is refused 409 with the page saying why', async () => {
    const created = await inOrder([1, 2]);
    const later = path(created.Signers[1]!);
    const opened = await page(later);
    expect(opened.status).toBe(200);
    expect(opened.html).toContain('Not your turn yet');
    expect(opened.html).not.toContain('<form');
    for (const [action, form] of [
      ['sign', { signedName: 'Signer 2' }],
      ['decline', { reason: 'Too early' }],
    ] as const) {
      const posted = await page(`${later}/${action}`, form);
      expect(posted.status, action).toBe(409);
      expect(posted.html).toContain('was not recorded:</strong> it is not your turn yet');
      expect(posted.html).not.toContain('<form');
    }
    const request = await stored(created.SignRequestId);
    expect(request.signers[created.Signers[1]!.SignerId]).toMatchObject({ status: 'PENDING' });
    expect(request.signers[created.Signers[1]!.SignerId]?.viewedAt).toBeUndefined();
    expect(request.status).toBe('PENDING');
  });
});

describe('reminders', () => {
  it('POST .../remind reminds the current group only, then the next once it is invited', async () => {
    const created = await inOrder([1, 1, 2], { sendInvitations: false });
    const [a, b, c] = created.Signers as [Signer, Signer, Signer];
    const remind = () =>
      service.post<{ Reminded: string[]; NotYet: unknown[] }>(
        `/v1/sign-requests/${created.SignRequestId}/remind`,
        undefined,
        bearer(),
      );
    const first = await remind();
    expect(first.status).toBe(200);
    expect(first.Data).toMatchObject({ Reminded: [a.SignerId, b.SignerId], NotYet: [] });
    // Each mail is decided when it is sent: let the first reminders go before their signers sign.
    expect(mailedTo(await service.mail(created.SignRequestId), 'REMINDER')).toEqual([a.Email, b.Email].sort());
    await sign(a);
    await sign(b);
    const second = await remind();
    expect(second.Data).toMatchObject({ Reminded: [c.SignerId], NotYet: [] });
    expect(mailedTo(await service.mail(created.SignRequestId), 'REMINDER')).toEqual([a.Email, b.Email, c.Email].sort());
  });

  it('the automatic reminders remind the current group only', async () => {
    const created = await inOrder([2, 1], { sendInvitations: false, remindEveryDays: 1 });
    const dayLater = new Date(Date.now() + 86_400_000 + 60_000).toISOString();
    expect((await remindDueRequests({ signRequests, mailCap }, dayLater)).reminded).toBeGreaterThanOrEqual(1);
    const mail = await service.mail(created.SignRequestId);
    expect(mailedTo(mail, 'REMINDER')).toEqual([created.Signers[1]!.Email]);
  });
});

describe('a recall or a decline stops the chain', () => {
  it('a recall tells the signers reached and the sender, never a group not invited', async () => {
    const created = await inOrder([1, 2, 3], { senderEmail: SENDER });
    const [a, b, c] = created.Signers as [Signer, Signer, Signer];
    await sign(a);
    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
      200,
    );
    const mail = await service.mail(created.SignRequestId);
    expect(mailedTo(mail, 'RECALLED')).toEqual([a.Email, b.Email, SENDER].sort());
    expect(mail.filter((entry) => entry.To === c.Email)).toEqual([]);
    expect(await sign(c)).toMatchObject({ status: 410, FailRules: [{ Code: 'SIGN_REQUEST_CANCELLED' }] });
    await stored(created.SignRequestId);
  });

  it('a decline tells the other signers reached and the sender, never a group not invited', async () => {
    const created = await inOrder([1, 1, 2], { senderEmail: SENDER });
    const [a, b, c] = created.Signers as [Signer, Signer, Signer];
    expect((await decline(b)).status).toBe(200);
    const mail = await service.mail(created.SignRequestId);
    expect(mailedTo(mail, 'DECLINED')).toEqual([a.Email, SENDER].sort());
    expect(mail.filter((entry) => entry.To === c.Email)).toEqual([]);
    await stored(created.SignRequestId);
  });
});

describe('the certificate', () => {
  it('states each signer’s order and when their group was invited, or that it was not', async () => {
    const created = await inOrder([1, 2, 3]);
    const [a] = created.Signers as [Signer];
    await sign(a);
    const history = (await read(created.SignRequestId)).History;
    const createdAt = history.find((entry) => entry.Event === 'CREATED')!.At;
    const invitedAt = history.find((entry) => entry.Event === 'INVITED')!.At;
    const response = await fetch(`${service.baseUrl}/v1/sign-requests/${created.SignRequestId}/certificate`, {
      headers: bearer(),
    });
    expect(response.status).toBe(200);
    const text = (await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, ' ');
    const sections = text.split(/Signer \d of 3/).slice(1);
    expect(sections).toHaveLength(3);
    expect(sections[0]).toMatch(new RegExp(`Signing order 1 Invited at ${createdAt.replace(/\./g, '\\.')}`));
    expect(sections[1]).toMatch(new RegExp(`Signing order 2 Invited at ${invitedAt.replace(/\./g, '\\.')}`));
    expect(sections[2]).toContain('Signing order 3 Invited at not invited');
  });

  it('says nothing of an order when everyone signs at once', async () => {
    const created = await initiate(service, app.token, 2);
    const response = await fetch(`${service.baseUrl}/v1/sign-requests/${created.SignRequestId}/certificate`, {
      headers: bearer(),
    });
    const text = await pdfText(new Uint8Array(await response.arrayBuffer()));
    expect(text).toContain('Signer 1 of 2');
    expect(text).not.toContain('Signing order');
  });
});
