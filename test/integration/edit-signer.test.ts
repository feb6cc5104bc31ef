import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailRule } from '../../functions/core/errors.ts';
import { signRequests } from '../support/dependencies.ts';
import { storedEventsOf } from '../support/domain-events.ts';
import { expectConsistent } from '../support/invariants.ts';
import { registerSecret } from '../support/log-guard.ts';
import { startMailService, type MailService } from '../support/mail-service.ts';
import { pdfText } from '../support/pdf-tools.ts';
import { initiate, newApp, recallBody, signingPath, type Created } from '../support/service.ts';
import { moveDeadlineIntoThePast } from '../support/stored-requests.ts';

// PATCH and DELETE /v1/sign-requests/{id}/signers/{signerId} through the real HTTP server, the embedded store and
// the mail pipeline as npm start wires it (every write becomes events, the mailer sends to the local mailbox).

interface Changed {
  SignRequestId: string;
  SignerId: string;
  ReplacedSignerId: string;
  Name: string;
  Email: string;
  SigningUrl: string;
}
interface Removed {
  SignRequestId: string;
  RemovedSignerId: string;
  Status: string;
  SignerCount: number;
}
interface ReadData {
  Status: string;
  Signers: { SignerId: string; Name: string; Email: string; Status: string }[];
  History: { At: string; Event: string; SignerId?: string; NewSignerId?: string; Changed?: string[] }[];
}

let service: MailService;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startMailService();
  app = await newApp('Signer Edit Tests');
});
afterAll(() => service.close());

const bearer = (token = app.token) => ({ authorization: `Bearer ${token}` });

const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method,
    headers: { ...bearer(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const envelope = (await response.json()) as { FailRules: FailRule[]; Data: T };
  return { status: response.status, headers: response.headers, ...envelope };
};

const signerPath = (created: Created, index: number) =>
  `/v1/sign-requests/${created.SignRequestId}/signers/${created.Signers[index]!.SignerId}`;
const patch = async (path: string, body: unknown, headers?: Record<string, string>) => {
  const answer = await call<Changed>('PATCH', path, body, headers);
  if (answer.status === 200) registerSecret(answer.Data.SigningUrl.split('.').at(-1) ?? '');
  return answer;
};
const remove = (path: string, headers?: Record<string, string>) => call<Removed>('DELETE', path, undefined, headers);
const read = (id: string) => call<ReadData>('GET', `/v1/sign-requests/${id}`);
const linkOf = (created: Created, index: number) => signingPath(created.Signers[index]!.SigningUrl);
const codeOf = (answer: { FailRules: FailRule[] }) => answer.FailRules[0]?.Code;

describe('PATCH /v1/sign-requests/{id}/signers/{signerId}', () => {
  it('replaces the signer: a new id and link that work, the old link 410 everywhere, the new signer invited', async () => {
    const created = await initiate(service, app.token, 2);
    const before = await read(created.SignRequestId);
    const changed = await patch(signerPath(created, 1), { name: 'Ben O. Okafor', email: 'ben.okafor@example.com' });

    expect(changed.status).toBe(200);
    expect(changed.FailRules).toEqual([]);
    const newId = changed.Data.SignerId;
    expect(newId).not.toBe(created.Signers[1]!.SignerId);
    expect(changed.Data).toMatchObject({
      SignRequestId: created.SignRequestId,
      ReplacedSignerId: created.Signers[1]!.SignerId,
      Name: 'Ben O. Okafor',
      Email: 'ben.okafor@example.com',
    });
    expect(changed.headers.get('etag')).toBe(`"${Number(JSON.parse(before.headers.get('etag')!)) + 1}"`);

    // The read lists the new signer in the old one's place, and the change in the history.
    const after = await read(created.SignRequestId);
    expect(after.headers.get('etag')).toBe(changed.headers.get('etag'));
    expect(after.Data.Signers.map((signer) => [signer.SignerId, signer.Name, signer.Email])).toEqual([
      [created.Signers[0]!.SignerId, created.Signers[0]!.Name, created.Signers[0]!.Email],
      [newId, 'Ben O. Okafor', 'ben.okafor@example.com'],
    ]);
    expect(after.Data.History.at(-1)).toMatchObject({
      Event: 'SIGNER_CHANGED',
      SignerId: created.Signers[1]!.SignerId,
      NewSignerId: newId,
      Changed: ['name', 'email'],
    });

    // The old link is gone at once, on every route of the link; the page says so.
    const old = linkOf(created, 1);
    for (const answer of [
      await service.get(old),
      await service.get(`${old}/document`),
      await service.post(`${old}/sign`),
      await service.post(`${old}/decline`, { reason: 'Not me' }),
    ]) {
      expect(answer.status).toBe(410);
      expect(codeOf(answer)).toBe('SIGNING_LINK_REPLACED');
    }
    for (const [method, path] of [
      ['GET', old],
      ['GET', `${old}/document`],
      ['POST', `${old}/sign`],
      ['POST', `${old}/decline`],
    ] as const) {
      const page = await fetch(`${service.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'text/html',
          ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(method === 'POST' ? { body: path.endsWith('/sign') ? 'signedName=Ben' : 'reason=Not+me' } : {}),
      });
      expect(page.status, `${method} ${path}`).toBe(410);
      expect(await page.text(), `${method} ${path}`).toContain('This link was replaced');
    }

    // A forged secret under the old signer's id learns nothing: 404, as any invalid link.
    const forged = `${old.slice(0, old.lastIndexOf('.') + 1)}${'A'.repeat(43)}`;
    expect((await service.get(forged)).status).toBe(404);

    // The new signer is mailed an invitation with the new link, which signs.
    const mail = await service.mail(created.SignRequestId);
    const invitation = mail.find((entry) => entry.To === 'ben.okafor@example.com');
    expect(invitation?.Kind).toBe('INVITATION');
    expect(invitation?.Text).toContain(signingPath(changed.Data.SigningUrl));
    expect(mail.filter((entry) => entry.Text.includes(old))).toHaveLength(1); // the first invitation only

    expect((await service.post(`${signingPath(changed.Data.SigningUrl)}/sign`)).status).toBe(200);
    expect((await service.post(`${linkOf(created, 0)}/sign`)).status).toBe(200);
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(stored.status).toBe('COMPLETED');
    expectConsistent(stored);

    // Its event names the old and new ids and the fields, and never a link or secret.
    const events = await storedEventsOf(created.SignRequestId);
    const event = events.find((each) => each.type === 'SignerChanged');
    expect(event).toMatchObject({
      signerId: created.Signers[1]!.SignerId,
      newSignerId: newId,
      changed: ['name', 'email'],
    });
    expect(JSON.stringify(events)).not.toContain(changed.Data.SigningUrl.split('.').at(-1));
    expect(JSON.stringify(after.Data)).not.toContain(stored.formerSigners?.[created.Signers[1]!.SignerId]?.tokenHash);
  });

  it('changes a signer who has viewed but not signed; only the fields given, the rest kept', async () => {
    const created = await initiate(service, app.token, 2);
    expect((await service.get(linkOf(created, 0))).status).toBe(200);
    const changed = await patch(signerPath(created, 0), { email: 'asha.rao@example.com' });
    expect(changed.status).toBe(200);
    expect(changed.Data).toMatchObject({ Name: created.Signers[0]!.Name, Email: 'asha.rao@example.com' });
    const after = await read(created.SignRequestId);
    expect(after.Data.History.at(-1)).toMatchObject({ Event: 'SIGNER_CHANGED', Changed: ['email'] });
    // The first in the list still, under the new id.
    expect(after.Data.Signers[0]!.SignerId).toBe(changed.Data.SignerId);
  });

  it('refuses a signer who signed or declined (409 SIGNER_ALREADY_ACTED), and a closed request with the recall’s 409s', async () => {
    const created = await initiate(service, app.token, 3);
    expect((await service.post(`${linkOf(created, 0)}/sign`)).status).toBe(200);
    const signed = await patch(signerPath(created, 0), { name: 'Someone Else' });
    expect([signed.status, codeOf(signed)]).toEqual([409, 'SIGNER_ALREADY_ACTED']);
    expect([(await remove(signerPath(created, 0))).status]).toEqual([409]);

    expect((await service.post(`${linkOf(created, 1)}/decline`, { reason: 'Wrong fee' })).status).toBe(200);
    const declined = await patch(signerPath(created, 1), { name: 'Someone Else' });
    expect([declined.status, codeOf(declined)]).toEqual([409, 'SIGNER_ALREADY_ACTED']);
    // The third signer never acted, but the request is closed by the decline.
    const closed = await patch(signerPath(created, 2), { name: 'Someone Else' });
    expect([closed.status, codeOf(closed)]).toEqual([409, 'SIGN_REQUEST_DECLINED']);

    const recalled = await initiate(service, app.token, 2);
    expect((await call('POST', '/v1/sign-requests/recall', recallBody(recalled.SignRequestId, app.token))).status).toBe(
      200,
    );
    const onRecalled = await patch(signerPath(recalled, 0), { name: 'Someone Else' });
    expect([onRecalled.status, codeOf(onRecalled)]).toEqual([409, 'SIGN_REQUEST_ALREADY_CANCELLED']);

    const expired = await initiate(service, app.token, 2, {
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await moveDeadlineIntoThePast(expired.SignRequestId);
    const onExpired = await remove(signerPath(expired, 0));
    expect([onExpired.status, codeOf(onExpired)]).toEqual([409, 'SIGN_REQUEST_EXPIRED']);
  });

  it('answers 404 for an unknown signer or another app’s request, 412 for a stale If-Match, 400 for bad input', async () => {
    const created = await initiate(service, app.token, 2);
    const unknown = await patch(`/v1/sign-requests/${created.SignRequestId}/signers/01M8FV8KRECGNRESTKQSW6EJEV`, {
      name: 'X Y',
    });
    expect([unknown.status, codeOf(unknown)]).toEqual([404, 'SIGNER_NOT_FOUND']);
    const other = await newApp('Other App');
    const foreign = await patch(signerPath(created, 0), { name: 'X Y' }, bearer(other.token));
    expect([foreign.status, codeOf(foreign)]).toEqual([404, 'SIGN_REQUEST_NOT_FOUND']);

    const stale = await patch(signerPath(created, 0), { name: 'X Y' }, { 'if-match': '"99"' });
    expect([stale.status, codeOf(stale)]).toEqual([412, 'PRECONDITION_FAILED']);
    const staleDelete = await remove(signerPath(created, 0), { 'if-match': '"99"' });
    expect(staleDelete.status).toBe(412);
    const current = (await read(created.SignRequestId)).headers.get('etag')!;
    expect((await patch(signerPath(created, 0), { name: 'X Y' }, { 'if-match': current })).status).toBe(200);

    for (const body of [
      {},
      { email: 'not-an-address' },
      { name: '   ' },
      { order: 0 },
      { name: 'A', accessCode: 'x' },
    ]) {
      const refused = await patch(signerPath(created, 1), body);
      expect(refused.status).toBe(400);
      expect(refused.FailRules.length).toBeGreaterThan(0);
    }
    // Another current signer's email (in any case), as initiate refuses one listed twice.
    const taken = await patch(signerPath(created, 1), { email: 'SIGNER1@example.com' });
    expect([taken.status, taken.FailRules[0]?.Field]).toEqual([400, 'email']);
    // Nothing of these changed the request.
    expect((await read(created.SignRequestId)).headers.get('etag')).toBe(`"${Number(JSON.parse(current)) + 1}"`);
  });

  it('answers a retry with the same fields as the change it made (same new signer, same link), and a replaced id otherwise as 409', async () => {
    const created = await initiate(service, app.token, 2);
    const first = await patch(signerPath(created, 1), { email: 'retried@example.com' });
    const again = await patch(signerPath(created, 1), { email: 'retried@example.com' });
    expect(again.status).toBe(200);
    expect(again.Data).toEqual(first.Data);
    const history = (await read(created.SignRequestId)).Data.History;
    expect(history.filter((entry) => entry.Event === 'SIGNER_CHANGED')).toHaveLength(1);

    const different = await patch(signerPath(created, 1), { email: 'someone.else@example.com' });
    expect([different.status, codeOf(different)]).toEqual([409, 'SIGNER_REPLACED']);
    expect(different.FailRules[0]?.Message).toContain(first.Data.SignerId);
  });
});

describe('DELETE /v1/sign-requests/{id}/signers/{signerId}', () => {
  it('removes a signer who has not acted: 410 on their link, one signer fewer, and a retry answers the same', async () => {
    const created = await initiate(service, app.token, 3);
    const removed = await remove(signerPath(created, 2));
    expect(removed.status).toBe(200);
    expect(removed.Data).toEqual({
      SignRequestId: created.SignRequestId,
      RemovedSignerId: created.Signers[2]!.SignerId,
      Status: 'PENDING',
      SignerCount: 2,
    });
    const link = await service.get(linkOf(created, 2));
    expect([link.status, codeOf(link)]).toEqual([410, 'SIGNING_LINK_REPLACED']);
    const after = await read(created.SignRequestId);
    expect(after.Data.Signers.map((signer) => signer.SignerId)).toEqual(
      created.Signers.slice(0, 2).map((signer) => signer.SignerId),
    );
    expect(after.Data.History.at(-1)).toMatchObject({
      Event: 'SIGNER_REMOVED',
      SignerId: created.Signers[2]!.SignerId,
    });

    const again = await remove(signerPath(created, 2));
    expect(again.status).toBe(200);
    expect(again.Data).toEqual(removed.Data);
    expect(again.headers.get('etag')).toBe(removed.headers.get('etag'));
    const events = await storedEventsOf(created.SignRequestId);
    expect(events.filter((event) => event.type === 'SignerRemoved')).toHaveLength(1);
    expectConsistent((await signRequests.get(created.SignRequestId))!);
  });

  it('completes the request when the removed signer was the last one missing, in the same write', async () => {
    const created = await initiate(service, app.token, 3);
    expect((await service.post(`${linkOf(created, 0)}/sign`)).status).toBe(200);
    expect((await service.post(`${linkOf(created, 1)}/sign`)).status).toBe(200);
    const removed = await remove(signerPath(created, 2));
    expect(removed.Data).toMatchObject({ Status: 'COMPLETED', SignerCount: 2 });

    const stored = (await signRequests.get(created.SignRequestId))!;
    expectConsistent(stored);
    expect(stored.history.slice(-2).map((entry) => entry.event)).toEqual(['SIGNER_REMOVED', 'COMPLETED']);
    const events = await storedEventsOf(created.SignRequestId);
    expect(events.filter((event) => event.type === 'SignRequestCompleted')).toHaveLength(1);
    // The signed document is made as for any completion, and everyone left is told.
    const mail = await service.mail(created.SignRequestId);
    expect(
      mail
        .filter((entry) => entry.Kind === 'COMPLETED')
        .map((entry) => entry.To)
        .sort(),
    ).toEqual(
      created.Signers.slice(0, 2)
        .map((signer) => signer.Email)
        .sort(),
    );
  });

  it('refuses to remove the only signer left (409 LAST_SIGNER)', async () => {
    const created = await initiate(service, app.token, 2);
    expect((await remove(signerPath(created, 0))).status).toBe(200);
    const last = await remove(signerPath(created, 1));
    expect([last.status, codeOf(last)]).toEqual([409, 'LAST_SIGNER']);
    expect((await read(created.SignRequestId)).Data.Signers).toHaveLength(1);
  });
});

describe('PATCH of a signer’s proof and order', () => {
  const inGroups = (groups: number[]) =>
    initiate(service, app.token, groups.length, {
      signers: groups.map((order, i) => ({ name: `Signer ${i + 1}`, email: `signer${i + 1}@example.com`, order })),
    });
  const signWith = (signingUrl: string, headers: Record<string, string> = {}) =>
    service.post<{ Status: string }>(`${signingPath(signingUrl)}/sign`, undefined, headers);
  const history = async (id: string) => (await read(id)).Data.History;

  it('asks the new signer for an access code, kept only as a hash, and then for no proof at all', async () => {
    const created = await initiate(service, app.token, 2);
    const code = 'fresh-access-code-42';
    registerSecret(code);
    const coded = await patch(signerPath(created, 1), { accessCode: code });
    expect(coded.status).toBe(200);

    const link = signingPath(coded.Data.SigningUrl);
    expect(codeOf(await service.get(link))).toBe('SIGNER_PROOF_REQUIRED');
    expect((await service.get(link, { 'x-signer-proof': code })).status).toBe(200);
    const afterCode = await read(created.SignRequestId);
    expect(afterCode.Data.Signers.map((signer) => (signer as unknown as { Proof: string | null }).Proof)).toEqual([
      null,
      'ACCESS_CODE',
    ]);
    expect(afterCode.Data.History.at(-2)).toMatchObject({ Event: 'SIGNER_CHANGED', Changed: ['proof'] });
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(stored.signers[coded.Data.SignerId]?.proof?.kind).toBe('ACCESS_CODE');
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(JSON.stringify(afterCode)).not.toMatch(/scrypt/);

    const uncoded = await patch(`/v1/sign-requests/${created.SignRequestId}/signers/${coded.Data.SignerId}`, {
      verify: 'none',
    });
    expect(uncoded.status).toBe(200);
    expect((await signWith(uncoded.Data.SigningUrl)).Data.Status).toBe('PARTIALLY_SIGNED');
    expect(
      (await history(created.SignRequestId)).find((entry) => entry.NewSignerId === uncoded.Data.SignerId),
    ).toMatchObject({ Changed: ['proof'] });
  });

  it('never answers a PATCH naming a new access code as a replay of an earlier change: 409 SIGNER_REPLACED', async () => {
    const created = await initiate(service, app.token, 2);
    registerSecret('first-access-code-11');
    registerSecret('other-access-code-22');
    const first = await patch(signerPath(created, 1), { accessCode: 'first-access-code-11' });
    expect(first.status).toBe(200);
    const again = await patch(signerPath(created, 1), { accessCode: 'other-access-code-22' });
    expect([again.status, codeOf(again)]).toEqual([409, 'SIGNER_REPLACED']);
    const link = signingPath(first.Data.SigningUrl);
    expect((await service.get(link, { 'x-signer-proof': 'first-access-code-11' })).status).toBe(200);
  });

  it('refuses both proofs at once, and an order outside the signers or before the group signing now', async () => {
    const created = await inGroups([1, 2, 2]);
    const both = await patch(signerPath(created, 1), { accessCode: 'another-code-1234', verify: 'email' });
    expect([both.status, codeOf(both), both.FailRules[0]?.Field]).toEqual([400, 'VALIDATION_FAILED', 'verify']);
    const tooLate = await patch(signerPath(created, 1), { order: 4 });
    expect([tooLate.status, tooLate.FailRules[0]?.Field]).toEqual([400, 'order']);

    expect((await signWith(created.Signers[0]!.SigningUrl)).Data.Status).toBe('PARTIALLY_SIGNED');
    // Group 1 has all signed: nobody may be moved back into it.
    const before = await patch(signerPath(created, 2), { order: 1 });
    expect([before.status, before.FailRules[0]?.Field]).toEqual([400, 'order']);
    expect(before.FailRules[0]?.Message).toContain('at least 2');
    expect((await read(created.SignRequestId)).Data.Signers.map((signer) => signer.SignerId)).toEqual(
      created.Signers.map((signer) => signer.SignerId),
    );
  });

  it('moves a signer to a later group: not their turn until the group before has signed, then invited with it', async () => {
    const created = await inGroups([1, 1, 2]);
    const moved = await patch(signerPath(created, 1), { order: 2 });
    expect(moved.status).toBe(200);
    expect(codeOf(await signWith(moved.Data.SigningUrl))).toBe('NOT_YOUR_TURN');

    expect((await signWith(created.Signers[0]!.SigningUrl)).Data.Status).toBe('PARTIALLY_SIGNED');
    const invited = (await history(created.SignRequestId)).filter((entry) => entry.Event === 'INVITED');
    expect(invited.map((entry) => (entry as { SignerIds?: string[] }).SignerIds)).toEqual([
      [moved.Data.SignerId, created.Signers[2]!.SignerId],
    ]);
    expect((await signWith(moved.Data.SigningUrl)).Data.Status).toBe('PARTIALLY_SIGNED');
    expect((await signWith(created.Signers[2]!.SigningUrl)).Data.Status).toBe('COMPLETED');
    expectConsistent((await signRequests.get(created.SignRequestId))!);
  });

  it('moving the last pending signer of the group signing now invites the next group in that same write', async () => {
    const created = await inGroups([1, 2]);
    const moved = await patch(signerPath(created, 0), { order: 2 });
    expect(moved.status).toBe(200);
    const entries = await history(created.SignRequestId);
    const change = entries.find((entry) => entry.Event === 'SIGNER_CHANGED')!;
    // The moved signer is invited by their own SignerChanged mail; the group now signing by INVITED.
    expect(entries.filter((entry) => entry.Event === 'INVITED')).toEqual([
      expect.objectContaining({ At: (change as { At: string }).At, SignerIds: [created.Signers[1]!.SignerId] }),
    ]);
    expect((await signWith(created.Signers[1]!.SigningUrl)).Data.Status).toBe('PARTIALLY_SIGNED');
    expect((await signWith(moved.Data.SigningUrl)).Data.Status).toBe('COMPLETED');
    expectConsistent((await signRequests.get(created.SignRequestId))!);
  });
});

describe('the certificate of a request whose signers changed', () => {
  it('has a line per change: who was replaced by whom, who was removed, and when', async () => {
    const created = await initiate(service, app.token, 3);
    const changed = await patch(signerPath(created, 0), { name: 'Asha Rao', email: 'asha.rao@example.com' });
    expect(changed.status).toBe(200);
    expect((await remove(signerPath(created, 2))).status).toBe(200);
    const stored = (await signRequests.get(created.SignRequestId))!;
    const [changedAt, removedAt] = stored.history.slice(-2).map((entry) => entry.at);

    const response = await fetch(`${service.baseUrl}/v1/sign-requests/${created.SignRequestId}/certificate`, {
      headers: bearer(),
    });
    expect(response.status).toBe(200);
    const text = (await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, ' ');
    expect(text).toContain('Changes to the signers');
    expect(text).toContain(
      `${changedAt}: ${created.Signers[0]!.Name} <${created.Signers[0]!.Email}> replaced by Asha Rao <asha.rao@example.com>`,
    );
    expect(text).toContain(`${removedAt}: ${created.Signers[2]!.Name} <${created.Signers[2]!.Email}>`);
  });
});
