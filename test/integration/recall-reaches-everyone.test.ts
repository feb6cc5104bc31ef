import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  notices,
  signRequests,
  unlimitedSendRate,
  mailLinks,
  mailCap,
  webhooks,
  documents,
} from '../support/dependencies.ts';
import { OutboxNotifier } from '../../functions/notifications/outbox-notifier.ts';
import { createMailerHandler } from '../../functions/handlers/mailer.ts';
import { readEnvironment } from '../../functions/runtime/environment.ts';
import { signingKeyFrom } from '../../functions/wiring/signing-keys.ts';
import { createWebhookDeliverer } from '../../functions/handlers/webhook-deliverer.ts';
import { deriveWebhookSecret } from '../../functions/webhooks/secret.ts';
import { verifySignature } from '../../functions/webhooks/signature.ts';
import { startEventPipeline } from '../support/event-pipeline.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

// The webhook key, as the deliverer loads it: each app's webhook secret derives from it.
const signingKey = await signingKeyFrom('webhook', readEnvironment());
const logger = new Logger({ serviceName: 'recall-reaches-everyone-test' });

let service: Service;
let receiver: WebhookReceiver | undefined;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** The whole local path: API write -> stream stand-in -> publisher -> bus -> webhook deliverer and mailer. */
const pipelineWith = (outbox: OutboxNotifier) =>
  startEventPipeline([
    {
      name: 'webhooks',
      matches: () => true,
      consumer: createWebhookDeliverer({ webhooks, signingKey, urlPolicy: { allowHttpLocalhost: true }, logger }),
      maxReceiveCount: 5,
      backoffBaseMs: 1,
    },
    {
      name: 'mail',
      matches: (event) => event.type === 'SignRequestRecalled',
      consumer: createMailerHandler({
        signRequests,
        notices,
        notifier: outbox,
        sendRate: unlimitedSendRate,
        logger,
        linkFor: mailLinks,
        mailCap,
        documents,
      }),
      maxReceiveCount: 3,
      backoffBaseMs: 1,
    },
  ]);

describe('a recall through the API', () => {
  it("reaches the app's webhook, signed, and every signer", async () => {
    receiver = await startWebhookReceiver();
    const outbox = new OutboxNotifier();
    const pipeline = pipelineWith(outbox);
    try {
      const app = await newApp();
      await webhooks.register(app.appId, receiver.baseUrl, new Date().toISOString());
      const created = await initiate(service, app.token, 3);
      expect((await service.post(`${signingPath(created.Signers[0]!.SigningUrl)}/sign`)).status).toBe(200);
      const recall = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
      expect(recall.Data).toBe(true);
      await pipeline.settle();

      // Deliveries run side by side, so they may arrive in any order (receivers order by occurredAt).
      const types = receiver.received.map((delivery) => delivery.headers['esign-event-type'] as string);
      expect(types.sort()).toEqual(['SignRequestCreated', 'SignRequestRecalled', 'SignerSigned']);
      const secret = deriveWebhookSecret(signingKey, app.appId);
      for (const delivery of receiver.received) {
        const header = delivery.headers['esign-signature'] as string;
        const nowSeconds = Math.floor(Date.now() / 1000);
        expect(verifySignature({ secret, header, rawBody: delivery.rawBody, nowSeconds })).toBe(true);
      }
      // Every signer: the one who had signed learns that their signature will not be used.
      expect(outbox.sent.map((notification) => notification.to.email)).toEqual([
        created.Signers[0]!.Email,
        created.Signers[1]!.Email,
        created.Signers[2]!.Email,
      ]);
      expect(pipeline.bus.deadLetters).toEqual([]);
    } finally {
      pipeline.stop();
    }
  });

  it('succeeds even when the webhook receiver always fails; the event ends as a dead letter', async () => {
    receiver = await startWebhookReceiver([500]);
    const outbox = new OutboxNotifier();
    const pipeline = pipelineWith(outbox);
    try {
      const app = await newApp();
      await webhooks.register(app.appId, receiver.baseUrl, new Date().toISOString());
      const created = await initiate(service, app.token, 1);
      const recall = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
      expect([recall.status, recall.Data]).toEqual([200, true]);
      await pipeline.settle();

      expect(
        pipeline.bus.deadLetters.map((letter) => [letter.subscription, letter.event.type, letter.attempts]).sort(),
      ).toEqual([
        ['webhooks', 'SignRequestCreated', 5],
        ['webhooks', 'SignRequestRecalled', 5],
      ]);
      expect(outbox.sent).toHaveLength(1);
    } finally {
      pipeline.stop();
    }
  });
});
