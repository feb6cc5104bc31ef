import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('If-Match');
});
afterAll(() => service.close());

const read = (id: string, token = app.token) =>
  service.get<{ Status: string }>(`/v1/sign-requests/${id}`, { authorization: `Bearer ${token}` });
const etagOf = async (id: string) => (await read(id)).headers.get('etag') ?? 'no ETag';
const recall = (id: string, ifMatch?: string, token = app.token) =>
  service.post('/v1/sign-requests/recall', recallBody(id, token), ifMatch === undefined ? {} : { 'if-match': ifMatch });

const PRECONDITION_FAILED = {
  status: 412,
  FailRules: [
    {
      Code: 'PRECONDITION_FAILED',
      Message: 'This request has changed since the version named in If-Match; read it again for its current ETag',
    },
  ],
  Data: null,
};
const NOT_FOUND = { status: 404, FailRules: [{ Code: 'SIGN_REQUEST_NOT_FOUND', Message: 'No sign request found' }] };

describe('the read answers an ETag', () => {
  it('is the stored version, as a strong tag, and moves with every change', async () => {
    const created = await initiate(service, app.token, 2);
    expect(await etagOf(created.SignRequestId)).toBe('"1"');
    await service.get(signingPath(created.Signers[0]!.SigningUrl)); // a first view is a change
    expect(await etagOf(created.SignRequestId)).toBe('"2"');
    expect((await signRequests.get(created.SignRequestId))?.version).toBe(2);
  });
});

describe('recall with If-Match', () => {
  it('lands on the version named, and answers 412 on any other, changing nothing', async () => {
    const created = await initiate(service, app.token, 2);
    const id = created.SignRequestId;
    const etag = await etagOf(id);
    await service.get(signingPath(created.Signers[0]!.SigningUrl));
    const before = await signRequests.get(id);

    const stale = await recall(id, etag);

    expect({ status: stale.status, FailRules: stale.FailRules, Data: stale.Data }).toEqual(PRECONDITION_FAILED);
    expect(await signRequests.get(id)).toEqual(before);
    expect(await recall(id, await etagOf(id))).toMatchObject({ status: 200, Data: true });
    expect((await read(id)).Data.Status).toBe('CANCELLED');
  });

  it('accepts a list of tags (any may match), `*` (any version), and takes a weak or foreign tag as a mismatch', async () => {
    const a = await initiate(service, app.token, 1);
    expect(await recall(a.SignRequestId, '"7", "1"')).toMatchObject({ status: 200 });
    const b = await initiate(service, app.token, 1);
    expect(await recall(b.SignRequestId, '*')).toMatchObject({ status: 200 });
    const c = await initiate(service, app.token, 1);
    // RFC 9110: If-Match compares strongly, so W/"1" never matches; "abc" names no version at all.
    for (const tag of ['W/"1"', '"abc"', '"01"']) expect((await recall(c.SignRequestId, tag)).status).toBe(412);
    expect((await signRequests.get(c.SignRequestId))?.status).toBe('PENDING');
  });

  it('refuses a malformed If-Match with 400 naming the header, before any change', async () => {
    const created = await initiate(service, app.token, 1);
    for (const header of ['1', '"1', '"1" "2"', '', 'W/1', Array.from({ length: 11 }, (_, n) => `"${n}"`).join(',')]) {
      const answer = await recall(created.SignRequestId, header);
      expect(answer, header).toMatchObject({
        status: 400,
        FailRules: [{ Code: 'VALIDATION_FAILED', Field: 'If-Match' }],
      });
    }
    expect((await signRequests.get(created.SignRequestId))?.status).toBe('PENDING');
  });

  it('never tells a stale tag on a missing or foreign request apart from no request at all: 404', async () => {
    const other = await newApp('If-Match other');
    const theirs = await initiate(service, other.token, 1);
    expect(await recall(theirs.SignRequestId, '"99"')).toMatchObject(NOT_FOUND);
    expect(await recall(theirs.SignRequestId, '"1"')).toMatchObject(NOT_FOUND);
    expect(await recall(ulid(), '"1"')).toMatchObject(NOT_FOUND);
    expect((await signRequests.get(theirs.SignRequestId))?.status).toBe('PENDING');
  });

  it('on a request cancelled since it was read: 412; with the ETag of the cancelled request: 409', async () => {
    const created = await initiate(service, app.token, 1);
    const id = created.SignRequestId;
    const etag = await etagOf(id);
    expect((await recall(id)).status).toBe(200);
    expect((await recall(id, etag)).status).toBe(412);
    expect(await recall(id, await etagOf(id))).toMatchObject({
      status: 409,
      FailRules: [{ Code: 'SIGN_REQUEST_ALREADY_CANCELLED' }],
    });
  });

  it('refuses with 412 when a signature lands between the read and the recall, and nothing changes', async () => {
    const created = await initiate(service, app.token, 2);
    const id = created.SignRequestId;
    const etag = await etagOf(id);
    expect((await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`)).status).toBe(200);
    const signed = await signRequests.get(id);

    expect((await recall(id, etag)).status).toBe(412);

    expect(await signRequests.get(id)).toEqual(signed);
    expect(signed?.status).toBe('PARTIALLY_SIGNED');
  });

  it('of 8 concurrent recalls with the same fresh If-Match, exactly one lands; the 7 others answer 412', async () => {
    const created = await initiate(service, app.token, 2);
    const id = created.SignRequestId;
    const etag = await etagOf(id);

    const answers = await Promise.all(Array.from({ length: 8 }, () => recall(id, etag)));

    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
    const stored = (await signRequests.get(id))!;
    expect(stored.status).toBe('CANCELLED');
    expect(stored.history.filter((entry) => entry.event === 'RECALLED')).toHaveLength(1);
    expect(stored.version).toBe(2);
  });
});
