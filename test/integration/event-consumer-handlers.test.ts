import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { asDeliveredEvent } from '../../functions/events/event-bridge.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { sqsRecord } from '../../infra/local/sqs-record.ts';
import { storedEventOf } from '../support/domain-events.ts';
import { initiate, newApp, signingPath, startService } from '../support/service.ts';

// What CDK sets on the mailer; read once, at the handler's cold start.
vi.hoisted(() => {
  process.env.NOTIFY_FROM_ADDRESS = 'no-reply@example.com';
  process.env.SIGNING_BASE_URL = 'https://api.example.com';
});

const { handler: webhookDeliverer } = await import('../../functions/handlers/webhook-deliverer.ts');
const { handler: mailer } = await import('../../functions/handlers/mailer.ts');

const batchOf = (body: string): SQSEvent => ({ Records: [sqsRecord('m0', body)] });

describe('the Lambda entry points', () => {
  it('start with the configuration AWS gives them and consume an SQS batch of EventBridge events', async () => {
    const service = await startService();
    try {
      const app = await newApp();
      const created = await initiate(service, app.token, 2);
      expect((await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`)).status).toBe(200);
      const body = JSON.stringify(asDeliveredEvent(await storedEventOf(created.SignRequestId, 'SignerSigned')));
      // No webhook registered, and an event that makes no mail: both are done with the message, nothing is sent.
      expect(await webhookDeliverer(batchOf(body), localLambdaContext('webhook-deliverer'))).toEqual({
        batchItemFailures: [],
      });
      expect(await mailer(batchOf(body), localLambdaContext('mailer'))).toEqual({
        batchItemFailures: [],
      });
      expect(await webhookDeliverer(batchOf('{}'), localLambdaContext('webhook-deliverer'))).toEqual({
        batchItemFailures: [{ itemIdentifier: 'm0' }],
      });
    } finally {
      await service.close();
    }
  });
});
