import type { Context } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { config, documentClient, httpDependencies, signRequests } from '../support/dependencies.ts';
import { AppRateLimiter } from '../../functions/core/app-rate-limiter.ts';
import { createRecallHandler } from '../../functions/handlers/recall.ts';
import { AppRateStore } from '../../functions/store/app-rates.ts';
import { handler as initiateHandler } from '../../functions/handlers/initiate.ts';
import { handler as recallHandler } from '../../functions/handlers/recall.ts';
import { RetryableInvocationError } from '../../functions/http/direct-invocation.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { sqsRecord } from '../../infra/local/sqs-record.ts';
import { injectStoreFault } from '../support/store-faults.ts';
import { freshRequest } from '../support/requests.ts';
import { newApp, recallBody, signersNamed } from '../support/service.ts';

let app: Awaited<ReturnType<typeof newApp>>;
let heal: () => void = () => undefined;
const context = (): Context => localLambdaContext('direct');

beforeAll(async () => {
  app = await newApp('Direct');
});
afterEach(() => heal());

/** Opens a request by invoking initiate the way Step Functions would: the body itself. */
const openRequest = async () => {
  const answer = await initiateHandler(
    { appToken: app.token, documentName: 'Direct.pdf', signers: signersNamed(2) },
    context(),
  );
  const data = (answer as { Data: { SignRequestId: string; Signers: { SigningUrl: string }[] } }).Data;
  return data;
};

const eventBridge = (id: string, detail: unknown) => ({
  version: '0',
  id,
  'detail-type': 'RecallRequested',
  source: 'acme.crm',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'us-east-1',
  resources: [],
  detail,
});

describe('direct invocation (EventBridge, Step Functions, SQS)', () => {
  it('answers the KAiZEN body itself with the envelope, no HTTP wrapping; initiate returns links as paths', async () => {
    const created = await openRequest();
    expect(created.Signers[0]?.SigningUrl).toMatch(/^\/v1\/signing\/[0-9A-Z]{26}\.[0-9A-Z]{26}\.[\w-]{43}$/);
    expect(await recallHandler(recallBody(created.SignRequestId, app.token), context())).toEqual({
      FailRules: [],
      Data: true,
    });
    expect(await recallHandler(recallBody(created.SignRequestId, app.token), context())).toEqual({
      FailRules: [{ Code: 'SIGN_REQUEST_ALREADY_CANCELLED', Message: 'This request is already cancelled' }],
      Data: null,
    });
  });

  it("takes an EventBridge event's detail as the body and its id as the Idempotency-Key", async () => {
    const created = await openRequest();
    const event = eventBridge('evt-1', recallBody(created.SignRequestId, app.token));
    expect(await recallHandler(event, context())).toEqual({ FailRules: [], Data: true });
    // EventBridge delivers at least once: the same event again gets the same answer, not a refusal.
    expect(await recallHandler(event, context())).toEqual({ FailRules: [], Data: true });
  });

  it('answers an SQS batch with the failures to redrive, and only real failures', async () => {
    const [first, second] = [await openRequest(), await openRequest()];
    const answer = await recallHandler(
      {
        Records: [
          sqsRecord('m1', JSON.stringify(recallBody(first.SignRequestId, app.token))),
          sqsRecord('m2', JSON.stringify(recallBody(second.SignRequestId, 'wrong-token'))),
          sqsRecord('m3', '{not json'),
        ],
      },
      context(),
    );
    // The refusals (bad token, bad JSON) will never succeed, so nothing is redriven.
    expect(answer).toEqual({ batchItemFailures: [] });
    expect((await signRequests.get(first.SignRequestId))?.status).toBe('CANCELLED');
    expect((await signRequests.get(second.SignRequestId))?.status).toBe('PENDING');

    heal = injectStoreFault(documentClient, 'outage', { operations: ['UpdateItem', 'PutItem'] }).heal;
    const duringOutage = await recallHandler(
      { Records: [sqsRecord('m4', JSON.stringify(recallBody(second.SignRequestId, app.token)))] },
      context(),
    );
    expect(duringOutage).toEqual({ batchItemFailures: [{ itemIdentifier: 'm4' }] });
  });

  it('counts against the app’s rate, and redrives what the rate refused rather than dropping it', async () => {
    // This function on a rate of one call per 100 s, so the batch's second and third find the bucket empty.
    const limited = createRecallHandler({
      ...httpDependencies,
      rateLimiter: new AppRateLimiter(new AppRateStore(documentClient, config.tableName), {
        defaults: { ratePerSecond: 0.01, burst: 1 },
        leaseMs: 1_000,
      }),
    });
    // An app of its own, its requests stored directly: no other limiter has leased from its bucket.
    const own = await newApp('Direct Rate');
    const requests = [0, 1, 2].map(() => freshRequest(1, { appId: own.appId }).request);
    for (const request of requests) expect((await signRequests.create(request)).ok).toBe(true);
    const answer = await limited(
      { Records: requests.map((request, n) => sqsRecord(`r${n}`, JSON.stringify(recallBody(request.id, own.token)))) },
      context(),
    );
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'r1' }, { itemIdentifier: 'r2' }] });
    expect((await signRequests.get(requests[0]!.id))?.status).toBe('CANCELLED');
    expect((await signRequests.get(requests[1]!.id))?.status).toBe('PENDING');
    // Invoked with the body itself, the refusal is thrown, so the invoker's retry policy applies.
    const attempt = limited(recallBody(requests[2]!.id, own.token), context());
    await expect(attempt).rejects.toBeInstanceOf(RetryableInvocationError);
    await expect(attempt).rejects.toMatchObject({ envelope: { FailRules: [{ Code: 'RATE_LIMITED' }] } });
  });

  it('throws on a store outage so the invoker retries, carrying the envelope', async () => {
    const created = await openRequest();
    heal = injectStoreFault(documentClient, 'throttle', { operations: ['UpdateItem'] }).heal;
    const attempt = recallHandler(recallBody(created.SignRequestId, app.token), context());
    await expect(attempt).rejects.toBeInstanceOf(RetryableInvocationError);
    await expect(attempt).rejects.toMatchObject({ envelope: { FailRules: [{ Code: 'SERVICE_UNAVAILABLE' }] } });
  });

  it.each([
    ['an array', [recallBody('x', 'y')]],
    ['a string', 'recall please'],
    ['an S3 notification', { Records: [{ eventSource: 'aws:s3', s3: {} }] }],
    ['nothing', null],
  ])('answers %s with UNSUPPORTED_EVENT', async (_, event) => {
    expect(await recallHandler(event, context())).toMatchObject({
      FailRules: [{ Code: 'UNSUPPORTED_EVENT' }],
      Data: null,
    });
  });
});
