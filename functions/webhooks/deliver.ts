import type { DomainEvent } from '../core/events.ts';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.ts';

/** Long enough for a receiver that queues the event and answers; short enough that ten fit in one invocation. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 5_000;

export type Fetch = typeof globalThis.fetch;

export interface WebhookPost {
  url: string;
  secret: string;
  event: DomainEvent;
}

export interface DeliveryOptions {
  fetch: Fetch;
  now: () => Date;
  timeoutMs: number;
}

export type DeliveryOutcome =
  { delivered: true; statusCode: number } | { delivered: false; statusCode?: number; reason: string };

/** Why a POST never got an answer, in words safe to log (no URL: it may carry the receiver's own token). */
const networkFailure = (error: unknown): string => {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return `network error${typeof cause?.code === 'string' ? `: ${cause.code}` : ''}`;
};

/**
 * One signed POST of one event. 2xx is delivered; any other status, a network error or the timeout is failed,
 * and the queue retries it. Redirects are not followed: a 3xx is a failure, so a receiver cannot bounce our
 * signed request to a host the URL rules (webhook-url.ts) would have refused.
 */
export const deliverWebhook = async (post: WebhookPost, options: DeliveryOptions): Promise<DeliveryOutcome> => {
  const rawBody = JSON.stringify(post.event);
  const timestamp = Math.floor(options.now().getTime() / 1000);
  try {
    const response = await options.fetch(post.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'esign-recall-webhooks/1',
        [SIGNATURE_HEADER]: signatureHeader(post.secret, timestamp, rawBody),
        [EVENT_ID_HEADER]: post.event.eventId,
        [EVENT_TYPE_HEADER]: post.event.type,
      },
      body: rawBody,
    });
    // The answer's body means nothing to us; dropping it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    const statusCode = response.status;
    return statusCode >= 200 && statusCode < 300
      ? { delivered: true, statusCode }
      : { delivered: false, statusCode, reason: `HTTP ${statusCode}` };
  } catch (error) {
    return { delivered: false, reason: networkFailure(error) };
  }
};
