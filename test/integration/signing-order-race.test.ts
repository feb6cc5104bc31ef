import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import { expectConsistent } from '../support/invariants.ts';
import { startMailService, type MailService } from '../support/mail-service.ts';
import { randomForThisTest } from '../support/seeded-random.ts';
import { initiate, newApp, recallBody, signingPath, type Created } from '../support/service.ts';

// The signing order's races, concurrent, through the real server and store: the one conditional write of a
// signature decides the turn and the next group's invitation against a recall, another signature of the same
// group, and a later group's signer trying early. RACE_ROUNDS as in recall-race.test.ts; seeded staggers
// (RACE_SEED replays them).

let service: MailService;
let app: Awaited<ReturnType<typeof newApp>>;
beforeAll(async () => {
  service = await startMailService();
  app = await newApp('Order Races');
});
afterAll(() => service.close());

const ROUNDS = Number(process.env.RACE_ROUNDS ?? 60);

type Signer = Created['Signers'][number];
const inOrder = (groups: number[]) =>
  initiate(service, app.token, groups.length, {
    signers: groups.map((order, i) => ({ name: `Signer ${i + 1}`, email: `signer${i + 1}@example.com`, order })),
  });
const sign = (signer: Signer) =>
  service.post<{ Status: string }>(`${signingPath(signer.SigningUrl)}/sign`, { signedName: signer.Name });
const storedConsistent = async (id: string) => {
  const request = await signRequests.get(id);
  if (!request) throw new Error('the request vanished');
  expectConsistent(request);
  return request;
};
const eventsOf = (request: { history: { event: string }[] }) => request.history.map((entry) => entry.event);
/**
 * Runs the two acts at once, a seeded one of them first and the other after a seeded delay of up to `maxDelayMs`
 * (a signature through the server takes a few), so rounds cover both orders and near ties.
 */
const staggered = <T>(
  random: () => number,
  acts: [() => Promise<T>, () => Promise<T>],
  maxDelayMs = 12,
): Promise<[T, T]> => {
  const head = random() < 0.5 ? 0 : 1;
  const delay = random() * maxDelayMs;
  const run = (index: 0 | 1) => (index === head ? acts[index]() : sleep(delay).then(acts[index]));
  return Promise.all([run(0), run(1)]);
};

describe('the signing order under races', () => {
  it(`the last signature of group 1 against a recall: if the recall won, nobody of group 2 was invited (${ROUNDS} rounds)`, async () => {
    const random = randomForThisTest('RACE_SEED');
    for (let round = 0; round < ROUNDS; round++) {
      const created = await inOrder([1, 2]);
      const [first, second] = created.Signers as [Signer, Signer];
      const [signed, recalled] = await staggered<{ status: number; FailRules: { Code: string }[] }>(random, [
        () => sign(first),
        () => service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token)),
      ]);
      // The request was open either way until the recall: the recall always lands, once.
      expect(recalled.status).toBe(200);
      const request = await storedConsistent(created.SignRequestId);
      const events = eventsOf(request);
      const mail = await service.mail(created.SignRequestId);
      const toSecond = mail.filter((entry) => entry.To === second.Email).map((entry) => entry.Kind);
      if (signed.status === 200) {
        // The signature landed first: it invited group 2 in its own write, before the recall.
        expect(events.filter((event) => event === 'INVITED')).toHaveLength(1);
        expect(events.indexOf('INVITED')).toBeLessThan(events.indexOf('RECALLED'));
        // Reached, so told of the recall (its invitation may have gone stale before it was sent).
        expect(toSecond).toContain('RECALLED');
        expect(toSecond.filter((kind) => kind === 'INVITATION').length).toBeLessThanOrEqual(1);
      } else {
        expect(signed.FailRules[0]?.Code).toBe('SIGN_REQUEST_CANCELLED');
        expect(events).not.toContain('INVITED');
        expect(request.signers[second.SignerId]?.status).toBe('PENDING');
        // Never invited, never told anything.
        expect(toSecond).toEqual([]);
      }
    }
  });

  it(`two last signatures of a group at once invite the next group exactly once (${ROUNDS} rounds)`, async () => {
    const random = randomForThisTest('RACE_SEED');
    for (let round = 0; round < ROUNDS; round++) {
      const created = await inOrder([1, 1, 2, 2]);
      const [a, b, c, d] = created.Signers as [Signer, Signer, Signer, Signer];
      const answers = await staggered(random, [() => sign(a), () => sign(b)]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      const request = await storedConsistent(created.SignRequestId);
      const invited = request.history.filter((entry) => entry.event === 'INVITED');
      expect(invited.map((entry) => entry.signerIds)).toEqual([[c.SignerId, d.SignerId]]);
      expect(request).toMatchObject({ currentOrder: 2, currentGroupPending: 2, status: 'PARTIALLY_SIGNED' });
      // One invitation each to the next group, whatever the interleaving.
      const mail = await service.mail(created.SignRequestId);
      for (const next of [c, d])
        expect(mail.filter((entry) => entry.To === next.Email).map((entry) => entry.Kind)).toEqual(['INVITATION']);
    }
  });

  it(`a group-1 signature against a group-2 signer’s attempt: group 2 signs only once invited (${ROUNDS} rounds)`, async () => {
    const random = randomForThisTest('RACE_SEED');
    for (let round = 0; round < ROUNDS; round++) {
      const created = await inOrder([1, 2]);
      const [first, second] = created.Signers as [Signer, Signer];
      // Up to 40 ms apart: the early attempt comes sometimes after the first signature landed, sometimes before.
      const [signedFirst, signedSecond] = await staggered<{
        status: number;
        Data: { Status: string } | null;
        FailRules: { Code: string }[];
      }>(random, [() => sign(first), () => sign(second)], 40);
      expect(signedFirst.status).toBe(200);
      const request = await storedConsistent(created.SignRequestId);
      if (signedSecond.status === 200) {
        expect(signedSecond.Data?.Status).toBe('COMPLETED');
        expect(eventsOf(request)).toEqual(['CREATED', 'SIGNED', 'INVITED', 'SIGNED', 'COMPLETED']);
      } else {
        expect(signedSecond.status).toBe(409);
        expect(signedSecond.FailRules[0]?.Code).toBe('NOT_YOUR_TURN');
        expect(request.signers[second.SignerId]?.status).toBe('PENDING');
        expect(request.status).toBe('PARTIALLY_SIGNED');
      }
    }
  });
});
