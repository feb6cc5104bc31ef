import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

interface ReadData {
  Status: string;
  Recall: { Reason: string; By: string; At: string } | null;
  History: { Event: string; By?: string }[];
  Signers: { Status: string; SignedAt: string | null }[];
}

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

const recall = (signRequestId: string, token = app.token) =>
  service.post('/v1/sign-requests/recall', recallBody(signRequestId, token));
const read = (id: string, token = app.token) =>
  service.get<ReadData>(`/v1/sign-requests/${id}`, { authorization: `Bearer ${token}` });

beforeAll(async () => {
  service = await startService();
  app = await newApp('Recall Tests');
});
afterAll(() => service.close());

describe('recall: the KAiZEN contract scenarios (POST /v1/sign-requests/recall)', () => {
  it('cancels a request nobody has opened yet, answering exactly {"FailRules":[],"Data":true}', async () => {
    const created = await initiate(service, app.token);
    const response = await fetch(`${service.baseUrl}/v1/sign-requests/recall`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(recallBody(created.SignRequestId, app.token)),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"FailRules":[],"Data":true}');

    const after = await read(created.SignRequestId);
    expect(after.Data.Status).toBe('CANCELLED');
    expect(after.Data.Recall).toMatchObject({ Reason: 'Request raised mistakenly', By: 'Mohit Bansal' });
    expect(Date.parse(after.Data.Recall?.At ?? '')).not.toBeNaN();
    expect(after.Data.History.map((entry) => entry.Event)).toEqual(['CREATED', 'RECALLED']);
    expect(after.Data.History.at(-1)?.By).toBe('Mohit Bansal');
  });

  it('cancels a request a signer has opened but not signed', async () => {
    const created = await initiate(service, app.token);
    expect((await service.get(signingPath(created.Signers[0]!.SigningUrl))).status).toBe(200);
    expect(await recall(created.SignRequestId)).toMatchObject({ status: 200, FailRules: [], Data: true });
    expect((await read(created.SignRequestId)).Data.Status).toBe('CANCELLED');
  });

  it('cancels a partially signed request, and the signature already given stays on record', async () => {
    const created = await initiate(service, app.token, 3);
    expect((await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`)).status).toBe(200);
    expect((await read(created.SignRequestId)).Data.Status).toBe('PARTIALLY_SIGNED');

    expect(await recall(created.SignRequestId)).toMatchObject({ status: 200, Data: true });
    const after = await read(created.SignRequestId);
    expect(after.Data.Status).toBe('CANCELLED');
    expect(after.Data.Signers.map((signer) => signer.Status)).toEqual(['SIGNED', 'PENDING', 'PENDING']);
  });

  it('refuses a fully signed request with the KAiZEN message and a code that says it was completed', async () => {
    const created = await initiate(service, app.token, 1);
    expect((await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`)).Data).toMatchObject({
      Status: 'COMPLETED',
    });
    const answer = await recall(created.SignRequestId);
    expect(answer).toMatchObject({
      status: 409,
      Data: null,
      FailRules: [{ Code: 'SIGN_REQUEST_COMPLETED', Message: 'This request is already cancelled' }],
    });
    const after = await read(created.SignRequestId);
    expect(after.Data.Status).toBe('COMPLETED');
    expect(after.Data.Recall).toBeNull();
  });

  it('refuses a request that is already cancelled, and keeps the first recall record', async () => {
    const created = await initiate(service, app.token);
    await recall(created.SignRequestId);
    const first = (await read(created.SignRequestId)).Data.Recall;
    const answer = await service.post('/v1/sign-requests/recall', {
      ...recallBody(created.SignRequestId, app.token),
      recallReason: 'second thoughts',
    });
    expect(answer).toMatchObject({
      status: 409,
      FailRules: [{ Code: 'SIGN_REQUEST_ALREADY_CANCELLED', Message: 'This request is already cancelled' }],
    });
    expect((await read(created.SignRequestId)).Data.Recall).toEqual(first);
  });
});

describe('recall: refusals of the caller', () => {
  it.each([
    ['an unknown token', { appToken: 'esr_not-a-token-we-issued' }],
    ['a missing token', { appToken: undefined }],
    ['an empty token', { appToken: '' }],
    ['a token that is not a string', { appToken: 12345 }],
  ])('answers 401 Invalid App Token for %s', async (_, override) => {
    const created = await initiate(service, app.token);
    const answer = await service.post('/v1/sign-requests/recall', {
      ...recallBody(created.SignRequestId, app.token),
      ...override,
    });
    expect(answer).toMatchObject({
      status: 401,
      Data: null,
      FailRules: [{ Code: 'INVALID_APP_TOKEN', Message: 'Invalid App Token' }],
    });
    expect((await read(created.SignRequestId)).Data.Status).toBe('PENDING');
  });

  it('authenticates before it validates: a bad token with missing fields is still 401', async () => {
    const answer = await service.post('/v1/sign-requests/recall', { appToken: 'wrong' });
    expect(answer.status).toBe(401);
  });

  it.each([
    ['an unknown id', () => ulid()],
    ['a malformed id', () => 'not-a-sign-request-id'],
    ['a lower-case id', () => ulid().toLowerCase()],
  ])('answers 404 No sign request found for %s', async (_, id) => {
    expect(await recall(id())).toMatchObject({
      status: 404,
      FailRules: [{ Code: 'SIGN_REQUEST_NOT_FOUND', Message: 'No sign request found' }],
    });
  });

  it("answers another app's request exactly like a missing one, and leaves it open", async () => {
    const other = await newApp('Other App');
    const theirs = await initiate(service, other.token);
    const asForeign = await recall(theirs.SignRequestId, app.token);
    const asMissing = await recall(ulid(), app.token);
    expect(asForeign.status).toBe(404);
    expect({ FailRules: asForeign.FailRules, Data: asForeign.Data }).toEqual({
      FailRules: asMissing.FailRules,
      Data: asMissing.Data,
    });
    expect((await read(theirs.SignRequestId, other.token)).Data.Status).toBe('PENDING');
  });

  it('names every missing or invalid field in its own fail rule', async () => {
    const answer = await service.post('/v1/sign-requests/recall', { appToken: app.token, recallReason: '   ' });
    expect(answer.status).toBe(400);
    expect(answer.FailRules).toEqual([
      { Code: 'VALIDATION_FAILED', Field: 'signRequestId', Message: 'signRequestId is required' },
      { Code: 'VALIDATION_FAILED', Field: 'recallReason', Message: 'recallReason must not be empty' },
      { Code: 'VALIDATION_FAILED', Field: 'recalledBy', Message: 'recalledBy is required' },
    ]);
  });

  it.each([
    ['an id that is a number', { signRequestId: 42 }, 'signRequestId'],
    ['a reason over 500 characters', { recallReason: 'x'.repeat(501) }, 'recallReason'],
    ['a reason with a control character', { recallReason: 'oops\u0007' }, 'recallReason'],
    ['a name over 200 characters', { recalledBy: 'y'.repeat(201) }, 'recalledBy'],
  ])('refuses %s with 400 naming the field, and cancels nothing', async (_, override, field) => {
    const created = await initiate(service, app.token);
    const answer = await service.post('/v1/sign-requests/recall', {
      ...recallBody(created.SignRequestId, app.token),
      ...override,
    });
    expect(answer.status).toBe(400);
    expect(answer.FailRules).toEqual([expect.objectContaining({ Code: 'VALIDATION_FAILED', Field: field })]);
    expect((await read(created.SignRequestId)).Data.Status).toBe('PENDING');
  });

  it('stores the reason and name trimmed', async () => {
    const created = await initiate(service, app.token);
    await service.post('/v1/sign-requests/recall', {
      ...recallBody(created.SignRequestId, app.token),
      recallReason: '  Wrong version attached  ',
      recalledBy: ' Mohit Bansal ',
    });
    expect((await read(created.SignRequestId)).Data.Recall).toMatchObject({
      Reason: 'Wrong version attached',
      By: 'Mohit Bansal',
    });
  });

  it.each([
    ['malformed JSON', '{"signRequestId": '],
    ['a JSON array', '[1, 2]'],
    ['a JSON string', '"recall please"'],
    ['JSON null', 'null'],
    ['an empty body', ''],
  ])('answers 400 INVALID_JSON for %s', async (_, body) => {
    const answer = await service.post('/v1/sign-requests/recall', body);
    expect(answer.status).toBe(400);
    expect(answer.FailRules).toEqual([{ Code: 'INVALID_JSON', Message: expect.any(String) as string }]);
  });
});
