import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { signRequestKey } from '../../functions/store/keys.ts';
import { config, documentClient, signRequests } from '../support/dependencies.ts';
import { expectClosedOnceBy, expectConsistent } from '../support/invariants.ts';
import { registerSecret } from '../support/log-guard.ts';
import { randomForThisTest } from '../support/seeded-random.ts';
import { initiate, newApp, signersNamed, signingPath, startService, type Service } from '../support/service.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Proof Races');
});
afterAll(() => service.close());

/** RACE_ROUNDS: as recall-race.test.ts (quick in `npm test`, deep in `npm run test:deep`), seeded by RACE_SEED. */
const ROUNDS = Number(process.env.RACE_ROUNDS ?? 60);
const CODE = 'race-proof-code-2718';
registerSecret(CODE);
const proof = (code: string) => ({ 'x-signer-proof': code });

/**
 * Two signers, the first with CODE, who has given `wrong` wrong proofs: counted straight in the table, as that
 * many 401s would have left them (signer-proof.test.ts proves the counting itself), so a round costs one scrypt
 * hash and the race's two checks rather than one more per wrong proof.
 */
const requestWithWrongProofs = async (wrong: number, extra: Record<string, unknown> = {}) => {
  const [first, second] = signersNamed(2);
  const created = await initiate(service, app.token, 2, {
    signers: [{ ...first, accessCode: CODE }, second],
    ...extra,
  });
  const [coded, plain] = created.Signers.map((signer) => signingPath(signer.SigningUrl)) as [string, string];
  const codedId = created.Signers[0]!.SignerId;
  await documentClient.send(
    new UpdateCommand({
      TableName: config.tableName,
      Key: signRequestKey(created.SignRequestId),
      UpdateExpression: 'SET signers.#signer.failedProofs = :wrong, signers.#signer.failedProofsTotal = :wrong',
      ExpressionAttributeNames: { '#signer': codedId },
      ExpressionAttributeValues: { ':wrong': wrong },
    }),
  );
  return { created, coded, plain, codedId };
};

/** Two calls started a seeded few milliseconds apart, either first. */
const race = <A, B>(random: () => number, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> => {
  const delay = random() * 3;
  const aFirst = random() < 0.5;
  return Promise.all([
    (async () => {
      if (!aFirst) await sleep(delay);
      return a();
    })(),
    (async () => {
      if (aFirst) await sleep(delay);
      return b();
    })(),
  ]);
};

const stored = async (id: string): Promise<SignRequest> => {
  const request = await signRequests.get(id);
  if (!request) throw new Error('the request vanished');
  expectConsistent(request);
  return request;
};

describe('a signature racing the wrong proof that locks its signer', () => {
  it(`lands, or meets the lock, never both, in each of ${ROUNDS} rounds`, { timeout: ROUNDS * 4_000 }, async () => {
    const random = randomForThisTest('RACE_SEED');
    for (let round = 0; round < ROUNDS; round++) {
      const { created, coded, codedId } = await requestWithWrongProofs(4);
      const [signed, wrong] = await race(
        random,
        () => service.post(`${coded}/sign`, undefined, proof(CODE)),
        () => service.get(coded, proof('wrong-code-4')),
      );
      const request = await stored(created.SignRequestId);
      const signer = request.signers[codedId]!;
      if (signed.status === 200) {
        // The signature set the wrong proofs in a row back to 0 first: the fifth wrong one was a first, no lock.
        expect(signer.status).toBe('SIGNED');
        expect([wrong.status, wrong.FailRules[0]?.Code]).toEqual([401, 'SIGNER_PROOF_INVALID']);
        expect([signer.failedProofs, signer.failedProofsTotal, signer.lockedUntil]).toEqual([1, 5, undefined]);
      } else {
        expect([signed.status, signed.FailRules[0]?.Code]).toEqual([429, 'SIGNER_LOCKED']);
        expect([wrong.status, wrong.FailRules[0]?.Code]).toEqual([429, 'SIGNER_LOCKED']);
        expect(signer.status).toBe('PENDING');
        expect(signer.lockedUntil).toBeDefined();
        expect(request.history.map((entry) => entry.event)).not.toContain('SIGNED');
      }
      // Either way the fifth wrong proof was counted, once.
      const events = request.history.map((entry) => entry.event);
      expect(events.filter((event) => event === 'AUTH_FAILED')).toHaveLength(1);
    }
  });
});

describe('the last signature racing the wrong proof that makes the service recall the request', () => {
  it(
    `completes it or recalls it, never a signature after the recall nor a recall after completion, in each of ${ROUNDS} rounds`,
    { timeout: ROUNDS * 4_000 },
    async () => {
      const random = randomForThisTest('RACE_SEED');
      for (let round = 0; round < ROUNDS; round++) {
        const { created, coded, plain, codedId } = await requestWithWrongProofs(2, { recallAfterFailedProofs: 3 });
        expect((await service.post(`${plain}/sign`)).status).toBe(200);
        const [signed, wrong] = await race(
          random,
          () => service.post<{ Status: string }>(`${coded}/sign`, undefined, proof(CODE)),
          () => service.get(coded, proof('wrong-code-2')),
        );
        const request = await stored(created.SignRequestId);
        // The wrong proof is counted either way, and answered as wrong: its caller learns nothing of the state.
        expect([wrong.status, wrong.FailRules[0]?.Code]).toEqual([401, 'SIGNER_PROOF_INVALID']);
        expect(request.signers[codedId]?.failedProofsTotal).toBe(3);
        if (signed.status === 200) {
          expect(signed.Data.Status).toBe('COMPLETED');
          expectClosedOnceBy(request, 'signature', codedId);
        } else {
          expect([signed.status, signed.FailRules[0]?.Code]).toEqual([410, 'SIGN_REQUEST_CANCELLED']);
          expectClosedOnceBy(request, 'recall', codedId);
          expect(request.recall?.by).toBe('esign-recall (failed signer proofs)');
        }
      }
    },
  );
});
