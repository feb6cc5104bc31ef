import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

interface View {
  DocumentName: string;
  SignerName: string;
  SignerStatus: string;
  Status: string;
  ViewedAt: string | null;
}
interface ReadData {
  Status: string;
  Signers: { Status: string; ViewedAt: string | null; SignedAt: string | null; SignedName: string | null }[];
  History: { Event: string; SignerId?: string }[];
}

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

const read = (id: string) => service.get<ReadData>(`/v1/sign-requests/${id}`, { authorization: `Bearer ${app.token}` });

beforeAll(async () => {
  service = await startService();
  app = await newApp('Signing Tests');
});
afterAll(() => service.close());

describe('signing links (GET /v1/signing/{token}, POST /v1/signing/{token}/sign)', () => {
  it('moves a request PENDING -> PARTIALLY_SIGNED -> COMPLETED and records it in the history', async () => {
    const created = await initiate(service, app.token, 2);
    expect(created.Status).toBe('PENDING');
    const [first, second] = created.Signers;

    const one = await service.post(`${signingPath(first!.SigningUrl)}/sign`, { signedName: 'Signer One' });
    expect(one).toMatchObject({
      status: 200,
      Data: {
        SignRequestId: created.SignRequestId,
        SignerId: first!.SignerId,
        SignerStatus: 'SIGNED',
        Status: 'PARTIALLY_SIGNED',
      },
    });
    const two = await service.post(`${signingPath(second!.SigningUrl)}/sign`);
    expect(two.Data).toMatchObject({ SignerId: second!.SignerId, Status: 'COMPLETED' });

    const after = await read(created.SignRequestId);
    expect(after.Data.Status).toBe('COMPLETED');
    expect(after.Data.Signers.every((signer) => signer.Status === 'SIGNED' && signer.SignedAt)).toBe(true);
    // The name each signed with: the one sent, else the signer's own.
    expect(after.Data.Signers.map((signer) => signer.SignedName)).toEqual(['Signer One', 'Signer 2']);
    expect(after.Data.History.map((entry) => entry.Event)).toEqual(['CREATED', 'SIGNED', 'SIGNED', 'COMPLETED']);
  });

  it('a signature needs visible text: an invisible signedName is 400, an empty body of a type not taken is 415, and nothing is signed', async () => {
    const created = await initiate(service, app.token, 1);
    const path = `${signingPath(created.Signers[0]!.SigningUrl)}/sign`;
    for (const signedName of ['\u200b\u200b', '\u202e', '\u200d\ufeff']) {
      const invisible = await service.post(path, { signedName });
      expect(invisible.status, JSON.stringify(signedName)).toBe(400);
      expect(invisible.FailRules).toEqual([
        { Code: 'VALIDATION_FAILED', Message: 'signedName must contain visible characters', Field: 'signedName' },
      ]);
    }
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const empty = await fetch(`${service.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: '',
      });
      expect(empty.status, contentType).toBe(415);
      expect(((await empty.json()) as { FailRules: { Code: string }[] }).FailRules[0]?.Code).toBe(
        'UNSUPPORTED_MEDIA_TYPE',
      );
    }
    expect((await read(created.SignRequestId)).Data.Status).toBe('PENDING');
    // No body at all, or an empty JSON one, still signs with the signer's own name, as documented.
    const signed = await fetch(`${service.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '',
    });
    expect(signed.status).toBe(200);
    expect((await read(created.SignRequestId)).Data.Signers[0]?.SignedName).toBe('Signer 1');
  });

  it('records only the first time a signer opens the link', async () => {
    const created = await initiate(service, app.token, 2);
    const path = signingPath(created.Signers[0]!.SigningUrl);
    const firstOpen = await service.get<View>(path);
    expect(firstOpen).toMatchObject({
      status: 200,
      Data: { DocumentName: 'Contract.pdf', SignerName: 'Signer 1', SignerStatus: 'PENDING', Status: 'PENDING' },
    });
    const secondOpen = await service.get<View>(path);
    expect(secondOpen.Data.ViewedAt).toBe(firstOpen.Data.ViewedAt);

    const after = await read(created.SignRequestId);
    expect(after.Data.Signers[0]?.ViewedAt).toBe(firstOpen.Data.ViewedAt);
    expect(after.Data.Signers[1]?.ViewedAt).toBeNull();
    expect(after.Data.History.map((entry) => entry.Event)).toEqual(['CREATED', 'VIEWED']);
  });

  it('answers a second signature by the same signer with 409 ALREADY_SIGNED', async () => {
    const created = await initiate(service, app.token, 2);
    const path = `${signingPath(created.Signers[0]!.SigningUrl)}/sign`;
    expect((await service.post(path)).status).toBe(200);
    expect(await service.post(path)).toMatchObject({ status: 409, FailRules: [{ Code: 'ALREADY_SIGNED' }] });
    expect((await read(created.SignRequestId)).Data.History.filter((e) => e.Event === 'SIGNED')).toHaveLength(1);
  });

  it('answers 410 on opening and on signing once the request is recalled, saying when and why', async () => {
    const created = await initiate(service, app.token, 2);
    const path = signingPath(created.Signers[0]!.SigningUrl);
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));

    for (const answer of [await service.get(path), await service.post(`${path}/sign`)]) {
      expect(answer.status).toBe(410);
      expect(answer.FailRules[0]?.Code).toBe('SIGN_REQUEST_CANCELLED');
      expect(answer.FailRules[0]?.Message).toContain('Request raised mistakenly');
    }
    expect((await read(created.SignRequestId)).Data.Signers[0]?.Status).toBe('PENDING');
  });

  it('refuses forged, altered and malformed links with 404 SIGNING_LINK_NOT_FOUND', async () => {
    const created = await initiate(service, app.token, 1);
    const path = signingPath(created.Signers[0]!.SigningUrl);
    const token = path.split('/').at(-1)!;
    const [id, signerId, secret] = token.split('.');
    const flipped = `${secret!.slice(0, -1)}${secret!.endsWith('A') ? 'B' : 'A'}`;
    for (const forged of [`${id}.${signerId}.${flipped}`, `${id}.${id}.${secret}`, 'nonsense', `${token}.extra`]) {
      expect(await service.post(`/v1/signing/${forged}/sign`)).toMatchObject({
        status: 404,
        FailRules: [{ Code: 'SIGNING_LINK_NOT_FOUND' }],
      });
      expect((await service.get(`/v1/signing/${forged}`)).status).toBe(404);
    }
    expect((await read(created.SignRequestId)).Data.Status).toBe('PENDING');
  });

  it('refuses a signed name that is not a short line of text', async () => {
    const created = await initiate(service, app.token, 1);
    const answer = await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`, { signedName: ['x'] });
    expect(answer).toMatchObject({ status: 400, FailRules: [{ Code: 'VALIDATION_FAILED', Field: 'signedName' }] });
    expect((await read(created.SignRequestId)).Data.Status).toBe('PENDING');
  });
});
