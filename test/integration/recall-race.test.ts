import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import { expectClosedOnceBy, expectConsistent } from '../support/invariants.ts';
import { randomForThisTest } from '../support/seeded-random.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Race Tests');
});
afterAll(() => service.close());

/**
 * RACE_ROUNDS: 60 in the deep run, fewer in `npm test` (vitest.config.ts). The stagger is seeded: a failing test
 * prints its RACE_SEED, and `RACE_SEED=<n> npm run test:race` replays the same staggers.
 */
const ROUNDS = Number(process.env.RACE_ROUNDS ?? 60);

describe('recall racing the last signature', () => {
  it(`lets exactly one of them win in each of ${ROUNDS} rounds, and leaves a consistent item`, async () => {
    const random = randomForThisTest('RACE_SEED');
    for (let round = 0; round < ROUNDS; round++) {
      const created = await initiate(service, app.token, 2);
      const [first, last] = created.Signers.map((signer) => signingPath(signer.SigningUrl));
      const lastSignerId = created.Signers[1]!.SignerId;
      expect((await service.post(`${first}/sign`)).status).toBe(200);

      // Stagger the two by a seeded sub-millisecond-to-few-ms delay, so rounds cover both orders and a tie.
      const head = random() < 0.5 ? 'sign' : 'recall';
      const delay = random() * 3;
      const [signed, recalled] = await Promise.all([
        (async () => {
          if (head === 'recall') await sleep(delay);
          return service.post<{ Status: string }>(`${last}/sign`);
        })(),
        (async () => {
          if (head === 'sign') await sleep(delay);
          return service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
        })(),
      ]);

      const stored = await signRequests.get(created.SignRequestId);
      if (!stored) throw new Error('the request vanished');
      expectConsistent(stored);
      expect([signed.status, recalled.status].filter((status) => status === 200)).toHaveLength(1);
      if (signed.status === 200) {
        expect(signed.Data.Status).toBe('COMPLETED');
        expect(recalled).toMatchObject({ status: 409, FailRules: [{ Code: 'SIGN_REQUEST_COMPLETED' }] });
        expectClosedOnceBy(stored, 'signature', lastSignerId);
      } else {
        expect(recalled).toMatchObject({ status: 200, Data: true });
        expect(signed).toMatchObject({ status: 410, FailRules: [{ Code: 'SIGN_REQUEST_CANCELLED' }] });
        expectClosedOnceBy(stored, 'recall', lastSignerId);
      }
    }
  });

  it(`lets exactly one of a recall, a decline and the last signature win in each of ${ROUNDS} rounds`, async () => {
    const random = randomForThisTest('RACE_SEED');
    for (let round = 0; round < ROUNDS; round++) {
      const created = await initiate(service, app.token, 2);
      const [first, last] = created.Signers.map((signer) => signingPath(signer.SigningUrl));
      const lastSignerId = created.Signers[1]!.SignerId;
      expect((await service.post(`${first}/sign`)).status).toBe(200);

      // The last signer signs in one tab and declines in another while the app recalls, in a seeded stagger.
      const staggered = <T>(act: () => Promise<T>) => sleep(random() * 3).then(act);
      const [signed, declined, recalled] = await Promise.all([
        staggered(() => service.post<{ Status: string }>(`${last}/sign`)),
        staggered(() => service.post(`${last}/decline`, { reason: 'Changed my mind' })),
        staggered(() => service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))),
      ]);

      const stored = await signRequests.get(created.SignRequestId);
      if (!stored) throw new Error('the request vanished');
      expectConsistent(stored);
      expect([signed, declined, recalled].filter((answer) => answer.status === 200)).toHaveLength(1);
      if (signed.status === 200) {
        expectClosedOnceBy(stored, 'signature', lastSignerId);
        expect(declined).toMatchObject({ status: 409, FailRules: [{ Code: 'ALREADY_SIGNED' }] });
        expect(recalled).toMatchObject({ status: 409, FailRules: [{ Code: 'SIGN_REQUEST_COMPLETED' }] });
      } else if (recalled.status === 200) {
        expectClosedOnceBy(stored, 'recall', lastSignerId);
        for (const loser of [signed, declined]) {
          expect(loser).toMatchObject({ status: 410, FailRules: [{ Code: 'SIGN_REQUEST_CANCELLED' }] });
        }
      } else {
        expectClosedOnceBy(stored, 'decline', lastSignerId);
        expect(signed).toMatchObject({ status: 410, FailRules: [{ Code: 'SIGN_REQUEST_DECLINED' }] });
        expect(recalled).toMatchObject({ status: 409, FailRules: [{ Code: 'SIGN_REQUEST_DECLINED' }] });
      }
    }
  });

  it('lets exactly one of many concurrent recalls of one request succeed', async () => {
    for (let round = 0; round < 5; round++) {
      const created = await initiate(service, app.token, 2);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          service.post('/v1/sign-requests/recall', {
            ...recallBody(created.SignRequestId, app.token),
            recalledBy: `Caller ${i}`,
          }),
        ),
      );
      const winners = answers.filter((answer) => answer.status === 200);
      expect(winners).toHaveLength(1);
      expect(winners[0]?.Data).toBe(true);
      for (const loser of answers.filter((answer) => answer.status !== 200)) {
        expect(loser).toMatchObject({ status: 409, FailRules: [{ Code: 'SIGN_REQUEST_ALREADY_CANCELLED' }] });
      }
      const stored = await signRequests.get(created.SignRequestId);
      expectConsistent(stored!);
      // The stored record is the winner's, not a later loser's overwrite.
      const winnerIndex = answers.findIndex((answer) => answer.status === 200);
      expect(stored?.recall?.by).toBe(`Caller ${winnerIndex}`);
    }
  });

  it('lets 50 signers sign in the same instant: every one is accepted and the request completes once', async () => {
    const created = await initiate(service, app.token, 50);
    const answers = await Promise.all(
      created.Signers.map((signer) => service.post<{ Status: string }>(`${signingPath(signer.SigningUrl)}/sign`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect(answers.filter((answer) => answer.Data.Status === 'COMPLETED')).toHaveLength(1);
    const stored = await signRequests.get(created.SignRequestId);
    expect(stored?.status).toBe('COMPLETED');
    expect(stored?.signedCount).toBe(50);
    expectConsistent(stored!);
    expect(stored?.history.filter((entry) => entry.event === 'COMPLETED')).toHaveLength(1);
  });

  it('keeps every signer of a request and a recall consistent when all of them act at once', async () => {
    for (let round = 0; round < 5; round++) {
      const created = await initiate(service, app.token, 8);
      const signings = created.Signers.map((signer) => service.post(`${signingPath(signer.SigningUrl)}/sign`));
      const recall = service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
      const [recalled, ...signed] = await Promise.all([recall, ...signings]);

      const stored = await signRequests.get(created.SignRequestId);
      expectConsistent(stored!);
      const accepted = signed.filter((answer) => answer.status === 200).length;
      expect(stored?.signedCount).toBe(accepted);
      for (const answer of signed.filter((a) => a.status !== 200)) {
        expect(answer).toMatchObject({ status: 410, FailRules: [{ Code: 'SIGN_REQUEST_CANCELLED' }] });
      }
      if (recalled.status === 200) expect(stored?.status).toBe('CANCELLED');
      else {
        expect(recalled).toMatchObject({ status: 409, FailRules: [{ Code: 'SIGN_REQUEST_COMPLETED' }] });
        expect(accepted).toBe(8);
      }
    }
  });
});
