import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import { expireDueRequests } from '../../functions/workflows/expire-due.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { expectConsistent } from '../support/invariants.ts';
import { freshRequest } from '../support/requests.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

/** One run of the expiry workflow, as the scheduled function runs it. */
const expireDue = (now: string) => expireDueRequests({ signRequests }, now);

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Expiry');
});
afterAll(() => service.close());

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
const statusOf = async (id: string) => (await signRequests.get(id))?.status;

describe('expiry', () => {
  it('expires open requests past their deadline, and nothing else', async () => {
    const pending = await initiate(service, app.token, 2, { expiresAt: inHours(1) });
    const partial = await initiate(service, app.token, 2, { expiresAt: inHours(1) });
    await service.post(`${signingPath(partial.Signers[0]!.SigningUrl)}/sign`);
    const completed = await initiate(service, app.token, 1, { expiresAt: inHours(1) });
    await service.post(`${signingPath(completed.Signers[0]!.SigningUrl)}/sign`);
    const recalled = await initiate(service, app.token, 1, { expiresAt: inHours(1) });
    await service.post('/v1/sign-requests/recall', recallBody(recalled.SignRequestId, app.token));
    const declined = await initiate(service, app.token, 2, { expiresAt: inHours(1) });
    await service.post(`${signingPath(declined.Signers[1]!.SigningUrl)}/decline`, { reason: 'Wrong party' });
    const declinedBefore = await signRequests.get(declined.SignRequestId);
    const later = await initiate(service, app.token, 1, { expiresAt: inHours(5) });
    const noDeadline = await initiate(service, app.token, 1);

    const run = await expireDue(inHours(2));
    expect(run.expired).toBe(2);
    expect(await statusOf(pending.SignRequestId)).toBe('EXPIRED');
    expect(await statusOf(partial.SignRequestId)).toBe('EXPIRED');
    expect(await statusOf(completed.SignRequestId)).toBe('COMPLETED');
    expect(await statusOf(recalled.SignRequestId)).toBe('CANCELLED');
    // A declined request is closed: the run does not touch it (it left the expiry index when declined).
    expect(await signRequests.get(declined.SignRequestId)).toEqual(declinedBefore);
    expect(declinedBefore?.status).toBe('DECLINED');
    expect(await statusOf(later.SignRequestId)).toBe('PENDING');
    expect(await statusOf(noDeadline.SignRequestId)).toBe('PENDING');
    for (const id of [pending, partial, completed, recalled, declined].map((c) => c.SignRequestId)) {
      expectConsistent((await signRequests.get(id))!);
    }
    // The index holds only open requests with a deadline: a second run finds only the later one, when due.
    expect(await expireDue(inHours(2))).toEqual({ due: 0, expired: 0 });
    expect(await expireDue(inHours(6))).toEqual({ due: 1, expired: 1 });
  });

  it('makes an expired request neither recallable nor signable', async () => {
    const created = await initiate(service, app.token, 2, { expiresAt: inHours(1) });
    await expireDue(inHours(2));
    expect(await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).toMatchObject({
      status: 409,
      FailRules: [{ Code: 'SIGN_REQUEST_EXPIRED', Message: 'This request has expired' }],
    });
    const link = signingPath(created.Signers[0]!.SigningUrl);
    for (const answer of [await service.get(link), await service.post(`${link}/sign`)]) {
      expect(answer).toMatchObject({ status: 410, FailRules: [{ Code: 'SIGN_REQUEST_EXPIRED' }] });
    }
    const read = await service.get<{ Status: string; History: { Event: string }[] }>(
      `/v1/sign-requests/${created.SignRequestId}`,
      { authorization: `Bearer ${app.token}` },
    );
    expect(read.Data.Status).toBe('EXPIRED');
    expect(read.Data.History.map((entry) => entry.Event)).toEqual(['CREATED', 'EXPIRED']);
  });

  it('lets exactly one of the last signature and the expiry win when they race', async () => {
    for (let round = 0; round < 20; round++) {
      const created = await initiate(service, app.token, 1, { expiresAt: inHours(1) });
      const [signed, run] = await Promise.all([
        service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`),
        expireDue(inHours(2)),
      ]);
      const stored = (await signRequests.get(created.SignRequestId))!;
      expectConsistent(stored);
      if (signed.status === 200) {
        expect(stored.status).toBe('COMPLETED');
      } else {
        expect(signed).toMatchObject({ status: 410, FailRules: [{ Code: 'SIGN_REQUEST_EXPIRED' }] });
        expect(stored.status).toBe('EXPIRED');
        expect(run.expired).toBeGreaterThanOrEqual(1);
      }
    }
  });
});

/** A request written straight to the store, created an hour ago, with the deadline given. */
const storedDirectly = (expiresAt: string, id?: string): SignRequest => {
  const { request } = freshRequest(2);
  const createdAt = new Date(Date.now() - 3_600_000).toISOString();
  return {
    ...request,
    id: id ?? request.id,
    appId: app.appId,
    createdAt,
    updatedAt: createdAt,
    history: [{ at: createdAt, event: 'CREATED' }],
    expiresAt,
  };
};
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('expiry that nothing holds back', () => {
  it('takes a closed request left in the index out of it instead of reading it on every run', async () => {
    const closed: SignRequest = { ...storedDirectly(minutesAgo(5)), status: 'CANCELLED' };
    closed.recall = { reason: 'old', by: 'Ops', at: closed.updatedAt };
    closed.history = [...closed.history, { at: closed.updatedAt, event: 'RECALLED', by: 'Ops' }];
    await signRequests.create(closed);

    expect(await expireDue(new Date().toISOString())).toEqual({ due: 1, expired: 0 });
    expect(await expireDue(new Date().toISOString())).toEqual({ due: 0, expired: 0 });
    expect(await statusOf(closed.id)).toBe('CANCELLED');
  });
});

describe('reading a request past its deadline', () => {
  it('shows EXPIRED before the expiry job has run, as signing and recall already treat it', async () => {
    const request = storedDirectly(minutesAgo(1));
    await signRequests.create(request);

    const read = await service.get<{ Status: string }>(`/v1/sign-requests/${request.id}`, {
      authorization: `Bearer ${app.token}`,
    });

    expect(read).toMatchObject({ status: 200, Data: { Status: 'EXPIRED' } });
    expect(await statusOf(request.id)).toBe('PENDING');
  });
});
