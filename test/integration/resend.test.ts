import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import { freshRequest } from '../support/requests.ts';
import { storedRequestIdsOf } from '../support/stored-requests.ts';
import {
  initiate,
  newApp,
  recallBody,
  signingPath,
  startService,
  type Created,
  type Service,
} from '../support/service.ts';
import { registerSecret } from '../support/log-guard.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Resend');
});
afterAll(() => service.close());

interface Resent extends Created {
  ReplacesSignRequestId: string;
}
interface Read {
  RequestNo: string;
  Status: string;
  DocumentName: string;
  Message: string | null;
  RequestedBy: string | null;
  ExpiresAt: string | null;
  Signers: { SignerId: string; Name: string; Email: string }[];
  ReplacesSignRequestId: string | null;
  ReplacedBySignRequestId: string | null;
}

const auth = (token = app.token) => ({ authorization: `Bearer ${token}` });
const read = (id: string, token = app.token) => service.get<Read>(`/v1/sign-requests/${id}`, auth(token));
const resend = async (id: string, body?: unknown, headers: Record<string, string> = {}, token = app.token) => {
  const answer = await service.post<Resent>(`/v1/sign-requests/${id}/resend`, body, { ...auth(token), ...headers });
  for (const signer of answer.Data?.Signers ?? []) registerSecret(signer.SigningUrl.split('.').at(-1) ?? '');
  return answer;
};
const recalled = async (token = app.token, signerCount = 2, extra: Record<string, unknown> = {}) => {
  const created = await initiate(service, token, signerCount, extra);
  expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, token))).status).toBe(200);
  return created;
};
const numberOf = (requestNo: string) => Number(requestNo.split('-').at(-1));
const IN_A_MONTH = new Date(Date.now() + 30 * 86_400_000).toISOString();
const IN_TWO_MONTHS = new Date(Date.now() + 60 * 86_400_000).toISOString();

describe('correct and resend', () => {
  it('makes a new request with the cancelled one’s document, message, requester and signers; the reads link both', async () => {
    const old = await recalled(app.token, 2, { message: 'Please sign', requestedBy: 'Mohit', expiresAt: IN_A_MONTH });

    const answer = await resend(old.SignRequestId);

    expect(answer.status).toBe(201);
    const created = answer.Data;
    expect(created.SignRequestId).not.toBe(old.SignRequestId);
    expect(created.ReplacesSignRequestId).toBe(old.SignRequestId);
    expect(created.Status).toBe('PENDING');
    expect(numberOf(created.RequestNo)).toBeGreaterThan(numberOf(old.RequestNo));
    expect(created.Signers.map(({ Name, Email }) => ({ Name, Email }))).toEqual(
      old.Signers.map(({ Name, Email }) => ({ Name, Email })),
    );
    const oldRead = await read(old.SignRequestId);
    const newRead = await read(created.SignRequestId);
    expect(oldRead.Data).toMatchObject({ Status: 'CANCELLED', ReplacedBySignRequestId: created.SignRequestId });
    expect(oldRead.Data.ReplacesSignRequestId).toBeNull();
    expect(newRead.Data).toMatchObject({
      Status: 'PENDING',
      RequestNo: created.RequestNo,
      DocumentName: 'Contract.pdf',
      Message: 'Please sign',
      RequestedBy: 'Mohit',
      ExpiresAt: IN_A_MONTH,
      ReplacesSignRequestId: old.SignRequestId,
      ReplacedBySignRequestId: null,
    });
    expect(newRead.Data.Signers.map((signer) => signer.SignerId)).toEqual(created.Signers.map((s) => s.SignerId));
    // The resend changed the old request (it now names its replacement): its ETag moved.
    expect(oldRead.headers.get('etag')).toBe('"3"');
    // The new links work; the old ones are still dead.
    expect((await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`)).status).toBe(200);
    expect((await service.post(`${signingPath(old.Signers[0]!.SigningUrl)}/sign`)).status).toBe(410);
  });

  it('takes documentName, signers, message and expiresAt from the body; an empty message removes it', async () => {
    const old = await recalled(app.token, 2, { message: 'Old message' });
    const signers = [{ name: 'Zoe New', email: 'zoe@example.com' }];

    const answer = await resend(old.SignRequestId, {
      documentName: 'Contract v2.pdf',
      signers,
      message: '',
      expiresAt: IN_TWO_MONTHS,
    });

    expect(answer.status).toBe(201);
    expect((await read(answer.Data.SignRequestId)).Data).toMatchObject({
      DocumentName: 'Contract v2.pdf',
      Message: null,
      ExpiresAt: IN_TWO_MONTHS,
      Signers: [{ Name: 'Zoe New', Email: 'zoe@example.com' }],
    });
  });

  it('resends an expired request, and one past its deadline not yet marked: the passed deadline does not carry over', async () => {
    const past = '2020-01-01T00:00:00.000Z';
    for (const status of ['EXPIRED', 'PENDING'] as const) {
      const { request } = freshRequest(2, { appId: app.appId, status, expiresAt: past });
      expect((await signRequests.create(request)).ok).toBe(true);
      expect((await read(request.id)).Data.Status).toBe('EXPIRED');

      const answer = await resend(request.id);

      expect(answer.status, status).toBe(201);
      expect((await read(answer.Data.SignRequestId)).Data).toMatchObject({ ExpiresAt: null, DocumentName: 'Doc.pdf' });
    }
  });

  it('resends a request a signer declined, to the same signers, the decliner included', async () => {
    const created = await initiate(service, app.token, 2);
    const token = new URL(created.Signers[1]?.SigningUrl ?? '').pathname.split('/').at(-1) ?? '';
    const declined = await service.post(`/v1/signing/${token}/decline`, { reason: 'Wrong company name' });
    expect(declined.status).toBe(200);
    expect((await read(created.SignRequestId)).Data.Status).toBe('DECLINED');

    const answer = await resend(created.SignRequestId, { documentName: 'Contract, company name fixed.pdf' });

    expect(answer.status).toBe(201);
    expect(answer.Data.Signers.map((signer) => signer.Email)).toEqual(created.Signers.map((signer) => signer.Email));
    expect((await read(created.SignRequestId)).Data).toMatchObject({
      Status: 'DECLINED',
      ReplacedBySignRequestId: answer.Data.SignRequestId,
    });
    expect((await read(answer.Data.SignRequestId)).Data).toMatchObject({
      Status: 'PENDING',
      DocumentName: 'Contract, company name fixed.pdf',
      ReplacesSignRequestId: created.SignRequestId,
    });
  });

  it('refuses the body initiate refuses, field by field, and fields it does not know', async () => {
    const old = await recalled();
    const answer = await resend(old.SignRequestId, { signers: [], requestedBy: 'X', documentName: '' });
    expect(answer.status).toBe(400);
    expect(answer.FailRules.map((rule) => rule.Field).sort()).toEqual(['documentName', 'requestedBy', 'signers']);
    expect((await read(old.SignRequestId)).Data.ReplacedBySignRequestId).toBeNull();
  });

  it('refuses the fields that carry over as they were: the requester and the mail options', async () => {
    const old = await recalled();
    for (const [field, value] of [
      ['requestedBy', 'X'],
      ['senderEmail', 'x@example.com'],
      ['sendInvitations', false],
      ['remindEveryDays', 2],
    ] as const) {
      const answer = await resend(old.SignRequestId, { [field]: value });
      expect(answer.status, field).toBe(400);
      expect(answer.FailRules).toEqual([
        { Code: 'VALIDATION_FAILED', Message: `Received unknown parameter: ${field}`, Field: field },
      ]);
    }
    expect((await read(old.SignRequestId)).Data.ReplacedBySignRequestId).toBeNull();
  });
});

describe('refusals', () => {
  it('an open request: 409 SIGN_REQUEST_OPEN; a completed one: 409 SIGN_REQUEST_COMPLETED; nothing is made', async () => {
    const own = await newApp('Resend refusals');
    const open = await initiate(service, own.token, 2);
    expect(await resend(open.SignRequestId, undefined, {}, own.token)).toMatchObject({
      status: 409,
      FailRules: [
        { Code: 'SIGN_REQUEST_OPEN', Message: 'This request is still open: recall it first, then resend it' },
      ],
      Data: null,
    });
    const done = await initiate(service, own.token, 1);
    expect((await service.post(`${signingPath(done.Signers[0]!.SigningUrl)}/sign`)).status).toBe(200);
    expect(await resend(done.SignRequestId, undefined, {}, own.token)).toMatchObject({
      status: 409,
      FailRules: [{ Code: 'SIGN_REQUEST_COMPLETED', Message: 'This request is fully signed and cannot be resent' }],
    });
    expect(await storedRequestIdsOf(own.appId)).toEqual([open.SignRequestId, done.SignRequestId].sort());
  });

  it('a second resend: 409 SIGN_REQUEST_ALREADY_RESENT naming the replacement', async () => {
    const old = await recalled();
    const first = await resend(old.SignRequestId);
    expect(await resend(old.SignRequestId, { documentName: 'Another.pdf' })).toMatchObject({
      status: 409,
      FailRules: [
        {
          Code: 'SIGN_REQUEST_ALREADY_RESENT',
          Message: `This request was already resent as ${first.Data.SignRequestId}`,
        },
      ],
    });
  });

  it('unknown, malformed or another app’s id: 404 No sign request found, and theirs is not resent', async () => {
    const other = await newApp('Resend other');
    const theirs = await recalled(other.token);
    for (const id of [theirs.SignRequestId, ulid(), 'not-an-id']) {
      expect(await resend(id)).toMatchObject({
        status: 404,
        FailRules: [{ Code: 'SIGN_REQUEST_NOT_FOUND', Message: 'No sign request found' }],
      });
    }
    expect(await resend(theirs.SignRequestId, undefined, { 'if-match': '"9"' })).toMatchObject({ status: 404 });
    expect((await read(theirs.SignRequestId, other.token)).Data.ReplacedBySignRequestId).toBeNull();
    expect(await storedRequestIdsOf(other.appId)).toEqual([theirs.SignRequestId]);
    expect((await resend(theirs.SignRequestId, undefined, {}, 'esr_wrong')).status).toBe(401);
  });

  it('a stale If-Match: 412 and nothing is made; the fresh one: 201', async () => {
    const own = await newApp('Resend If-Match');
    const created = await initiate(service, own.token, 2);
    const stale = (await read(created.SignRequestId, own.token)).headers.get('etag')!;
    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, own.token))).status).toBe(
      200,
    );

    expect(await resend(created.SignRequestId, undefined, { 'if-match': stale }, own.token)).toMatchObject({
      status: 412,
      FailRules: [{ Code: 'PRECONDITION_FAILED' }],
    });
    expect(await storedRequestIdsOf(own.appId)).toEqual([created.SignRequestId]);
    const fresh = (await read(created.SignRequestId, own.token)).headers.get('etag')!;
    expect((await resend(created.SignRequestId, undefined, { 'if-match': fresh }, own.token)).status).toBe(201);
    // Once resent, the tag read before the resend is stale too.
    expect((await resend(created.SignRequestId, undefined, { 'if-match': fresh }, own.token)).status).toBe(412);
  });
});

describe('at most once', () => {
  it('of 8 concurrent resends exactly one makes a request; the 7 others answer 409 naming it', async () => {
    const own = await newApp('Resend race');
    const old = await recalled(own.token);

    const answers = await Promise.all(
      Array.from({ length: 8 }, () => resend(old.SignRequestId, undefined, {}, own.token)),
    );

    const winners = answers.filter((answer) => answer.status === 201);
    expect(winners).toHaveLength(1);
    const id = winners[0]!.Data.SignRequestId;
    for (const loser of answers.filter((answer) => answer.status !== 201)) {
      expect(loser).toMatchObject({
        status: 409,
        FailRules: [{ Code: 'SIGN_REQUEST_ALREADY_RESENT', Message: `This request was already resent as ${id}` }],
      });
    }
    expect(await storedRequestIdsOf(own.appId)).toEqual([old.SignRequestId, id].sort());
    expect((await read(old.SignRequestId, own.token)).Data.ReplacedBySignRequestId).toBe(id);
  });

  it('of 8 concurrent resends with the same fresh If-Match, one makes a request and 7 answer 412', async () => {
    const own = await newApp('Resend race If-Match');
    const old = await recalled(own.token);
    const etag = (await read(old.SignRequestId, own.token)).headers.get('etag')!;

    const answers = await Promise.all(
      Array.from({ length: 8 }, () => resend(old.SignRequestId, undefined, { 'if-match': etag }, own.token)),
    );

    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 412, 412, 412, 412, 412, 412, 412]);
    expect(await storedRequestIdsOf(own.appId)).toHaveLength(2);
  });

  it('with an Idempotency-Key, a retry answers the same request and links again and makes nothing', async () => {
    const own = await newApp('Resend key');
    const old = await recalled(own.token);
    const key = { 'idempotency-key': `resend-${ulid()}` };

    const first = await resend(old.SignRequestId, { message: 'v2' }, key, own.token);
    const retry = await resend(old.SignRequestId, { message: 'v2' }, key, own.token);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.Data).toEqual(first.Data);
    expect(await storedRequestIdsOf(own.appId)).toEqual([old.SignRequestId, first.Data.SignRequestId].sort());
    expect((await resend(old.SignRequestId, { message: 'v3' }, key, own.token)).status).toBe(422);
  });
});
