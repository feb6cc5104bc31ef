import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailRule } from '../../functions/core/errors.ts';
import { signRequests } from '../support/dependencies.ts';
import { expectConsistent } from '../support/invariants.ts';
import { registerSecret } from '../support/log-guard.ts';
import { randomForThisTest } from '../support/seeded-random.ts';
import { initiate, newApp, signingPath, startService, type Service } from '../support/service.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Signer Edit Races');
});
afterAll(() => service.close());

/** As recall-race.test.ts: RACE_ROUNDS rounds (60 deep, fewer in npm test), staggered by a seeded delay. */
const ROUNDS = Number(process.env.RACE_ROUNDS ?? 60);

const edit = async <T>(method: 'PATCH' | 'DELETE', path: string, body?: unknown) => {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${app.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const envelope = (await response.json()) as { FailRules: FailRule[]; Data: T };
  return { status: response.status, ...envelope };
};

describe('a change of the signers racing a signature', () => {
  it(`signature of a signer vs a PATCH of the same signer: exactly one lands, in each of ${ROUNDS} rounds`, async () => {
    const random = randomForThisTest('RACE_SEED');
    for (let round = 0; round < ROUNDS; round++) {
      const created = await initiate(service, app.token, 2, { sendInvitations: false });
      const [first, last] = created.Signers.map((signer) => signingPath(signer.SigningUrl));
      const lastSignerId = created.Signers[1]!.SignerId;
      expect((await service.post(`${first}/sign`)).status).toBe(200);

      const staggered = <T>(act: () => Promise<T>) => sleep(random() * 3).then(act);
      const [signed, changed] = await Promise.all([
        staggered(() => service.post<{ Status: string }>(`${last}/sign`)),
        staggered(() =>
          edit<{ SignerId: string; SigningUrl: string }>(
            'PATCH',
            `/v1/sign-requests/${created.SignRequestId}/signers/${lastSignerId}`,
            { email: `changed-${round}@example.com` },
          ),
        ),
      ]);
      if (changed.status === 200) registerSecret(changed.Data.SigningUrl.split('.').at(-1) ?? '');

      const stored = (await signRequests.get(created.SignRequestId))!;
      expectConsistent(stored);
      expect([signed.status, changed.status].filter((status) => status === 200)).toHaveLength(1);
      const signedEntries = stored.history.filter(
        (entry) => entry.event === 'SIGNED' && entry.signerId === lastSignerId,
      );
      if (signed.status === 200) {
        expect(changed).toMatchObject({ status: 409, FailRules: [{ Code: 'SIGNER_ALREADY_ACTED' }] });
        expect(stored.status).toBe('COMPLETED');
        expect(stored.signers[lastSignerId]?.status).toBe('SIGNED');
        expect(stored.formerSigners?.[lastSignerId]).toBeUndefined();
        expect(signedEntries).toHaveLength(1);
      } else {
        expect(signed).toMatchObject({ status: 410, FailRules: [{ Code: 'SIGNING_LINK_REPLACED' }] });
        expect(stored.status).toBe('PARTIALLY_SIGNED');
        expect(stored.signers[lastSignerId]).toBeUndefined();
        expect(stored.formerSigners?.[lastSignerId]?.replacedBy).toBe(changed.Data.SignerId);
        expect(stored.signers[changed.Data.SignerId]?.status).toBe('PENDING');
        expect(signedEntries).toHaveLength(0);
      }
    }
  });

  it(`a PATCH moving a group's last pending signer to the next group vs their signature: the next group invited once, in each of ${ROUNDS} rounds`, async () => {
    const random = randomForThisTest('RACE_SEED');
    for (let round = 0; round < ROUNDS; round++) {
      const created = await initiate(service, app.token, 3, {
        sendInvitations: false,
        signers: [1, 1, 2].map((order, i) => ({ name: `S${i + 1}`, email: `s${i + 1}-${round}@example.com`, order })),
      });
      const [first, second] = created.Signers.map((signer) => signingPath(signer.SigningUrl));
      const [, secondId, thirdId] = created.Signers.map((signer) => signer.SignerId);
      expect((await service.post(`${first}/sign`)).status).toBe(200);

      const staggered = <T>(act: () => Promise<T>) => sleep(random() * 3).then(act);
      const [signed, moved] = await Promise.all([
        staggered(() => service.post<{ Status: string }>(`${second}/sign`)),
        staggered(() =>
          edit<{ SignerId: string; SigningUrl: string }>(
            'PATCH',
            `/v1/sign-requests/${created.SignRequestId}/signers/${secondId}`,
            { order: 2 },
          ),
        ),
      ]);
      if (moved.status === 200) registerSecret(moved.Data.SigningUrl.split('.').at(-1) ?? '');

      const stored = (await signRequests.get(created.SignRequestId))!;
      expectConsistent(stored);
      expect([signed.status, moved.status].filter((status) => status === 200)).toHaveLength(1);
      // Either way group 1 has nobody pending, and group 2 is the current one, invited by exactly one entry.
      expect(stored.currentOrder).toBe(2);
      const invited = stored.history.filter((entry) => entry.event === 'INVITED');
      expect(invited).toHaveLength(1);
      expect(invited[0]?.signerIds).toContain(thirdId);
      if (signed.status === 200) {
        expect(moved).toMatchObject({ status: 409, FailRules: [{ Code: 'SIGNER_ALREADY_ACTED' }] });
        expect(stored.currentGroupPending).toBe(1);
      } else {
        expect(signed).toMatchObject({ status: 410, FailRules: [{ Code: 'SIGNING_LINK_REPLACED' }] });
        // The moved signer and the third are both group 2's; the moved one is invited by their own change.
        expect(stored.currentGroupPending).toBe(2);
        expect(stored.signers[moved.Data.SignerId]?.signingOrder).toBe(2);
      }
    }
  });

  it(`DELETE of a signer vs the last other signature: completed exactly once, in each of ${ROUNDS} rounds`, async () => {
    const random = randomForThisTest('RACE_SEED');
    for (let round = 0; round < ROUNDS; round++) {
      const created = await initiate(service, app.token, 3, { sendInvitations: false });
      const [first, second] = created.Signers.map((signer) => signingPath(signer.SigningUrl));
      const removedId = created.Signers[2]!.SignerId;
      expect((await service.post(`${first}/sign`)).status).toBe(200);

      const staggered = <T>(act: () => Promise<T>) => sleep(random() * 3).then(act);
      const [signed, removed] = await Promise.all([
        staggered(() => service.post<{ Status: string }>(`${second}/sign`)),
        staggered(() =>
          edit<{ Status: string }>('DELETE', `/v1/sign-requests/${created.SignRequestId}/signers/${removedId}`),
        ),
      ]);

      // Neither refuses the other: whichever lands second completes the request, in its own write.
      expect([signed.status, removed.status]).toEqual([200, 200]);
      expect([signed.Data.Status, removed.Data.Status].filter((status) => status === 'COMPLETED')).toHaveLength(1);
      const stored = (await signRequests.get(created.SignRequestId))!;
      expectConsistent(stored);
      expect(stored.status).toBe('COMPLETED');
      expect(stored.history.filter((entry) => entry.event === 'COMPLETED')).toHaveLength(1);
      expect(stored.history.at(-1)?.event).toBe('COMPLETED');
      expect(stored.signerCount).toBe(2);
      expect(stored.signers[removedId]).toBeUndefined();
    }
  });
});
