import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { config, documentClient, signRequests } from '../support/dependencies.ts';
import { injectStoreFault, type FaultKind } from '../support/store-faults.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;
let heal: () => void = () => undefined;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Faults');
});
afterEach(() => heal());
afterAll(() => service.close());

const inject = (kind: FaultKind, options?: Parameters<typeof injectStoreFault>[2]) => {
  const fault = injectStoreFault(documentClient, kind, options);
  heal = fault.heal;
  return fault;
};

const requestCount = async () => {
  const { Items } = await documentClient.send(
    new ScanCommand({
      TableName: config.tableName,
      FilterExpression: 'begins_with(pk, :sr)',
      ExpressionAttributeValues: { ':sr': 'SR#' },
    }),
  );
  return Items?.length ?? 0;
};

const expectUnavailable = (answer: { status: number; headers: Headers; FailRules: unknown; Data: unknown }) => {
  expect(answer.status).toBe(503);
  expect(answer.headers.get('retry-after')).toBe('1');
  expect(answer.FailRules).toEqual([
    { Code: 'SERVICE_UNAVAILABLE', Message: expect.stringMatching(/retry/i) as string },
  ]);
  expect(answer.Data).toBeNull();
};

describe.each(['throttle', 'outage', 'timeout'] as const)('a store that answers %s', (kind) => {
  it('makes every endpoint answer 503 SERVICE_UNAVAILABLE after the SDK has retried, and a bounded number of times', async () => {
    const created = await initiate(service, app.token, 2);
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const before = await signRequests.get(created.SignRequestId);

    const fault = inject(kind);
    const answers = [
      await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token)),
      await service.post('/v1/sign-requests', {
        appToken: app.token,
        documentName: 'X',
        signers: [{ name: 'A', email: 'a@example.com' }],
      }),
      await service.get(`/v1/sign-requests/${created.SignRequestId}`, { authorization: `Bearer ${app.token}` }),
      await service.get(link),
      await service.post(`${link}/sign`),
    ];
    fault.heal();

    for (const answer of answers) expectUnavailable(answer);
    // Three attempts (the SDK's maxAttempts) for the one call each endpoint reached before giving up; the recall's
    // call is its write, which after a 500 or a timeout may have landed, so the workflow reads the request back
    // (three attempts more). A throttled write certainly did not land: no read-back.
    const readBacks = kind === 'throttle' ? 0 : 1;
    expect(fault.attempts).toHaveLength((answers.length + readBacks) * 3);
    const recallCalls = ['UpdateItem', 'UpdateItem', 'UpdateItem', ...Array<string>(readBacks * 3).fill('GetItem')];
    expect(fault.attempts.slice(0, recallCalls.length)).toEqual(recallCalls);
    expect(await signRequests.get(created.SignRequestId)).toEqual(before);
  });
});

describe('the signer’s page on a store that fails after its form was refused', () => {
  it('answers 503, not a link that is not valid, when the page cannot read its request', async () => {
    const created = await initiate(service, app.token, 1);
    const link = signingPath(created.Signers[0]!.SigningUrl);
    inject('throttle');
    // A form without the name is refused before any store call; the page then reads the request to show it.
    const answer = await fetch(`${service.baseUrl}${link}/sign`, {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    heal();
    expect(answer.status).toBe(503);
    expect(await answer.text()).not.toMatch(/not valid/i);
  });
});

describe('a store that fails part-way through an operation', () => {
  it('answers 503, not 500, when the idempotency record cannot be written, and recalls nothing', async () => {
    const created = await initiate(service, app.token, 2);
    inject('outage', { operations: ['PutItem'] });
    const answer = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token), {
      'idempotency-key': 'fault-1',
    });
    heal();
    expectUnavailable(answer);
    expect((await signRequests.get(created.SignRequestId))?.status).toBe('PENDING');
  });

  it('leaves no request behind when the create fails after the number was taken', async () => {
    const before = await requestCount();
    inject('outage', { operations: ['PutItem'] });
    const answer = await service.post('/v1/sign-requests', {
      appToken: app.token,
      documentName: 'Y',
      signers: [{ name: 'A', email: 'a@example.com' }],
    });
    heal();
    expectUnavailable(answer);
    expect(await requestCount()).toBe(before);
  });

  it('leaves the request as it was when a signature cannot be written', async () => {
    const created = await initiate(service, app.token, 2);
    const before = await signRequests.get(created.SignRequestId);
    inject('throttle', { operations: ['UpdateItem'] });
    expectUnavailable(await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`));
    heal();
    expect(await signRequests.get(created.SignRequestId)).toEqual(before);
    // Once the store recovers, the same signature goes through.
    expect((await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`)).status).toBe(200);
  });
});
