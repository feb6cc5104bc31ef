import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { sha256Hex } from '../../functions/core/signing-token.ts';
import { signRequests } from '../support/dependencies.ts';
import { delay, type Fault } from '../support/fault-proxy.ts';
import { expectConsistent } from '../support/invariants.ts';
import { proxiedFunctions } from '../support/proxied-functions.ts';
import {
  newApp,
  recallBody,
  signersNamed,
  signingPath,
  startService,
  type Answer,
  type Created,
  type Service,
} from '../support/service.ts';
import { storedRequestsOf } from '../support/stored-requests.ts';

/**
 * Seeded faults on a share of the store's writes (UpdateItem, PutItem) while recalls race last signatures and
 * initiates are retried by their callers with the same Idempotency-Key. Afterwards every caller's answer must
 * match what is stored, no key may have made two requests, and no answer may be a 5xx other than 503.
 * CHAOS_ROUNDS sets how many rounds run (vitest.config.ts: quick for npm test, more for test:deep).
 */
const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? '24');
const PARALLEL_ROUNDS = 4;
const SEED = Number(process.env.CHAOS_SEED ?? '20261128');
const FAULTS: readonly Fault[] = ['forward-then-reset', 'answer-500', delay(20)];
const FAULT_NAMES = ['forward-then-reset', 'answer-500', 'delay'] as const;
const WRITES = ['UpdateItem', 'PutItem'] as const;

const { proxy, functions: proxied, close: closeProxied } = await proxiedFunctions();

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService(proxied);
  app = await newApp('Chaos');
});
afterAll(async () => {
  await service.close();
  await closeProxied();
});

type Kind = 'initiate' | 'recall' | 'sign' | 'decline';
interface Observed {
  kind: Kind;
  round: number;
  answer: Answer;
  /** The Idempotency-Key of a call that carried one. */
  key?: string;
  signerId?: string;
}

/** A caller that retries with the same key while the answer says to retry (503, or the key still in progress). */
const RETRIES = 4;
const isRetryable = (answer: Answer) =>
  answer.status === 503 || answer.FailRules[0]?.Code === 'IDEMPOTENCY_KEY_IN_PROGRESS';
const retriedWithKey = async (send: () => Promise<Answer>): Promise<Answer[]> => {
  const answers: Answer[] = [];
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    const answer = await send();
    answers.push(answer);
    if (!isRetryable(answer)) break;
    await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
  }
  return answers;
};

const documentOf = (round: number) => `Chaos-${SEED}-${round}.pdf`;

/**
 * One round: an initiate retried with its key; the first signer signs; the recall meets the last signature (or,
 * every third round, the last signer's decline).
 */
const playRound = async (round: number, observed: Observed[]) => {
  const initiateKey = `chaos-initiate-${SEED}-${round}`;
  const initiates = await retriedWithKey(() =>
    service.post<Created>(
      '/v1/sign-requests',
      { appToken: app.token, documentName: documentOf(round), signers: signersNamed(2) },
      { 'idempotency-key': initiateKey },
    ),
  );
  for (const answer of initiates) observed.push({ kind: 'initiate', round, answer, key: initiateKey });
  const created = initiates.find((answer) => answer.status === 201)?.Data as Created | undefined;
  if (!created) return;
  const [first, last] = created.Signers;
  observed.push({
    kind: 'sign',
    round,
    answer: await service.post(`${signingPath(first!.SigningUrl)}/sign`),
    signerId: first!.SignerId,
  });
  const recallKey = `chaos-recall-${SEED}-${round}`;
  const recall = () =>
    retriedWithKey(() =>
      service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token), {
        'idempotency-key': recallKey,
      }),
    );
  // Every third round the last signer declines instead of signing: a decline races the recall the same way.
  const declines = round % 3 === 2;
  const signLast = () =>
    declines
      ? service.post(`${signingPath(last!.SigningUrl)}/decline`, { reason: `Chaos ${round}` })
      : service.post(`${signingPath(last!.SigningUrl)}/sign`);
  // Even rounds race the two; odd rounds recall first, so every run also sees recalls that win (a race alone
  // may let the signature win every time on a busy machine) and signatures refused after a recall.
  const [recalls, lastSignature] =
    round % 2 === 0
      ? await Promise.all([recall(), signLast()])
      : declines
        ? // Odd decline rounds decline first, so every run sees declines that win and recalls refused after them.
          await signLast().then(async (declined) => [await recall(), declined] as const)
        : [await recall(), await signLast()];
  for (const answer of recalls) observed.push({ kind: 'recall', round, answer, key: recallKey });
  observed.push({ kind: declines ? 'decline' : 'sign', round, answer: lastSignature, signerId: last!.SignerId });
};

const requestsByDocument = async () => {
  const byDocument = new Map<string, string[]>();
  for (const request of await storedRequestsOf(app.appId)) {
    byDocument.set(request.documentName, [...(byDocument.get(request.documentName) ?? []), request.id]);
  }
  return byDocument;
};

describe('chaos: seeded lost answers, 500s and late answers on the store’s writes', () => {
  it('every answer matches what is stored, no key makes two requests, no 5xx but 503', async () => {
    onTestFailed(() => {
      console.error(`CHAOS_SEED=${SEED} CHAOS_ROUNDS=${ROUNDS} replays this run's faults (timing aside).`);
    });
    const observed: Observed[] = [];
    proxy.chaos({ seed: SEED, rate: 0.35, faults: FAULTS, operations: WRITES });
    for (let round = 0; round < ROUNDS; round += PARALLEL_ROUNDS) {
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL_ROUNDS, ROUNDS - round) }, (_, i) => playRound(round + i, observed)),
      );
    }
    await proxy.settled();
    const log = proxy.log();
    proxy.reset();

    // Every fault hit every write kind, or the run proved less than it claims.
    for (const operation of WRITES) {
      for (const fault of FAULT_NAMES) {
        expect(
          log.filter((entry) => entry.operation === operation && entry.fault === fault).length,
          `${fault} on ${operation}`,
        ).toBeGreaterThan(0);
      }
    }
    // Some writes landed and lost their answer: the case the service has to recognise.
    expect(log.some((entry) => entry.fault === 'forward-then-reset' && entry.storeStatus === 200)).toBe(true);

    for (const { answer } of observed) {
      expect(answer.status === 503 || answer.status < 500, `status ${answer.status}`).toBe(true);
    }

    const stored = await requestsByDocument();
    for (let round = 0; round < ROUNDS; round++) {
      const ids = stored.get(documentOf(round)) ?? [];
      const initiates = observed.filter((o) => o.kind === 'initiate' && o.round === round);
      const createdIds = new Set(
        initiates.filter((o) => o.answer.status === 201).map((o) => (o.answer.Data as Created).SignRequestId),
      );
      // One key, at most one request; and every 201 names that one request.
      expect(ids.length).toBeLessThanOrEqual(1);
      expect(createdIds.size).toBeLessThanOrEqual(1);
      if (createdIds.size === 1) expect(ids).toEqual([...createdIds]);
      if (ids.length === 0) continue;

      const request = (await signRequests.get(ids[0]!))!;
      expectConsistent(request);
      for (const o of observed.filter((entry) => entry.round === round)) {
        if (o.kind === 'recall') {
          const own = request.recall?.callId === sha256Hex(`${app.appId}\n${o.key}`);
          if (o.answer.status === 200) {
            expect(o.answer.Data).toBe(true);
            expect(request.status).toBe('CANCELLED');
            expect(own).toBe(true);
          }
          if (o.answer.status === 409 && o.answer.FailRules[0]?.Code !== 'IDEMPOTENCY_KEY_IN_PROGRESS') {
            expect(own, JSON.stringify(o.answer.FailRules)).toBe(false);
          }
        }
        if (o.kind === 'sign') {
          const signer = request.signers[o.signerId!]!;
          if (o.answer.status === 200) {
            expect(signer.status).toBe('SIGNED');
            const status = (o.answer.Data as { Status: string }).Status;
            if (status === 'COMPLETED') expect(request.status).toBe('COMPLETED');
          }
          if (o.answer.status === 409 || o.answer.status === 410) {
            // Only this caller signs as this signer, so a refusal means its signature is not stored.
            expect(signer.status, JSON.stringify(o.answer.FailRules)).toBe('PENDING');
          }
        }
        if (o.kind === 'decline') {
          // Only this caller declines, so its answer says whether the request is declined (a 503 may have landed).
          if (o.answer.status !== 503) {
            expect(request.status === 'DECLINED', JSON.stringify(o.answer)).toBe(o.answer.status === 200);
          }
          if (o.answer.status === 200) expect(request.decline?.signerId).toBe(o.signerId);
        }
      }
    }
    // The run reached the interesting cases, not only refusals.
    expect(observed.some((o) => o.kind === 'recall' && o.answer.status === 200)).toBe(true);
    expect(observed.some((o) => o.kind === 'sign' && o.answer.status === 200)).toBe(true);
    expect(observed.some((o) => o.kind === 'decline' && o.answer.status === 200)).toBe(true);
    // Rounds, retries and the SDK's backoff take what the machine gives them: the timeout only catches a hang.
  }, 600_000);
});
