import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventsOfChange, type DomainEvent } from '../../functions/core/events.ts';
import type { Fetch } from '../../functions/webhooks/deliver.ts';
import { deriveWebhookSecret } from '../../functions/webhooks/secret.ts';
import { SIGNATURE_HEADER, verifySignature } from '../../functions/webhooks/signature.ts';
import { deliverEventToWebhook, type WebhookDelivererDependencies } from '../../functions/workflows/deliver-webhook.ts';
import { recordingLogger } from '../support/recording-logger.ts';
import { freshRequest } from '../support/requests.ts';

const signingKey = randomBytes(32);
const NOW = new Date('2030-01-01T10:00:00.000Z');
const context = { attempt: 2, messageId: 'm-1', deadline: Number.MAX_SAFE_INTEGER };
const event: DomainEvent = eventsOfChange(undefined, freshRequest(1).request)[0]!;
const facts = { eventId: event.eventId, eventType: 'SignRequestCreated', appId: 'APP1', attempt: 2 };

interface Posted {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A receiver that answers every POST with `status` (or fails as the network would), keeping what it got. */
const fakeFetch = (answer: number | Error) => {
  const posted: Posted[] = [];
  const fetch: Fetch = (input, init) => {
    posted.push({
      url: input instanceof Request ? input.url : input.toString(),
      headers: init?.headers as Record<string, string>,
      body: init?.body as string,
    });
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(new Response(null, { status: answer }));
  };
  return { posted, fetch };
};

/** A resolver with a fixed answer per host; an unknown host does not resolve. */
const fakeLookup = (answers: Record<string, string[]>) => {
  const asked: string[] = [];
  const lookup = (hostname: string) => {
    asked.push(hostname);
    const found = answers[hostname];
    return found ? Promise.resolve(found) : Promise.reject(new Error('ENOTFOUND'));
  };
  return { asked, lookup };
};

const setUp = (
  url: string | undefined,
  overrides: Partial<WebhookDelivererDependencies> = {},
  answer: number | Error = 204,
) => {
  const receiver = fakeFetch(answer);
  const resolver = fakeLookup({ 'hooks.example.com': ['93.184.216.34'] });
  const { logger, lines } = recordingLogger();
  const deps: WebhookDelivererDependencies = {
    webhooks: { get: (appId) => Promise.resolve(url && appId === 'APP1' ? ({ url, appId } as never) : undefined) },
    signingKey,
    urlPolicy: { allowHttpLocalhost: false },
    logger,
    fetch: receiver.fetch,
    now: () => NOW,
    timeoutMs: 1_000,
    lookup: resolver.lookup,
    ...overrides,
  };
  return { deps, posted: receiver.posted, asked: resolver.asked, lines };
};

describe('deliverEventToWebhook', () => {
  it('POSTs the event to its own app’s webhook, signed with that app’s secret at the current time', async () => {
    const { deps, posted, asked, lines } = setUp('https://hooks.example.com/esign?token=abc');
    expect(await deliverEventToWebhook(deps, event, context)).toBe('done');
    expect(asked).toEqual(['hooks.example.com']);
    expect(posted).toHaveLength(1);
    const [post] = posted;
    expect(post!.url).toBe('https://hooks.example.com/esign?token=abc');
    expect(JSON.parse(post!.body)).toEqual(event);
    const valid = (secret: string) =>
      verifySignature({
        secret,
        header: post!.headers[SIGNATURE_HEADER],
        rawBody: post!.body,
        nowSeconds: NOW.getTime() / 1000,
        toleranceSeconds: 0,
      });
    expect(valid(deriveWebhookSecret(signingKey, 'APP1'))).toBe(true);
    expect(valid(deriveWebhookSecret(signingKey, 'APP2'))).toBe(false);
    expect(lines).toEqual([{ level: 'info', message: 'webhook delivered', attributes: { ...facts, statusCode: 204 } }]);
  });

  it('has nothing to deliver for an app with no webhook', async () => {
    const { deps, posted, lines } = setUp(undefined);
    expect(await deliverEventToWebhook(deps, event, context)).toBe('done');
    expect(posted).toEqual([]);
    expect(lines).toEqual([
      { level: 'debug', message: 'no webhook registered: nothing to deliver', attributes: facts },
    ]);
  });

  it('drops the event, without retrying, when the URL breaks the rules', async () => {
    const { deps, posted, lines } = setUp('http://hooks.example.com/esign');
    expect(await deliverEventToWebhook(deps, event, context)).toBe('done');
    expect(posted).toEqual([]);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'webhook URL refused by the URL rules: event not delivered',
        attributes: { ...facts, reason: 'the URL must use https' },
      },
    ]);
  });

  it('retries later when the host does not resolve', async () => {
    const { deps, posted, lines } = setUp('https://nowhere.example.com/esign');
    expect(await deliverEventToWebhook(deps, event, context)).toBe('retry');
    expect(posted).toEqual([]);
    expect(lines).toEqual([{ level: 'warn', message: 'webhook host did not resolve, will retry', attributes: facts }]);
  });

  it('drops the event when any address the host resolves to is internal', async () => {
    const lookup = fakeLookup({ 'hooks.example.com': ['93.184.216.34', '10.0.0.7'] }).lookup;
    const { deps, posted, lines } = setUp('https://hooks.example.com/esign', { lookup });
    expect(await deliverEventToWebhook(deps, event, context)).toBe('done');
    expect(posted).toEqual([]);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'webhook host resolves to an internal address: event not delivered',
        attributes: facts,
      },
    ]);
  });

  it('looks no host up when local plain-HTTP receivers are allowed (local development)', async () => {
    const { deps, posted, asked } = setUp('http://localhost:4000/hook', { urlPolicy: { allowHttpLocalhost: true } });
    expect(await deliverEventToWebhook(deps, event, context)).toBe('done');
    expect(asked).toEqual([]);
    expect(posted.map((post) => post.url)).toEqual(['http://localhost:4000/hook']);
  });

  it('retries when the receiver answers other than 2xx, saying with which status', async () => {
    const { deps, lines } = setUp('https://hooks.example.com/esign', {}, 500);
    expect(await deliverEventToWebhook(deps, event, context)).toBe('retry');
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'webhook delivery failed, will retry',
        attributes: { ...facts, reason: 'HTTP 500', statusCode: 500 },
      },
    ]);
  });

  it('retries when the POST gets no answer, with no status to tell', async () => {
    const { deps, lines } = setUp('https://hooks.example.com/esign', {}, new TypeError('fetch failed'));
    expect(await deliverEventToWebhook(deps, event, context)).toBe('retry');
    // Strictly: no statusCode key at all, not one holding undefined.
    expect(lines).toStrictEqual([
      {
        level: 'warn',
        message: 'webhook delivery failed, will retry',
        attributes: { ...facts, reason: 'network error' },
      },
    ]);
  });

  it('uses the system resolver, clock and default timeout when none are given', async () => {
    // An address literal resolves without asking any name server, so the default resolver runs offline.
    const { deps, posted } = setUp('https://93.184.216.34/esign');
    const { lookup: _lookup, now: _now, timeoutMs: _timeoutMs, ...defaults } = deps;
    const before = Math.floor(Date.now() / 1000);
    expect(await deliverEventToWebhook(defaults, event, context)).toBe('done');
    const stamped = Number(/t=(\d+)/.exec(posted[0]!.headers[SIGNATURE_HEADER]!)![1]);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });
});
