import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUlid } from '../../functions/core/ids.ts';
import { initiate, newApp, signersNamed, startService, type Created, type Service } from '../support/service.ts';

let service: Service;

beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());

const validBody = (appToken: string) => ({ appToken, documentName: 'NDA.pdf', signers: signersNamed(2) });

describe('initiate (POST /v1/sign-requests)', () => {
  it('answers 201 with a ULID, the first request number of the app, and a working link per signer', async () => {
    const app = await newApp();
    const answer = await service.post<Created>('/v1/sign-requests', validBody(app.token));
    expect(answer.status).toBe(201);
    expect(answer.FailRules).toEqual([]);
    expect(isUlid(answer.Data.SignRequestId)).toBe(true);
    expect(answer.Data).toMatchObject({ RequestNo: 'KAiZEN-1', Status: 'PENDING' });
    expect(answer.Data.Signers.map((signer) => signer.Email)).toEqual(['signer1@example.com', 'signer2@example.com']);

    // The link names this very server, as API Gateway's domain would in AWS, and opens that signer's view.
    const opened = await fetch(answer.Data.Signers[1]!.SigningUrl);
    expect(opened.status).toBe(200);
    expect(((await opened.json()) as { Data: { SignerName: string } }).Data.SignerName).toBe('Signer 2');
  });

  it('numbers requests per app, without gaps or repeats, even when created concurrently', async () => {
    const [one, two] = [await newApp('One'), await newApp('Two')];
    const created = await Promise.all(Array.from({ length: 20 }, () => initiate(service, one.token, 1)));
    const numbers = created.map((c) => Number(c.RequestNo.replace('KAiZEN-', ''))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await initiate(service, two.token, 1)).RequestNo).toBe('KAiZEN-1');
  });

  it('refuses an unknown token before looking at the body', async () => {
    const answer = await service.post('/v1/sign-requests', { appToken: 'esr_unknown' });
    expect(answer).toMatchObject({
      status: 401,
      FailRules: [{ Code: 'INVALID_APP_TOKEN', Message: 'Invalid App Token' }],
    });
  });

  it.each([
    ['no document name', { documentName: undefined }, ['documentName']],
    ['a document name over 200 characters', { documentName: 'd'.repeat(201) }, ['documentName']],
    ['no signers', { signers: [] }, ['signers']],
    ['51 signers', { signers: signersNamed(51) }, ['signers']],
    ['signers that is not a list', { signers: { name: 'A' } }, ['signers']],
    ['a signer without a valid email', { signers: [{ name: 'A', email: 'not-an-email' }] }, ['signers.0.email']],
    [
      'the same email twice (in any case)',
      {
        signers: [
          { name: 'A', email: 'a@example.com' },
          { name: 'B', email: 'A@Example.com' },
        ],
      },
      ['signers.1.email'],
    ],
    ['a deadline in the past', { expiresAt: '2001-01-01T00:00:00Z' }, ['expiresAt']],
    ['a deadline that is not ISO 8601', { expiresAt: 'next tuesday' }, ['expiresAt']],
    // Stored as +010000-01-01T04:00:00.000Z, it would compare wrongly with every time in the store's conditions.
    ['a deadline beyond year 9999 in UTC', { expiresAt: '9999-12-31T23:00:00-05:00' }, ['expiresAt']],
    [
      'a deadline more than 999 days ahead',
      { expiresAt: new Date(Date.now() + 1_000 * 86_400_000).toISOString() },
      ['expiresAt'],
    ],
    [
      'a name and a message of wrong types',
      { signers: [{ name: 7, email: 'a@example.com' }], message: {} },
      ['signers.0.name', 'message'],
    ],
  ])('refuses %s with one fail rule per bad field', async (_, override, fields) => {
    const app = await newApp();
    const answer = await service.post('/v1/sign-requests', { ...validBody(app.token), ...override });
    expect(answer.status).toBe(400);
    expect(answer.FailRules.map((rule) => rule.Field)).toEqual(fields);
    expect(answer.FailRules.every((rule) => rule.Code === 'VALIDATION_FAILED' && rule.Message.length > 0)).toBe(true);
    // Nothing was created: the app's first successful request is still number 1.
    expect((await initiate(service, app.token, 1)).RequestNo).toBe('KAiZEN-1');
  });

  it('keeps the optional message, requester and deadline, and shows them on read', async () => {
    const app = await newApp();
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await initiate(service, app.token, 1, {
      message: 'Please sign\nby Friday',
      requestedBy: 'Legal',
      expiresAt,
    });
    const read = await service.get(`/v1/sign-requests/${created.SignRequestId}`, {
      authorization: `Bearer ${app.token}`,
    });
    expect(read.Data).toMatchObject({ Message: 'Please sign\nby Friday', RequestedBy: 'Legal', ExpiresAt: expiresAt });
  });

  it('refuses a deadline too far ahead with the bound in its message', async () => {
    const app = await newApp();
    const answer = await service.post('/v1/sign-requests', {
      ...validBody(app.token),
      expiresAt: '9999-12-31T23:00:00-05:00',
    });
    expect(answer).toMatchObject({
      status: 400,
      FailRules: [
        { Code: 'VALIDATION_FAILED', Field: 'expiresAt', Message: 'expiresAt must be at most 999 days ahead' },
      ],
    });
  });

  it('stores a deadline with an offset as UTC Z, with milliseconds, and signs and recalls on it', async () => {
    const app = await newApp();
    const inAYear = new Date(Date.now() + 365 * 86_400_000);
    inAYear.setUTCMilliseconds(0);
    const local = `${inAYear.toISOString().slice(0, 19)}+02:00`;
    const created = await initiate(service, app.token, 2, { expiresAt: local });
    const read = await service.get<{ ExpiresAt: string }>(`/v1/sign-requests/${created.SignRequestId}`, {
      authorization: `Bearer ${app.token}`,
    });
    expect(read.Data.ExpiresAt).toBe(new Date(Date.parse(local)).toISOString());
    expect(read.Data.ExpiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect((await service.post(`${new URL(created.Signers[0]!.SigningUrl).pathname}/sign`)).status).toBe(200);
    expect(
      await service.post('/v1/sign-requests/recall', {
        signRequestId: created.SignRequestId,
        appToken: app.token,
        recallReason: 'mistake',
        recalledBy: 'Ops',
      }),
    ).toMatchObject({ status: 200, Data: true });
  });
});

describe('read (GET /v1/sign-requests/{id})', () => {
  it('shows the request, its signers and history to the app that owns it', async () => {
    const app = await newApp();
    const created = await initiate(service, app.token, 2);
    const answer = await service.get(`/v1/sign-requests/${created.SignRequestId}`, {
      authorization: `Bearer ${app.token}`,
    });
    expect(answer).toMatchObject({
      status: 200,
      Data: {
        SignRequestId: created.SignRequestId,
        RequestNo: created.RequestNo,
        Status: 'PENDING',
        DocumentName: 'Contract.pdf',
        Recall: null,
        Signers: [
          {
            SignerId: created.Signers[0]!.SignerId,
            Name: 'Signer 1',
            Status: 'PENDING',
            ViewedAt: null,
            SignedAt: null,
            SignedName: null,
          },
          {
            SignerId: created.Signers[1]!.SignerId,
            Name: 'Signer 2',
            Status: 'PENDING',
            ViewedAt: null,
            SignedAt: null,
            SignedName: null,
          },
        ],
        History: [{ Event: 'CREATED' }],
      },
    });
    expect(JSON.stringify(answer.Data)).not.toMatch(/tokenHash|SigningUrl/);
  });

  it('answers 401 without a bearer token and 404 for another app, a malformed or an unknown id', async () => {
    const [owner, stranger] = [await newApp(), await newApp()];
    const created = await initiate(service, owner.token, 1);
    expect((await service.get(`/v1/sign-requests/${created.SignRequestId}`)).status).toBe(401);
    expect(
      (await service.get(`/v1/sign-requests/${created.SignRequestId}`, { authorization: owner.token })).status,
    ).toBe(401);
    for (const id of [created.SignRequestId, 'not-an-id', '01ARZ3NDEKTSV4RRFFQ69G5FAV']) {
      expect(await service.get(`/v1/sign-requests/${id}`, { authorization: `Bearer ${stranger.token}` })).toMatchObject(
        {
          status: 404,
          FailRules: [{ Code: 'SIGN_REQUEST_NOT_FOUND', Message: 'No sign request found' }],
        },
      );
    }
  });
});
