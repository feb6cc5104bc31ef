import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import { expectConsistent } from '../support/invariants.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';
import { moveDeadlineIntoThePast } from '../support/stored-requests.ts';

interface ReadData {
  Status: string;
  Decline?: { SignerId: string; Reason: string; At: string };
  History: { Event: string; SignerId?: string }[];
}

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Decline Tests');
});
afterAll(() => service.close());

const decline = (link: string, body: unknown = { reason: 'The fee in clause 4 is wrong' }) =>
  service.post(`${link}/decline`, body);
const read = (id: string) => service.get<ReadData>(`/v1/sign-requests/${id}`, { authorization: `Bearer ${app.token}` });
const linksOf = (created: Awaited<ReturnType<typeof initiate>>) =>
  created.Signers.map((signer) => signingPath(signer.SigningUrl));

describe('decline: POST /v1/signing/{signingToken}/decline', () => {
  it('closes the request as DECLINED, with the decline in the read and its history, the reason trimmed', async () => {
    const created = await initiate(service, app.token, 3);
    const [first, second, third] = linksOf(created);
    expect((await service.post(`${first}/sign`)).status).toBe(200);

    const response = await fetch(`${service.baseUrl}${second}/decline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: '  The fee in clause 4 is wrong ' }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(
      JSON.stringify({
        FailRules: [],
        Data: { SignRequestId: created.SignRequestId, SignerId: created.Signers[1]!.SignerId, Status: 'DECLINED' },
      }),
    );

    const after = await read(created.SignRequestId);
    expect(after.Data.Status).toBe('DECLINED');
    expect(after.Data.Decline).toMatchObject({
      SignerId: created.Signers[1]!.SignerId,
      Reason: 'The fee in clause 4 is wrong',
    });
    expect(after.Data.History.map((entry) => entry.Event)).toEqual(['CREATED', 'SIGNED', 'DECLINED']);
    expect(after.Data.History.at(-1)?.SignerId).toBe(created.Signers[1]!.SignerId);
    const stored = (await signRequests.get(created.SignRequestId))!;
    expectConsistent(stored);
    // The call's token stays internal.
    expect(JSON.stringify(after.Data)).not.toContain(stored.decline?.callId ?? 'no call id');

    // Every link of it is dead now; other signers learn that a signer declined, never the reason.
    const declinedLink = { status: 410, FailRules: [{ Code: 'SIGN_REQUEST_DECLINED' }] };
    for (const answer of [await service.get(third!), await service.post(`${third}/sign`), await decline(third!)]) {
      expect(answer).toMatchObject(declinedLink);
      expect(JSON.stringify(answer.FailRules)).not.toContain('clause 4');
    }
    expect(await service.post(`${third}/sign`)).toMatchObject({
      FailRules: [{ Message: 'A signer declined this request; it can no longer be signed' }],
    });
    expect(await decline(second!)).toMatchObject({
      status: 409,
      FailRules: [{ Code: 'ALREADY_DECLINED', Message: 'You have already declined this request' }],
    });
    expect(await decline(first!)).toMatchObject(declinedLink);
    // Recall of a declined request: 409 with its own code and the seed's sentence.
    expect(await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).toMatchObject({
      status: 409,
      FailRules: [{ Code: 'SIGN_REQUEST_DECLINED', Message: 'This request is already cancelled' }],
    });
  });

  it('refuses as a signature would: recalled (410 with the recall text), signed already, completed', async () => {
    const recalled = await initiate(service, app.token, 2);
    await service.post('/v1/sign-requests/recall', recallBody(recalled.SignRequestId, app.token));
    const refused = await decline(linksOf(recalled)[0]!);
    expect(refused.status).toBe(410);
    expect(refused.FailRules[0]?.Code).toBe('SIGN_REQUEST_CANCELLED');
    expect(refused.FailRules[0]?.Message).toMatch(
      /^This request was recalled by the sender on .*: Request raised mistakenly$/,
    );

    const partial = await initiate(service, app.token, 2);
    const [signedLink] = linksOf(partial);
    await service.post(`${signedLink}/sign`);
    expect(await decline(signedLink!)).toMatchObject({ status: 409, FailRules: [{ Code: 'ALREADY_SIGNED' }] });
    expect((await signRequests.get(partial.SignRequestId))?.status).toBe('PARTIALLY_SIGNED');

    const completed = await initiate(service, app.token, 1);
    await service.post(`${linksOf(completed)[0]}/sign`);
    expect(await decline(linksOf(completed)[0]!)).toMatchObject({
      status: 409,
      FailRules: [{ Code: 'ALREADY_SIGNED' }],
    });
  });

  it('refuses a request past its deadline with 410, the expiry job not yet run', async () => {
    const created = await initiate(service, app.token, 1, {
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await moveDeadlineIntoThePast(created.SignRequestId);
    expect(await decline(linksOf(created)[0]!)).toMatchObject({
      status: 410,
      FailRules: [{ Code: 'SIGN_REQUEST_EXPIRED' }],
    });
    expect((await signRequests.get(created.SignRequestId))?.status).toBe('PENDING');
  });

  it.each([
    [{}, 'reason', 'reason is required'],
    [{ reason: '   ' }, 'reason', 'reason must not be empty'],
    [{ reason: 'x'.repeat(501) }, 'reason', 'reason must be at most 500 characters'],
    [{ reason: 'no\u0007bell' }, 'reason', 'reason must not contain control characters'],
    [{ reason: 'ok', why: 'extra' }, 'why', 'Received unknown parameter: why'],
  ])('refuses the body %j with 400 naming %s', async (body, field, message) => {
    const created = await initiate(service, app.token, 1);
    expect(await decline(linksOf(created)[0]!, body)).toMatchObject({
      status: 400,
      FailRules: [{ Code: 'VALIDATION_FAILED', Field: field, Message: message }],
    });
    expect((await signRequests.get(created.SignRequestId))?.status).toBe('PENDING');
  });

  it('answers 404 for a link that is not valid', async () => {
    const created = await initiate(service, app.token, 1);
    const link = linksOf(created)[0]!;
    expect(await decline(`${link.slice(0, -3)}AAA`)).toMatchObject({
      status: 404,
      FailRules: [{ Code: 'SIGNING_LINK_NOT_FOUND' }],
    });
    expect(await decline('/v1/signing/not-a-token')).toMatchObject({ status: 404 });
  });
});
