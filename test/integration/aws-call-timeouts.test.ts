import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEADLINE_MARGIN_MS } from '../../functions/consumers/domain-event-queue.ts';
import type { DomainEvent } from '../../functions/core/events.ts';
import { eventBridgeSink } from '../../functions/events/event-bridge-sink.ts';
import {
  AWS_CALL_LIMITS,
  boundedAwsClientConfig,
  callBoundMs,
  QUEUE_VISIBILITY_CALL_LIMITS,
  STORE_CALL_LIMITS,
} from '../../functions/runtime/aws-call-limits.ts';
import { secretsManagerReader, signingKeyFrom } from '../../functions/wiring/signing-keys.ts';
import { webhookDelivererDependencies } from '../../functions/wiring/webhook-deliverer.ts';
import { READ_BACK_LIMIT_MS } from '../../functions/workflows/unknown-outcome.ts';

/**
 * The SES, EventBridge, Secrets Manager and SQS clients as the functions build them (aws-call-limits.ts), pointed
 * at a server that accepts every connection and never answers: a hung AWS service. Each call must fail with the
 * SDK's TimeoutError after its retries instead of waiting as long as the function lives (what `requestTimeout`
 * without `throwOnRequestTimeout` does: it only logs a warning). How long a call may take is asserted on the
 * configured limits (callBoundMs), which do not depend on how busy the machine is; the wall clock only catches
 * a call that hangs.
 */

/** A TCP server that accepts and never answers, counting the connections: one per attempt. */
const silentServer = async () => {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
};

const servers: { close: () => void }[] = [];
afterAll(() => {
  servers.forEach((server) => server.close());
  vi.unstubAllEnvs();
});

/** A client config aimed at `endpoint`, with placeholder credentials so no real ones are looked for. */
const aimedAt = (endpoint: string) =>
  boundedAwsClientConfig({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

/** Runs `call` against a fresh silent server: the error it ended with, how long it took, how many attempts. */
const againstHungService = async (call: (endpoint: string) => Promise<unknown>) => {
  const server = await silentServer();
  servers.push(server);
  const started = performance.now();
  const error = await call(server.endpoint).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { error, elapsedMs: performance.now() - started, attempts: server.connections() };
};

/** The SDK's own timeout error, possibly wrapped (Powertools wraps it as the cause of a GetParameterError). */
const timeoutIn = (error: unknown): Error | undefined => {
  for (let current = error; current instanceof Error; current = current.cause)
    if (current.name === 'TimeoutError') return current;
  return undefined;
};

// A hang guard only, generous on purpose (a busy machine slows the timers): it says "ended, inside the
// function's 15 s". What a call may take is checked on the limits below, which this clock cannot check.
const WELL_INSIDE_FUNCTION_TIMEOUT_MS = 14_000;
/** Lambda's init phase, where the signing keys are read, is limited to 10 s. */
const LAMBDA_INIT_LIMIT_MS = 10_000;
const FUNCTION_TIMEOUT_MS = 15_000;

describe('the configured bounds of a call to a hung service', () => {
  it("SES, EventBridge and Secrets Manager: inside Lambda's 10 s init phase", () => {
    expect(callBoundMs(AWS_CALL_LIMITS)).toBeLessThan(LAMBDA_INIT_LIMIT_MS);
  });

  it("the store: inside the function timeout, so a hung store ends as the service's own 503", () => {
    expect(callBoundMs(STORE_CALL_LIMITS)).toBeLessThan(FUNCTION_TIMEOUT_MS);
  });

  it('a store write whose outcome is unknown, then its read-back: still inside the function timeout', () => {
    expect(READ_BACK_LIMIT_MS).toBeLessThanOrEqual(STORE_CALL_LIMITS.requestTimeoutMs);
    expect(callBoundMs(STORE_CALL_LIMITS) + READ_BACK_LIMIT_MS).toBeLessThan(FUNCTION_TIMEOUT_MS);
  });

  it("the webhook queue's ChangeMessageVisibility: inside the time a consumer keeps back after handling", () => {
    expect(callBoundMs(QUEUE_VISIBILITY_CALL_LIMITS)).toBeLessThan(DEADLINE_MARGIN_MS);
  });

  it("counts every attempt's connection and request timeout and the backoff before each retry", () => {
    expect(callBoundMs({ maxAttempts: 1, connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000 })).toBe(3_000);
    expect(callBoundMs({ maxAttempts: 3, connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000 })).toBe(9_600);
  });
});

const event: DomainEvent = {
  schemaVersion: 1,
  eventId: '01JTIMEOUTTEST0000000000000.0',
  occurredAt: '2026-01-01T00:00:00.000Z',
  signRequestId: '01JTIMEOUTTEST0000000000000',
  requestNo: 'KAiZEN-1',
  appId: '01JTIMEOUTAPP00000000000000',
  status: 'PENDING',
  type: 'SignRequestCreated',
  documentName: 'contract.pdf',
  signerCount: 1,
};

describe.concurrent('AWS calls to a service that never answers', () => {
  it('SES: the send fails with a timeout after its retries', async () => {
    const { error, elapsedMs, attempts } = await againstHungService(async (endpoint) => {
      const ses = new SESv2Client(aimedAt(endpoint));
      try {
        await ses.send(
          new SendEmailCommand({
            FromEmailAddress: 'no-reply@example.com',
            Destination: { ToAddresses: ['signer@example.com'] },
            Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
          }),
        );
      } finally {
        ses.destroy();
      }
    });
    expect(timeoutIn(error)).toBeDefined();
    expect(attempts).toBe(AWS_CALL_LIMITS.maxAttempts);
    expect(elapsedMs).toBeLessThan(WELL_INSIDE_FUNCTION_TIMEOUT_MS);
  });

  it('EventBridge: the publisher sink fails with a timeout after its retries', async () => {
    const { error, elapsedMs, attempts } = await againstHungService(async (endpoint) => {
      const client = new EventBridgeClient(aimedAt(endpoint));
      try {
        await eventBridgeSink(client, 'esign-recall-test').publish([event]);
      } finally {
        client.destroy();
      }
    });
    expect(timeoutIn(error)).toBeDefined();
    expect(attempts).toBe(AWS_CALL_LIMITS.maxAttempts);
    expect(elapsedMs).toBeLessThan(WELL_INSIDE_FUNCTION_TIMEOUT_MS);
  });

  it('Secrets Manager: loading a signing key at cold start fails with a timeout after its retries', async () => {
    const { error, elapsedMs, attempts } = await againstHungService(async (endpoint) => {
      const client = new SecretsManagerClient(aimedAt(endpoint));
      try {
        await signingKeyFrom(
          'webhook',
          { WEBHOOK_SIGNING_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:webhook-AbCdEf' },
          secretsManagerReader(client),
        );
      } finally {
        client.destroy();
      }
    });
    expect(timeoutIn(error)).toBeDefined();
    expect(attempts).toBe(AWS_CALL_LIMITS.maxAttempts);
    expect(elapsedMs).toBeLessThan(WELL_INSIDE_FUNCTION_TIMEOUT_MS);
  });

  it("SQS: the webhook deliverer's hold-back (ChangeMessageVisibility) fails with a timeout after one attempt", async () => {
    const { error, elapsedMs, attempts } = await againstHungService(async (endpoint) => {
      // The deliverer builds its SQS client as in Lambda, from the process's settings: region, credentials and,
      // here, the endpoint (the SDK reads AWS_ENDPOINT_URL_SQS), so the client under test is the deployed one.
      vi.stubEnv('AWS_REGION', 'us-east-1');
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'x');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
      vi.stubEnv('AWS_ENDPOINT_URL_SQS', endpoint);
      const deliverer = await webhookDelivererDependencies({
        AWS_LAMBDA_FUNCTION_NAME: 'esign-recall-test',
        TABLE_NAME: 'esign-recall-test',
        WEBHOOK_SIGNING_KEY: 'dGVzdC1zaWduaW5nLWtleS10ZXN0LXNpZ25pbmcta2V5LTMyYg',
        WEBHOOK_QUEUE_URL: `${endpoint}/111122223333/webhooks`,
      });
      const visibility = deliverer.queue?.backoff?.visibility;
      if (!visibility) throw new Error('the deliverer in Lambda has no queue backoff');
      await visibility.holdBack('receipt-handle', 60);
    });
    expect(timeoutIn(error)).toBeDefined();
    expect(attempts).toBe(QUEUE_VISIBILITY_CALL_LIMITS.maxAttempts);
    expect(elapsedMs).toBeLessThan(WELL_INSIDE_FUNCTION_TIMEOUT_MS);
  });
});

describe('Secrets Manager, answering', () => {
  it('reads the key from the secret the ARN setting names, through the same client', async () => {
    const key = Buffer.alloc(32, 9);
    const asked: { target?: string; secretId?: unknown }[] = [];
    const server = createHttpServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        asked.push({
          target: request.headers['x-amz-target'] as string | undefined,
          secretId: (JSON.parse(body) as { SecretId?: unknown }).SecretId,
        });
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ SecretString: key.toString('base64url') }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const client = new SecretsManagerClient(aimedAt(`http://127.0.0.1:${address.port}`));
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:link-AbCdEf';
    try {
      expect(await signingKeyFrom('link', { LINK_SIGNING_KEY_SECRET_ARN: arn }, secretsManagerReader(client))).toEqual(
        key,
      );
    } finally {
      client.destroy();
    }
    expect(asked).toEqual([{ target: 'secretsmanager.GetSecretValue', secretId: arn }]);
  });
});
