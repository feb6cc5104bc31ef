import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { config, documentClient, signRequests } from '../support/dependencies.ts';
import { expectConsistent } from '../support/invariants.ts';
import { randomForThisTest } from '../support/seeded-random.ts';
import {
  initiate,
  newApp,
  recallBody,
  signingPath,
  startService,
  type Created,
  type Service,
} from '../support/service.ts';

let service: Service;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());

/** Every sign request in this file's table, read back as the domain sees it. */
const allRequests = async (): Promise<SignRequest[]> => {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({
        TableName: config.tableName,
        FilterExpression: 'begins_with(pk, :sr)',
        ExpressionAttributeValues: { ':sr': 'SR#' },
        ProjectionExpression: 'pk',
        ExclusiveStartKey: start,
      }),
    );
    ids.push(...(page.Items ?? []).map((item) => String(item.pk).slice(3)));
    start = page.LastEvaluatedKey;
  } while (start);
  const requests = await Promise.all(ids.map((id) => signRequests.get(id)));
  return requests.filter((request): request is SignRequest => request !== undefined);
};

/** SCALE_REQUESTS_PER_APP: 25 in the deep run, fewer in `npm test` (vitest.config.ts). */
const PER_APP = Number(process.env.SCALE_REQUESTS_PER_APP ?? 25);

describe('races at scale', () => {
  it('keeps every request consistent under a storm of concurrent signatures, recalls and initiates', async () => {
    // Which requests are recalled or declined, and the order of every action, are seeded (RACE_SEED replays them).
    const random = randomForThisTest('RACE_SEED');
    const apps = await Promise.all(['North', 'South', 'East'].map((name) => newApp(name)));
    // Requests are created concurrently too, so numbering is raced as well.
    const created: { app: (typeof apps)[number]; request: Created }[] = (
      await Promise.all(
        apps.flatMap((app) =>
          Array.from({ length: PER_APP }, async (_, i) => ({
            app,
            request: await initiate(service, app.token, 1 + (i % 4)),
          })),
        ),
      )
    ).flat();

    // A signer of some requests declines (in another tab, besides signing), racing the others and the recall.
    const actions = created.flatMap(({ app, request }) => [
      ...request.Signers.map((signer) => () => service.post(`${signingPath(signer.SigningUrl)}/sign`)),
      ...(random() < 0.6
        ? [() => service.post('/v1/sign-requests/recall', recallBody(request.SignRequestId, app.token))]
        : []),
      ...(random() < 0.4
        ? [() => service.post(`${signingPath(request.Signers.at(-1)!.SigningUrl)}/decline`, { reason: 'No' })]
        : []),
    ]);
    // Shuffle so that signatures and recalls of the same request interleave in every order.
    for (let i = actions.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [actions[i], actions[j]] = [actions[j]!, actions[i]!];
    }
    const answers = await Promise.all(actions.map((act) => act()));
    for (const answer of answers) expect([200, 409, 410]).toContain(answer.status);

    const stored = await allRequests();
    expect(stored).toHaveLength(created.length);
    for (const request of stored) expectConsistent(request);
    for (const app of apps) {
      const numbers = stored.filter((request) => request.appId === app.appId).map((request) => request.requestNo);
      expect(new Set(numbers).size).toBe(numbers.length);
      expect(numbers.map((n) => Number(n.split('-')[1])).sort((x, y) => x - y)).toEqual(
        Array.from({ length: PER_APP }, (_, i) => i + 1),
      );
    }
    // Every accepted signature is on record, and every refused one is not.
    const accepted = answers
      .filter((answer) => answer.status === 200 && typeof answer.Data === 'object' && answer.Data !== null)
      .map((answer) => answer.Data as { SignerStatus?: string; Status?: string });
    const signatures = accepted.filter((data) => data.SignerStatus === 'SIGNED').length;
    expect(stored.reduce((sum, request) => sum + request.signedCount, 0)).toBe(signatures);
    // Every accepted decline closed its request, and no request was declined without one.
    expect(stored.filter((request) => request.status === 'DECLINED')).toHaveLength(
      accepted.filter((data) => data.Status === 'DECLINED').length,
    );
  });
});
