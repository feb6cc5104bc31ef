import { lookup } from 'node:dns/promises';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Handled, HandlingContext } from './queue-ports.ts';
import type { DomainEvent } from '../core/events.ts';
import type { WebhookRegistration } from '../store/webhooks.ts';
import { DEFAULT_DELIVERY_TIMEOUT_MS, deliverWebhook, type Fetch } from '../webhooks/deliver.ts';
import { withinLookupTimeout } from '../webhooks/host-lookup.ts';
import { deriveWebhookSecret } from '../webhooks/secret.ts';
import { checkWebhookUrl, isInternalHost, type WebhookUrlPolicy } from '../webhooks/webhook-url.ts';

export interface WebhookDelivererDependencies {
  webhooks: { get(appId: string): Promise<WebhookRegistration | undefined> };
  /** The service's signing key, which each app's webhook secret is derived from. */
  signingKey: Buffer;
  urlPolicy: WebhookUrlPolicy;
  logger: Logger;
  fetch?: Fetch;
  now?: () => Date;
  timeoutMs?: number;
  /** Resolves a host name to its addresses; DNS by default. */
  lookup?: (hostname: string) => Promise<string[]>;
}

const dnsLookup = async (hostname: string): Promise<string[]> =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * A domain event --> the event's own app's webhook, one signed POST. The URL is looked up by the event's appId
 * only, so an event can reach no other app's receiver. Logs say which event went where and how it went, never
 * the secret, the signature or the URL. `retry` leaves the message for the queue to redeliver.
 */
export const deliverEventToWebhook = async (
  deps: WebhookDelivererDependencies,
  event: DomainEvent,
  { attempt }: HandlingContext,
): Promise<Handled> => {
  const facts = { eventId: event.eventId, eventType: event.type, appId: event.appId, attempt };
  const webhook = await deps.webhooks.get(event.appId);
  if (!webhook) {
    deps.logger.debug('no webhook registered: nothing to deliver', facts);
    return 'done';
  }
  const url = checkWebhookUrl(webhook.url, deps.urlPolicy);
  if (!url.ok) {
    // Retrying cannot make the URL acceptable; the app has to register a valid one.
    deps.logger.warn('webhook URL refused by the URL rules: event not delivered', { ...facts, reason: url.reason });
    return 'done';
  }
  // The URL rules see the name; this sees where it leads today: a public name pointing at a private or
  // loopback address is refused too. (A name that changes its answer between this look-up and the POST is
  // left to https: internal endpoints speak plain HTTP, so the handshake fails before anything is sent.)
  if (!deps.urlPolicy.allowHttpLocalhost) {
    const host = new URL(url.url).hostname;
    const addresses = await withinLookupTimeout((deps.lookup ?? dnsLookup)(host)).catch(() => undefined);
    if (!addresses) {
      deps.logger.warn('webhook host did not resolve, will retry', facts);
      return 'retry';
    }
    if (addresses.some(isInternalHost)) {
      deps.logger.warn('webhook host resolves to an internal address: event not delivered', facts);
      return 'done';
    }
  }
  const secret = deriveWebhookSecret(deps.signingKey, event.appId);
  const outcome = await deliverWebhook(
    { url: url.url, secret, event },
    {
      fetch: deps.fetch ?? globalThis.fetch,
      now: deps.now ?? (() => new Date()),
      timeoutMs: deps.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    },
  );
  if (outcome.delivered) {
    deps.logger.info('webhook delivered', { ...facts, statusCode: outcome.statusCode });
    return 'done';
  }
  deps.logger.warn('webhook delivery failed, will retry', {
    ...facts,
    reason: outcome.reason,
    ...(outcome.statusCode === undefined ? {} : { statusCode: outcome.statusCode }),
  });
  return 'retry';
};
