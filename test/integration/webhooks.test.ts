import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DomainEvent } from '../../functions/core/events.ts';
import { config, documentClient, webhooks } from '../support/dependencies.ts';
import { readEnvironment } from '../../functions/runtime/environment.ts';
import { signingKeyFrom } from '../../functions/wiring/signing-keys.ts';
import { createWebhookDeliverer } from '../../functions/handlers/webhook-deliverer.ts';
import { webhookKey } from '../../functions/store/keys.ts';
import { deriveWebhookSecret } from '../../functions/webhooks/secret.ts';
import { verifySignature } from '../../functions/webhooks/signature.ts';
import { asDeliveredEvent } from '../../functions/events/event-bridge.ts';
import { LocalEventBus, LocalQueueVisibility } from '../../infra/local/event-bus.ts';
import { DEADLINE_MARGIN_MS } from '../../functions/consumers/domain-event-queue.ts';
import {
  WEBHOOK_MAX_RECEIVE_COUNT,
  WEBHOOK_RETRY_SCHEDULE_SECONDS,
  webhookRetryDelaySeconds,
} from '../../functions/webhooks/deliverer.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { sqsRecord } from '../../infra/local/sqs-record.ts';
import { storedEventOf, storedEventsOf } from '../support/domain-events.ts';
import { captureWrites } from '../support/log-guard.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';
import { runAdmin } from '../support/admin-command.ts';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../support/webhook-receiver.ts';

// The webhook key, as the deliverer loads it: each app's webhook secret derives from it.
const signingKey = await signingKeyFrom('webhook', readEnvironment());
const nowSeconds = () => Math.floor(Date.now() / 1000);

let service: Service;
const receivers: WebhookReceiver[] = [];
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

const receiver = async (script?: number[]) => {
  const started = await startWebhookReceiver(script);
  receivers.push(started);
  return started;
};

/**
 * How long a POST to a local receiver may take. The tests count deliveries exactly, and a POST cut off is a
 * failed try that is tried again: so ample for a loopback answer on a busy machine, where it takes milliseconds.
 */
const ANSWER_TIMEOUT_MS = 3_000;
/**
 * For a receiver that never answers: the POST is cut off after this long. Long enough for the receiver to have
 * read the request (it records it then) before the POST is abandoned, so the tries can be counted.
 */
const HANGING_RECEIVER_TIMEOUT_MS = 1_000;

/** The local stand-in for rule -> queue -> deliverer, retrying fast: behaviour, not timing, is under test. */
const busWithDeliverer = ({
  maxReceiveCount = 5,
  logger = new Logger({ serviceName: 'webhooks-test' }),
  timeoutMs = ANSWER_TIMEOUT_MS,
}: { maxReceiveCount?: number; logger?: Logger; timeoutMs?: number } = {}) =>
  new LocalEventBus([
    {
      name: 'webhooks',
      matches: () => true,
      consumer: createWebhookDeliverer({
        webhooks,
        signingKey,
        urlPolicy: { allowHttpLocalhost: true },
        logger,
        timeoutMs,
      }),
      maxReceiveCount,
      backoffBaseMs: 1,
    },
  ]);

/** An app with a webhook on `url`, and one request it initiated and recalled. */
const appWithRecalledRequest = async (url: string | undefined) => {
  const app = await newApp();
  if (url) await webhooks.register(app.appId, url, new Date().toISOString());
  const created = await initiate(service, app.token, 2);
  const recall = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
  expect(recall.Data).toBe(true);
  return { app, signRequestId: created.SignRequestId, secret: deriveWebhookSecret(signingKey, app.appId) };
};

const verifies = (delivery: ReceivedWebhook, secret: string, rawBody = delivery.rawBody) =>
  verifySignature({
    secret,
    header: delivery.headers['esign-signature'] as string | undefined,
    rawBody,
    nowSeconds: nowSeconds(),
  });

describe('a webhook delivery', () => {
  it('POSTs the event as JSON with a signature that verifies, and one that a tampered body or signature fails', async () => {
    const target = await receiver([204]);
    const { signRequestId, secret } = await appWithRecalledRequest(`${target.baseUrl}/hooks`);
    const recalled = await storedEventOf(signRequestId, 'SignRequestRecalled');
    const bus = busWithDeliverer();
    await bus.publish([recalled]);
    await bus.idle();

    expect(target.received).toHaveLength(1);
    const [delivery] = target.received as [ReceivedWebhook];
    expect(delivery.path).toBe('/hooks');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['esign-event-id']).toBe(recalled.eventId);
    expect(delivery.headers['esign-event-type']).toBe('SignRequestRecalled');
    expect(DomainEvent.parse(JSON.parse(delivery.rawBody))).toEqual(recalled);
    expect(verifies(delivery, secret)).toBe(true);

    expect(verifies(delivery, secret, delivery.rawBody.replace('Mohit Bansal', 'Someone Else'))).toBe(false);
    const header = delivery.headers['esign-signature'] as string;
    const flipped = header.replace(/v1=(.)/, (_match, first: string) => `v1=${first === 'a' ? 'b' : 'a'}`);
    expect(verifySignature({ secret, header: flipped, rawBody: delivery.rawBody, nowSeconds: nowSeconds() })).toBe(
      false,
    );
    expect(verifies(delivery, deriveWebhookSecret(signingKey, 'ANOTHER-APP'))).toBe(false);
    expect(bus.deadLetters).toEqual([]);
  });

  it('sends every event of the request, each once, in the schema the publisher uses', async () => {
    const target = await receiver();
    const { signRequestId, secret } = await appWithRecalledRequest(target.baseUrl);
    const events = await storedEventsOf(signRequestId);
    const bus = busWithDeliverer();
    await bus.publish(events);
    await bus.idle();

    expect(target.received.map((delivery) => delivery.headers['esign-event-type']).sort()).toEqual(
      ['SignRequestCreated', 'SignRequestRecalled'].sort(),
    );
    for (const delivery of target.received) expect(verifies(delivery, secret)).toBe(true);
  });
});

describe('a declined request', () => {
  it('delivers SignRequestDeclined, signed, with the decline record and nothing internal', async () => {
    const target = await receiver([204]);
    const app = await newApp();
    await webhooks.register(app.appId, target.baseUrl, new Date().toISOString());
    const created = await initiate(service, app.token, 2);
    const declined = await service.post(`${signingPath(created.Signers[1]!.SigningUrl)}/decline`, {
      reason: 'Wrong entity',
    });
    expect(declined.status).toBe(200);
    const event = await storedEventOf(created.SignRequestId, 'SignRequestDeclined');
    const bus = busWithDeliverer();
    await bus.publish([event]);
    await bus.idle();

    const [delivery] = target.received as [ReceivedWebhook];
    expect(delivery.headers['esign-event-type']).toBe('SignRequestDeclined');
    expect(JSON.parse(delivery.rawBody)).toMatchObject({
      type: 'SignRequestDeclined',
      status: 'DECLINED',
      decline: { signerId: created.Signers[1]!.SignerId, reason: 'Wrong entity' },
    });
    expect(delivery.rawBody).not.toContain('callId');
    expect(verifies(delivery, deriveWebhookSecret(signingKey, app.appId))).toBe(true);
  });
});

describe('retries', () => {
  it('delivers once to a receiver that fails twice and then accepts: three tries, the same event id each time', async () => {
    const target = await receiver([500, 503, 200]);
    const { signRequestId } = await appWithRecalledRequest(target.baseUrl);
    const recalled = await storedEventOf(signRequestId, 'SignRequestRecalled');
    const bus = busWithDeliverer();
    await bus.publish([recalled]);
    await bus.idle();

    expect(target.received.map((delivery) => delivery.status)).toEqual([500, 503, 200]);
    expect(target.received.filter((delivery) => delivery.status < 300)).toHaveLength(1);
    expect(new Set(target.received.map((delivery) => delivery.headers['esign-event-id']))).toEqual(
      new Set([recalled.eventId]),
    );
    expect(new Set(target.received.map((delivery) => delivery.rawBody)).size).toBe(1);
    expect(bus.deadLetters).toEqual([]);
  });

  it('parks the event as a dead letter after the last try to a receiver that always fails; the recall stood', async () => {
    const target = await receiver([500]);
    const { app, signRequestId } = await appWithRecalledRequest(target.baseUrl);
    const recalled = await storedEventOf(signRequestId, 'SignRequestRecalled');
    const bus = busWithDeliverer({ maxReceiveCount: 5 });
    await bus.publish([recalled]);
    await bus.idle();

    expect(target.received).toHaveLength(5);
    expect(bus.deadLetters).toEqual([{ subscription: 'webhooks', event: recalled, attempts: 5 }]);
    const read = await service.get<{ Status: string }>(`/v1/sign-requests/${signRequestId}`, {
      authorization: `Bearer ${app.token}`,
    });
    expect(read.Data.Status).toBe('CANCELLED');
  });

  it('counts a receiver that never answers as failed, and does not follow redirects', async () => {
    const hanging = await receiver();
    hanging.hangFromNowOn();
    const redirecting = await receiver([302]);
    const first = await appWithRecalledRequest(hanging.baseUrl);
    const second = await appWithRecalledRequest(redirecting.baseUrl);
    const bus = busWithDeliverer({ maxReceiveCount: 2, timeoutMs: HANGING_RECEIVER_TIMEOUT_MS });
    await bus.publish([
      await storedEventOf(first.signRequestId, 'SignRequestRecalled'),
      await storedEventOf(second.signRequestId, 'SignRequestRecalled'),
    ]);
    await bus.idle();

    expect(hanging.received).toHaveLength(2);
    expect(redirecting.received).toHaveLength(2);
    expect(bus.deadLetters.map((letter) => letter.event.signRequestId).sort()).toEqual(
      [first.signRequestId, second.signRequestId].sort(),
    );
  });
});

describe('who gets what', () => {
  it('sends nothing, and fails nothing, for an app without a webhook', async () => {
    const target = await receiver();
    const { signRequestId } = await appWithRecalledRequest(undefined);
    const bus = busWithDeliverer();
    await bus.publish(await storedEventsOf(signRequestId));
    await bus.idle();

    expect(target.received).toEqual([]);
    expect(bus.deadLetters).toEqual([]);
  });

  it("sends each app only its own events, signed with its own secret, never another app's", async () => {
    const target = await receiver();
    const a = await appWithRecalledRequest(`${target.baseUrl}/a`);
    const b = await appWithRecalledRequest(`${target.baseUrl}/b`);
    const silent = await appWithRecalledRequest(undefined);
    const bus = busWithDeliverer();
    await bus.publish([
      ...(await storedEventsOf(a.signRequestId)),
      ...(await storedEventsOf(b.signRequestId)),
      ...(await storedEventsOf(silent.signRequestId)),
    ]);
    await bus.idle();

    const byPath = (path: string) => target.received.filter((delivery) => delivery.path === path);
    expect(target.received).toHaveLength(4);
    for (const [path, owner, other] of [
      ['/a', a, b],
      ['/b', b, a],
    ] as const) {
      const deliveries = byPath(path);
      expect(deliveries).toHaveLength(2);
      for (const delivery of deliveries) {
        const event = DomainEvent.parse(JSON.parse(delivery.rawBody));
        expect([event.appId, event.signRequestId]).toEqual([owner.app.appId, owner.signRequestId]);
        expect(verifies(delivery, owner.secret)).toBe(true);
        expect(verifies(delivery, other.secret)).toBe(false);
      }
    }
  });
});

describe('logs', () => {
  it('say which event went where and how, and never hold the secret, the signature or the URL', async () => {
    // Powertools writes warnings and errors to stderr, the rest to stdout: both are taken.
    const writes = captureWrites();
    const lines = () => writes.flatMap((write) => write.split('\n').filter(Boolean));
    try {
      const target = await receiver([500, 200]);
      const url = `${target.baseUrl}/private-path?token=receiver-own-token`;
      const { signRequestId, secret, app } = await appWithRecalledRequest(url);
      const recalled = await storedEventOf(signRequestId, 'SignRequestRecalled');
      const bus = busWithDeliverer({ logger: new Logger({ serviceName: 'webhooks-test', logLevel: 'DEBUG' }) });
      await bus.publish([recalled]);
      await bus.idle();

      // Only the deliverer's lines: the API calls that set the scene log their own.
      const entries = lines()
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => entry.service === 'webhooks-test');
      expect(
        entries.map(({ message, eventId, eventType, appId, statusCode, attempt }) => ({
          message,
          eventId,
          eventType,
          appId,
          statusCode,
          attempt,
        })),
      ).toEqual([
        {
          message: 'webhook delivery failed, will retry',
          eventId: recalled.eventId,
          eventType: 'SignRequestRecalled',
          appId: app.appId,
          statusCode: 500,
          attempt: 1,
        },
        {
          message: 'webhook delivered',
          eventId: recalled.eventId,
          eventType: 'SignRequestRecalled',
          appId: app.appId,
          statusCode: 200,
          attempt: 2,
        },
      ]);
      const signatures = target.received.map((delivery) => delivery.headers['esign-signature'] as string);
      for (const line of lines()) {
        expect(line).not.toContain(secret);
        expect(line).not.toContain('receiver-own-token');
        expect(line).not.toContain('private-path');
        for (const signature of signatures) expect(line).not.toContain(signature.split('v1=')[1]);
      }
    } finally {
      vi.restoreAllMocks();
    }
  });
});

const runWebhookAdmin = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runAdmin(args, { ALLOW_HTTP_WEBHOOKS: 'true', ...env });

describe('npm run app -- webhook', () => {
  it('registers the URL, prints the secret once as one JSON line, and stores no secret', async () => {
    const target = await receiver();
    const app = await newApp('Webhook Admin');
    const result = await runWebhookAdmin(['webhook', '--token', app.token, '--url', `${target.baseUrl}/from-admin`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0]!) as { AppId: string; WebhookUrl: string; WebhookSecret: string };
    expect(Object.keys(printed)).toEqual(['AppId', 'WebhookUrl', 'WebhookSecret']);
    expect(printed.AppId).toBe(app.appId);
    expect(printed.WebhookUrl).toBe(`${target.baseUrl}/from-admin`);
    expect(printed.WebhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const { Items = [] } = await documentClient.send(new ScanCommand({ TableName: config.tableName }));
    const key = webhookKey(app.appId);
    const stored = Items.find((item) => item.pk === key.pk && item.sk === key.sk);
    expect(stored && Object.keys(stored).sort()).toEqual(['appId', 'createdAt', 'pk', 'sk', 'updatedAt', 'url']);
    const secretPart = printed.WebhookSecret.slice('whsec_'.length);
    for (const item of Items) expect(JSON.stringify(item)).not.toContain(secretPart);

    // The printed secret is the one deliveries are signed with.
    const created = await initiate(service, app.token, 1);
    const bus = busWithDeliverer();
    await bus.publish(await storedEventsOf(created.SignRequestId));
    await bus.idle();
    expect(target.received).toHaveLength(1);
    expect(verifies(target.received[0]!, printed.WebhookSecret)).toBe(true);
  });

  it('refuses a plain-HTTP URL to anything but this machine, and any http URL without ALLOW_HTTP_WEBHOOKS', async () => {
    const app = await newApp();
    const remote = await runWebhookAdmin(['webhook', '--token', app.token, '--url', 'http://example.com/hook']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('must use https');
    const local = await runWebhookAdmin(['webhook', '--token', app.token, '--url', 'http://127.0.0.1:9/hook'], {
      ALLOW_HTTP_WEBHOOKS: '',
    });
    expect(local.code).toBe(2);
    expect(local.stdout).toBe('');
    expect(await webhooks.get(app.appId)).toBeUndefined();
  });

  it('refuses an unknown token, and explains its usage when the URL is missing', async () => {
    const unknown = await runWebhookAdmin(['webhook', '--token', 'esr_nobody', '--url', 'https://example.com/hook']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No such app token');
    const incomplete = await runWebhookAdmin(['webhook', '--token', 'esr_nobody']);
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toContain('npm run app -- webhook --token');
  });
});

describe('where a webhook host leads', () => {
  const deliverWith = async (addresses: string[] | Error | 'never answers') => {
    const app = await newApp('Resolved Host');
    await webhooks.register(app.appId, 'https://hooks.example.com/esign', new Date().toISOString());
    const created = await initiate(service, app.token, 1);
    const event = await storedEventOf(created.SignRequestId, 'SignRequestCreated');
    const posted: string[] = [];
    const consumer = createWebhookDeliverer({
      webhooks,
      signingKey,
      urlPolicy: { allowHttpLocalhost: false },
      logger: new Logger({ serviceName: 'webhooks-test' }),
      lookup: (host) =>
        addresses === 'never answers'
          ? new Promise<string[]>(() => undefined)
          : addresses instanceof Error
            ? Promise.reject(addresses)
            : Promise.resolve(host ? addresses : []),
      fetch: (input) => {
        posted.push(input instanceof Request ? input.url : input.toString());
        return Promise.resolve(new Response(null, { status: 204 }));
      },
    });
    const answer = await consumer(
      { Records: [sqsRecord('m1', JSON.stringify(asDeliveredEvent(event)))] },
      localLambdaContext('webhooks'),
    );
    return { answer, posted };
  };

  it('posts to a public name that resolves to public addresses', async () => {
    const { answer, posted } = await deliverWith(['93.184.216.34']);
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(posted).toEqual(['https://hooks.example.com/esign']);
  });

  it('refuses, for good, a public name that resolves to a loopback or private address', async () => {
    for (const addresses of [['127.0.0.1'], ['93.184.216.34', '10.0.0.7'], ['::1']]) {
      const { answer, posted } = await deliverWith(addresses);
      expect(answer).toEqual({ batchItemFailures: [] });
      expect(posted).toEqual([]);
    }
  });

  it('retries a name that does not resolve', async () => {
    const { answer, posted } = await deliverWith(new Error('getaddrinfo ENOTFOUND hooks.example.com'));
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(posted).toEqual([]);
  });

  it('gives up on a look-up that never answers and retries, instead of holding the batch', async () => {
    const started = performance.now();
    const { answer, posted } = await deliverWith('never answers');
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(posted).toEqual([]);
    // Without the look-up timeout this never returns (the test's own timeout fails it). The bound is generous
    // on purpose (the look-up timeout is 2 s): it only says "well inside the function's 15 s".
    expect(performance.now() - started).toBeLessThan(12_000);
  });
});

describe('one tenant never delays another', () => {
  // Each message's deadline is 10 s here: the healthy tenant's delivery (a store read and a loopback POST) takes
  // milliseconds, and must fit in it even on a loaded machine; the hung one is cut off by it alone (without it,
  // the batch would wait for A for ever and the test would time out). A slow DNS answer is cut at 2 s before it.
  const MESSAGE_BUDGET_MS = 10_000;
  it("delivers tenant B's event at once while tenant A's receiver hangs, and reports only A's message failed", async () => {
    const hanging = await receiver();
    hanging.hangFromNowOn();
    const healthy = await receiver([204]);
    const a = await appWithRecalledRequest(hanging.baseUrl);
    const b = await appWithRecalledRequest(healthy.baseUrl);
    const consumer = createWebhookDeliverer({
      webhooks,
      signingKey,
      urlPolicy: { allowHttpLocalhost: true },
      logger: new Logger({ serviceName: 'webhooks-test' }),
      // A POST timeout far beyond the message's deadline: only the per-message deadline can end A's delivery.
      timeoutMs: 600_000,
      queue: { handlingBudgetMs: MESSAGE_BUDGET_MS },
    });
    const body = async (signRequestId: string) =>
      JSON.stringify(asDeliveredEvent(await storedEventOf(signRequestId, 'SignRequestRecalled')));
    const answer = await consumer(
      {
        Records: [
          sqsRecord('tenant-a', await body(a.signRequestId)),
          sqsRecord('tenant-b', await body(b.signRequestId)),
        ],
      },
      localLambdaContext('webhooks'),
    );
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'tenant-a' }] });
    expect(healthy.received).toHaveLength(1);
    expect(healthy.received[0]!.headers['esign-event-id']).toBe(`${b.signRequestId}.1`);
    expect(hanging.received).toHaveLength(1);
  });

  it("fails only the message whose host name never resolves; another tenant's host is posted to", async () => {
    const hostOf = (name: string) => `https://${name}.example.com/esign`;
    const a = await newApp('Slow DNS');
    const b = await newApp('Fast DNS');
    await webhooks.register(a.appId, hostOf('slow-dns'), new Date().toISOString());
    await webhooks.register(b.appId, hostOf('fast-dns'), new Date().toISOString());
    const eventOf = async (app: { token: string }) => {
      const created = await initiate(service, app.token, 1);
      return storedEventOf(created.SignRequestId, 'SignRequestCreated');
    };
    const posted: string[] = [];
    const consumer = createWebhookDeliverer({
      webhooks,
      signingKey,
      urlPolicy: { allowHttpLocalhost: false },
      logger: new Logger({ serviceName: 'webhooks-test' }),
      lookup: (host) =>
        host.startsWith('slow-dns') ? new Promise<string[]>(() => undefined) : Promise.resolve(['93.184.216.34']),
      fetch: (input) => {
        posted.push(input instanceof Request ? input.url : input.toString());
        return Promise.resolve(new Response(null, { status: 204 }));
      },
      queue: { handlingBudgetMs: MESSAGE_BUDGET_MS },
    });
    const answer = await consumer(
      {
        Records: [
          sqsRecord('tenant-a', JSON.stringify(asDeliveredEvent(await eventOf(a)))),
          sqsRecord('tenant-b', JSON.stringify(asDeliveredEvent(await eventOf(b)))),
        ],
      },
      localLambdaContext('webhooks'),
    );
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'tenant-a' }] });
    expect(posted).toEqual([hostOf('fast-dns')]);
  });

  it('gives each message the invocation’s time less a margin by default, so the batch is answered before Lambda stops it', async () => {
    const hanging = await receiver();
    hanging.hangFromNowOn();
    const a = await appWithRecalledRequest(hanging.baseUrl);
    const consumer = createWebhookDeliverer({
      webhooks,
      signingKey,
      urlPolicy: { allowHttpLocalhost: true },
      logger: new Logger({ serviceName: 'webhooks-test' }),
      timeoutMs: 600_000,
    });
    const event = await storedEventOf(a.signRequestId, 'SignRequestRecalled');
    // An invocation with 3.2 s left: DEADLINE_MARGIN_MS (3 s) is kept back, the message gets the rest.
    const answer = await consumer(
      { Records: [sqsRecord('m1', JSON.stringify(asDeliveredEvent(event)))] },
      localLambdaContext('webhooks', DEADLINE_MARGIN_MS + 200),
    );
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });
});

describe('retries with exponential backoff over more than a day', () => {
  it('holds a failing event back on the schedule through the same code path as SQS, then dead-letters it; a redrive delivers it', async () => {
    const target = await receiver([...Array<number>(WEBHOOK_MAX_RECEIVE_COUNT).fill(503), 200]);
    const { signRequestId } = await appWithRecalledRequest(target.baseUrl);
    const recalled = await storedEventOf(signRequestId, 'SignRequestRecalled');
    const visibility = new LocalQueueVisibility();
    const held: number[] = [];
    const bus = new LocalEventBus(
      [
        {
          name: 'webhooks',
          matches: () => true,
          consumer: createWebhookDeliverer({
            webhooks,
            signingKey,
            urlPolicy: { allowHttpLocalhost: true },
            logger: new Logger({ serviceName: 'webhooks-test' }),
            queue: { backoff: { visibility, delaySeconds: webhookRetryDelaySeconds } },
          }),
          maxReceiveCount: WEBHOOK_MAX_RECEIVE_COUNT,
          backoffBaseMs: 1,
          visibility,
        },
      ],
      // AWS's own scale (a second is 1000 ms), with a sleep that records instead of waiting.
      { msPerSecond: 1000, sleep: (ms) => (held.push(ms), Promise.resolve()) },
    );
    await bus.publish([recalled]);
    await bus.idle();

    expect(held).toEqual(WEBHOOK_RETRY_SCHEDULE_SECONDS.map((seconds) => seconds * 1000));
    expect(held.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(target.received).toHaveLength(WEBHOOK_MAX_RECEIVE_COUNT);
    expect(bus.deadLetters).toEqual([
      { subscription: 'webhooks', event: recalled, attempts: WEBHOOK_MAX_RECEIVE_COUNT },
    ]);

    // The receiver is back: the redrive moves the dead letter back, and it is delivered, with the same event id.
    expect(bus.redrive('webhooks')).toBe(1);
    await bus.idle();
    expect(bus.deadLetters).toEqual([]);
    expect(target.received.at(-1)).toMatchObject({ status: 200 });
    expect(target.received.at(-1)!.headers['esign-event-id']).toBe(recalled.eventId);
  });
});
