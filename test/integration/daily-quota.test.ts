import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mailCapKey, requestCounterKey } from '../../functions/store/keys.ts';
import { secondsToNextUtcDay } from '../../functions/store/mail-cap.ts';
import { setAppLimits } from '../../infra/admin/limits.ts';
import { appStore, config, documentClient } from '../support/dependencies.ts';
import { storedRequestIdsOf } from '../support/stored-requests.ts';
import { initiate, newApp, recallBody, startService, signersNamed, type Service } from '../support/service.ts';

// No token cache in this file, so limits set by a test apply on the very next call (the cache is unit-tested).
vi.hoisted(() => {
  process.env.APP_TOKEN_CACHE_TTL_SECONDS = '0';
});

let service: Service;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());

/** A new app whose daily quota of new requests is `quota`, set as `npm run app -- limits` sets it. */
const appWithQuota = async (quota: number | undefined, name = 'Quota') => {
  const app = await newApp(name);
  if (quota !== undefined) await setAppLimits(appStore, app.appId, { limits: { dailyQuota: quota } });
  return app;
};

/** The app's counter item as stored: its last request number and, with a quota, the day's count. */
const counterOf = async (appId: string) =>
  (
    await documentClient.send(
      new GetCommand({ TableName: config.tableName, Key: requestCounterKey(appId), ConsistentRead: true }),
    )
  ).Item as { n: number; quotaDay?: string; quotaCount?: number } | undefined;

const mailCountOf = async (appId: string, at: string) =>
  (
    (
      await documentClient.send(
        new GetCommand({ TableName: config.tableName, Key: mailCapKey(appId, at.slice(0, 10)), ConsistentRead: true }),
      )
    ).Item as { n?: number } | undefined
  )?.n ?? 0;

const initiateBody = (token: string, signers = 2) => ({
  appToken: token,
  documentName: 'Contract.pdf',
  signers: signersNamed(signers),
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The refusal, and Retry-After as the seconds to the next UTC midnight, seen from before and after the call. */
const expectQuotaRefusal = (
  answer: { status: number; headers: Headers; FailRules: unknown; Data: unknown },
  quota: number,
  before: string,
  after: string,
) => {
  expect(answer.status).toBe(429);
  expect(answer.Data).toBeNull();
  expect(answer.FailRules).toEqual([
    {
      Code: 'DAILY_QUOTA_EXCEEDED',
      Message: `This app has created its ${quota} sign requests for today (UTC); try again tomorrow`,
    },
  ]);
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(secondsToNextUtcDay(after));
  expect(retryAfter).toBeLessThanOrEqual(secondsToNextUtcDay(before));
};

describe("an app's daily quota of new requests", () => {
  it('creates up to the quota, then refuses with 429 DAILY_QUOTA_EXCEEDED, making, numbering and mailing nothing', async () => {
    const app = await appWithQuota(3);
    const made = [await initiate(service, app.token), await initiate(service, app.token)];
    made.push(await initiate(service, app.token));
    expect(made.map((request) => request.RequestNo)).toEqual(['KAiZEN-1', 'KAiZEN-2', 'KAiZEN-3']);
    const counter = await counterOf(app.appId);
    const before = new Date().toISOString();
    const mailBefore = await mailCountOf(app.appId, before);

    const refused = await service.post('/v1/sign-requests', initiateBody(app.token));
    const after = new Date().toISOString();
    expectQuotaRefusal(refused, 3, before, after);
    // Nothing half-done: the counter did not move, no item was made, the invitations it counted were given back.
    expect(await counterOf(app.appId)).toEqual(counter);
    expect(counter).toMatchObject({ n: 3, quotaDay: before.slice(0, 10), quotaCount: 3 });
    expect(await storedRequestIdsOf(app.appId)).toEqual(made.map((request) => request.SignRequestId).sort());
    if (before.slice(0, 10) === after.slice(0, 10)) expect(await mailCountOf(app.appId, after)).toBe(mailBefore);
  });

  it('lets exactly the quota through when many initiates race for the last slots', async () => {
    const app = await appWithQuota(4);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => service.post('/v1/sign-requests', initiateBody(app.token, 1))),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429, 429, 429, 429, 429]);
    for (const refused of answers.filter((answer) => answer.status === 429))
      expect(refused.FailRules).toMatchObject([{ Code: 'DAILY_QUOTA_EXCEEDED' }]);
    const createdIds = answers
      .filter((answer) => answer.status === 201)
      .map((answer) => (answer.Data as { SignRequestId: string }).SignRequestId);
    expect(await storedRequestIdsOf(app.appId)).toEqual(createdIds.sort());
    // No number consumed by a refusal: the four are 1 to 4.
    expect(await counterOf(app.appId)).toMatchObject({ n: 4, quotaCount: 4 });
  });

  it('counts resends as new requests: a resend past the quota is refused and claims nothing', async () => {
    const app = await appWithQuota(3);
    const first = await initiate(service, app.token, 1);
    const second = await initiate(service, app.token, 1);
    for (const request of [first, second]) {
      expect((await service.post('/v1/sign-requests/recall', recallBody(request.SignRequestId, app.token))).Data).toBe(
        true,
      );
    }
    const resent = await service.post(`/v1/sign-requests/${first.SignRequestId}/resend`, undefined, bearer(app.token));
    expect(resent.status).toBe(201);
    expect((resent.Data as { RequestNo: string }).RequestNo).toBe('KAiZEN-3');

    const before = new Date().toISOString();
    const refused = await service.post(
      `/v1/sign-requests/${second.SignRequestId}/resend`,
      undefined,
      bearer(app.token),
    );
    expectQuotaRefusal(refused, 3, before, new Date().toISOString());
    const read = await service.get<{ ReplacedBySignRequestId: string | null }>(
      `/v1/sign-requests/${second.SignRequestId}`,
      bearer(app.token),
    );
    expect(read.Data.ReplacedBySignRequestId).toBeNull();
    expect(await counterOf(app.appId)).toMatchObject({ n: 3, quotaCount: 3 });
    expect((await service.post('/v1/sign-requests', initiateBody(app.token))).status).toBe(429);
  });

  it("answers an Idempotency-Key's retry of a call that succeeded with its first answer, even at the quota", async () => {
    const app = await appWithQuota(1);
    const keyed = { ...bearer(app.token), 'idempotency-key': 'quota-retry-1' };
    const body = initiateBody(app.token);
    const first = await service.post('/v1/sign-requests', body, keyed);
    expect(first.status).toBe(201);
    const again = await service.post('/v1/sign-requests', body, keyed);
    expect(again.status).toBe(201);
    expect(again.Data).toEqual(first.Data);
    expect((await service.post('/v1/sign-requests', body)).status).toBe(429);
    expect(await storedRequestIdsOf(app.appId)).toHaveLength(1);
  });

  it("leaves an app without a quota as it was, and one app's quota says nothing of another's", async () => {
    const free = await appWithQuota(undefined, 'No quota');
    const full = await appWithQuota(1, 'Full');
    const fresh = await appWithQuota(1, 'Fresh');
    await initiate(service, full.token, 1);
    expect((await service.post('/v1/sign-requests', initiateBody(full.token, 1))).status).toBe(429);
    // Another app with the same quota still has its own.
    expect((await initiate(service, fresh.token, 1)).RequestNo).toBe('KAiZEN-1');
    for (let i = 0; i < 5; i++) await initiate(service, free.token, 1);
    // Its counter is written exactly as before quotas: the number, nothing else.
    const counter = await counterOf(free.appId);
    expect(counter).toEqual({ ...requestCounterKey(free.appId), n: 5 });
  });
});

/**
 * When set, holds every "start a new day" write to the counter until `size` of them are waiting: so every racer's
 * first write ("count into today") has been refused before any starts the day, the interleaving that needs the
 * third try.
 */
let newDayBarrier: { size: number; waiting: number; open: () => void; opened: Promise<void> } | undefined;
documentClient.middlewareStack.add(
  (next) => async (args) => {
    const update = (args.input as { UpdateExpression?: unknown }).UpdateExpression;
    if (newDayBarrier && typeof update === 'string' && update.includes('SET #quotaDay')) {
      if (++newDayBarrier.waiting === newDayBarrier.size) newDayBarrier.open();
      await newDayBarrier.opened;
    }
    return next(args);
  },
  { step: 'initialize', name: 'newDayBarrier' },
);

describe('the counter write that counts the quota', () => {
  const TODAY = '2030-03-04T23:59:59.500Z';
  const TOMORROW = '2030-03-05T00:00:00.200Z';

  it('starts a new UTC day at 1, exactly, however many calls race over the first slot of the day', async () => {
    const app = await newApp('Rollover');
    const quota = (at: string) => ({ perDay: 4, at });
    for (let i = 0; i < 4; i++) expect((await appStore.nextRequestNumber(app.appId, quota(TODAY))).ok).toBe(true);
    expect(await appStore.nextRequestNumber(app.appId, quota(TODAY))).toEqual({ ok: false, reason: 'daily-quota' });

    let open = () => undefined as void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    newDayBarrier = { size: 10, waiting: 0, open, opened };
    const drawn = await Promise.all(
      Array.from({ length: 10 }, () => appStore.nextRequestNumber(app.appId, quota(TOMORROW))),
    ).finally(() => (newDayBarrier = undefined));
    const numbers = drawn.flatMap((one) => (one.ok ? [one.n] : []));
    expect(numbers.sort((a, b) => a - b)).toEqual([5, 6, 7, 8]);
    expect(await counterOf(app.appId)).toMatchObject({ n: 8, quotaDay: '2030-03-05', quotaCount: 4 });
    // A container whose clock still says yesterday counts into the later day, never back into the earlier one.
    expect(await appStore.nextRequestNumber(app.appId, quota(TODAY))).toEqual({ ok: false, reason: 'daily-quota' });
    expect(await counterOf(app.appId)).toMatchObject({ n: 8, quotaDay: '2030-03-05', quotaCount: 4 });
  });

  it('counts from the first call with a quota on a counter that numbered requests before it', async () => {
    const app = await newApp('Quota later');
    await appStore.nextRequestNumber(app.appId);
    await appStore.nextRequestNumber(app.appId);
    expect(await appStore.nextRequestNumber(app.appId, { perDay: 1, at: TODAY })).toEqual({ ok: true, n: 3 });
    expect(await appStore.nextRequestNumber(app.appId, { perDay: 1, at: TODAY })).toEqual({
      ok: false,
      reason: 'daily-quota',
    });
  });
});
