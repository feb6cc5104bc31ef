import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import { limitsRequestOf, setAppLimits } from '../../infra/admin/limits.ts';
import { appStore } from '../support/dependencies.ts';
import { captureWrites } from '../support/log-guard.ts';
import { initiate, newApp, startService, type Answer, type Service } from '../support/service.ts';

// This file's functions run on the limits the scenario names, not the suite's unthrottled ones: every
// app 20 requests a second, bursts of 20, leases of 1 s (the deployed default). Set before the functions load.
vi.hoisted(() => {
  process.env.APP_RATE_PER_SECOND = '20';
  process.env.APP_RATE_BURST = '20';
  process.env.APP_RATE_LEASE_MS = '1000';
});
const RATE = 20;
const BURST = 20;
const LEASE_MS = 1_000;

// A sends ten times its rate, paced, for as long as B is measured: far above its rate, yet a flood the one local
// process can serve beside B (an unpaced flood measures the local event loop, not the limiter: see design.md).
const FLOOD_PER_SECOND = 10 * RATE;
const MEASURED_MS = 3_000;
const FLOOD_REQUESTS = (FLOOD_PER_SECOND * MEASURED_MS) / 1000;
const FLOOD_CONCURRENCY = 20;
const MODEST_PER_SECOND = 5;

let service: Service;
let writes: string[] = [];
beforeAll(async () => {
  service = await startService();
  writes = captureWrites();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await service.close();
});

const p99 = (durations: number[]) => {
  const sorted = [...durations].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? NaN;
};

const body = (token: string) => ({
  appToken: token,
  documentName: 'Contract.pdf',
  signers: [{ name: 'Asha Rao', email: 'asha@example.com' }],
  sendInvitations: false,
});

/** App B's calls, one every 1/5 s, alternating read and initiate, until `done` says stop: each answer timed. */
const modestCalls = async (token: string, readId: string, done: () => boolean) => {
  const answers: { answer: Answer; ms: number }[] = [];
  for (let call = 0; !done(); call++) {
    const started = performance.now();
    const answer =
      call % 2 === 0
        ? await service.get(`/v1/sign-requests/${readId}`, { authorization: `Bearer ${token}` })
        : await service.post('/v1/sign-requests', body(token));
    answers.push({ answer, ms: performance.now() - started });
    await sleep(Math.max(0, 1000 / MODEST_PER_SECOND - (performance.now() - started)));
  }
  return answers;
};

describe('fairness: one app flooding far above its rate beside one at a modest rate, over HTTP', () => {
  it('refuses only the flood (429 with its headers), leaves the modest app alone, and every 201 the flood got is stored', async () => {
    const [flooder, modest] = [await newApp('Flooding App'), await newApp('Modest App')];
    const flooderRequest = await initiate(service, flooder.token, 1, { sendInvitations: false });
    const modestRequest = await initiate(service, modest.token, 1, { sendInvitations: false });

    // B alone first, for its p99 without the flood.
    const quietUntil = Date.now() + MEASURED_MS;
    const quiet = await modestCalls(modest.token, modestRequest.SignRequestId, () => Date.now() > quietUntil);
    // Both apps' buckets are full again before the flood: A's setup call and B's are long refilled.
    await sleep((BURST / RATE) * 1000);

    let flooding = true;
    const beside = modestCalls(modest.token, modestRequest.SignRequestId, () => !flooding);
    const flood: Answer[] = [];
    let next = 0;
    const floodStarted = Date.now();
    await Promise.all(
      Array.from({ length: FLOOD_CONCURRENCY }, async () => {
        while (next < FLOOD_REQUESTS) {
          const call = next++;
          await sleep(Math.max(0, floodStarted + (call * 1000) / FLOOD_PER_SECOND - Date.now()));
          flood.push(
            call % 2 === 0
              ? await service.post('/v1/sign-requests', body(flooder.token))
              : await service.get(`/v1/sign-requests/${flooderRequest.SignRequestId}`, {
                  authorization: `Bearer ${flooder.token}`,
                }),
          );
        }
      }),
    );
    const floodMs = Date.now() - floodStarted;
    // B goes on for as long as it was measured alone, however the flood went, so both p99s have as many calls.
    await sleep(Math.max(0, MEASURED_MS - floodMs));
    flooding = false;
    const during = await beside;

    const admitted = flood.filter((answer) => answer.status === 200 || answer.status === 201);
    const limited = flood.filter((answer) => answer.status === 429);
    console.log(
      `fairness: app A sent ${FLOOD_REQUESTS} requests (${FLOOD_PER_SECOND}/s, concurrency ${FLOOD_CONCURRENCY}) in ${floodMs} ms at ` +
        `${RATE}/s (burst ${BURST}): ${admitted.length} admitted, ${limited.length} answered 429; app B at ` +
        `${MODEST_PER_SECOND}/s: p99 ${p99(quiet.map((call) => call.ms)).toFixed(1)} ms alone ` +
        `(${quiet.length} calls), ${p99(during.map((call) => call.ms)).toFixed(1)} ms beside the flood ` +
        `(${during.length} calls)`,
    );

    // B never saw a 429; every one of its calls succeeded, and carried its own headers.
    for (const { answer } of [...quiet, ...during]) {
      expect(answer.status, JSON.stringify(answer.FailRules)).toBeOneOf([200, 201]);
      expect(answer.headers.get('x-ratelimit-limit')).toBe(String(BURST));
    }
    // Every answer A got is a success or RATE_LIMITED: nothing failed otherwise.
    expect(admitted.length + limited.length).toBe(FLOOD_REQUESTS);
    expect(limited.length).toBeGreaterThan(0);
    for (const answer of limited) {
      expect(answer.FailRules).toEqual([
        { Code: 'RATE_LIMITED', Message: expect.stringContaining(`${RATE} requests a second`) as string },
      ]);
      expect(answer.Data).toBeNull();
      const retryAfter = Number(answer.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
      expect(answer.headers.get('x-ratelimit-limit')).toBe(String(BURST));
      expect(answer.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number.isInteger(Number(answer.headers.get('x-ratelimit-reset')))).toBe(true);
    }
    // Within the bound for the flood's window: burst + rate × (w + lease).
    expect(admitted.length).toBeLessThanOrEqual(BURST + (RATE * (floodMs + LEASE_MS)) / 1000);
    // Nothing half-done: every request A was told it created is in the table, whole, as A's.
    const created = admitted.filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThan(0);
    for (const answer of created) {
      const { SignRequestId } = answer.Data as { SignRequestId: string };
      const stored = await signRequests.get(SignRequestId);
      expect(stored).toMatchObject({ appId: flooder.appId, status: 'PENDING', documentName: 'Contract.pdf' });
      expect(Object.values(stored?.signers ?? {}).map((signer) => signer.email)).toEqual(['asha@example.com']);
    }

    // The access log names the app (never its token) and the code, for the metric filter on RATE_LIMITED.
    const refusedLines = writes
      .flatMap((write) => write.split('\n').filter(Boolean))
      .map((line) => JSON.parse(line) as { message?: string; appId?: string; code?: string; status?: number })
      .filter((line) => line.message === 'request' && line.code === 'RATE_LIMITED');
    expect(refusedLines).toHaveLength(limited.length);
    expect(refusedLines.every((line) => line.appId === flooder.appId && line.status === 429)).toBe(true);
  });

  it('puts no rate headers on an answer before authentication, and puts them on an idempotent replay', async () => {
    const invalid = await service.get('/v1/sign-requests', { authorization: 'Bearer not-a-token' });
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get('x-ratelimit-limit')).toBeNull();
    expect(invalid.headers.get('x-ratelimit-remaining')).toBeNull();

    const app = await newApp('Replaying App');
    const keyed = { 'idempotency-key': 'fairness-replay' };
    const first = await service.post('/v1/sign-requests', body(app.token), keyed);
    const replay = await service.post('/v1/sign-requests', body(app.token), keyed);
    expect([first.status, replay.status]).toEqual([201, 201]);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('x-ratelimit-limit')).toBe(String(BURST));
    // Limited like any call (the limit runs before the handler, which replays): whole tokens, at most the burst.
    const remaining = Number(replay.headers.get('x-ratelimit-remaining'));
    expect(Number.isInteger(remaining) && remaining >= 0 && remaining <= BURST).toBe(true);
  });

  it("limits an app by its own limits once `npm run app -- limits` set them, and leaves other apps on the stage's", async () => {
    const [limitedApp, defaultApp] = [await newApp('Own Limits'), await newApp('Stage Defaults')];
    // As the command stores them, before either token is looked up (the token cache would keep the old for its TTL).
    const request = limitsRequestOf({ rate: '1', burst: '3' });
    if (!request.ok) throw new Error(request.message);
    expect((await setAppLimits(appStore, limitedApp.appId, request)).ok).toBe(true);

    const started = Date.now();
    const answers = [];
    for (let call = 0; call < 12; call++)
      answers.push(await service.get('/v1/sign-requests', { authorization: `Bearer ${limitedApp.token}` }));
    const seconds = (Date.now() - started) / 1000;
    const admitted = answers.filter((answer) => answer.status === 200);
    expect(answers.every((answer) => answer.headers.get('x-ratelimit-limit') === '3')).toBe(true);
    // Its own bound: burst 3 + rate 1 × (w + lease), far under the stage's 20 at once.
    expect(admitted.length).toBeGreaterThan(0);
    expect(admitted.length).toBeLessThanOrEqual(3 + 1 * (seconds + LEASE_MS / 1000));
    expect(answers.filter((answer) => answer.status === 429).length).toBe(answers.length - admitted.length);

    const other = await service.get('/v1/sign-requests', { authorization: `Bearer ${defaultApp.token}` });
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-limit')).toBe(String(BURST));
  });
});
