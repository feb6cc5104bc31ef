import type { DomainEvent } from '../../functions/core/events.ts';
import type { EventSink } from '../../functions/events/sink.ts';
import { createPublisher } from '../../functions/handlers/publisher.ts';
import { createMailerHandler } from '../../functions/handlers/mailer.ts';
import { createSignedDocumentMaker } from '../../functions/handlers/signed-document-maker.ts';
import { createWebhookDeliverer } from '../../functions/handlers/webhook-deliverer.ts';
import { createLogger } from '../../functions/logger.ts';
import type { Mail } from '../../functions/notifications/mail.ts';
import { MAIL_MAX_RECEIVE_COUNT, MAILER_MAX_CONCURRENCY } from '../../functions/notifications/mailer-limits.ts';
import { mailerDependencies } from '../../functions/wiring/mailer.ts';
import { MAILED_EVENT_TYPES } from '../../functions/workflows/send-mail.ts';
import { WEBHOOK_MAX_RECEIVE_COUNT, webhookRetryDelaySeconds } from '../../functions/webhooks/deliverer.ts';
import type { Environment } from '../../functions/runtime/environment.ts';
import type { StoreAccess } from '../../functions/wiring/store-access.ts';
import { signedDocumentMakerDependencies } from '../../functions/wiring/signed-document-maker.ts';
import { webhookDelivererDependencies } from '../../functions/wiring/webhook-deliverer.ts';
import {
  DOCUMENT_EVENT_TYPES,
  SIGNED_DOCUMENT_MAX_RECEIVE_COUNT,
} from '../../functions/workflows/make-signed-document.ts';
import { LocalEventBus, LocalQueueVisibility, type DeadLetter, type Subscription } from './event-bus.ts';
import { LocalMailbox } from './mailbox.ts';
import { installStreamStandIn } from './stream-stand-in.ts';
import { localSignedDocumentBackfill } from './signed-document-backfill.ts';
import { LocalUndeliveredEvents } from './undelivered-events.ts';

export interface LocalEventsOptions {
  /** The settings the functions run with here; the deliverer takes its signing key and URL rules from them. */
  env: Environment;
  /** The store the HTTP functions write to: its writes are the stream this publishes. */
  store: StoreAccess;
  /** Waits before the n-th redelivery of a notification: base * 2^(n-1). */
  backoffBaseMs: number;
  /** How long one second of the webhook retry schedule lasts here, in ms (1000: as in AWS). */
  msPerScheduleSecond: number;
  onEvent?: (event: DomainEvent) => void;
  /** Each mail as it reaches the local mailbox. */
  onMail?: (mail: Mail) => void;
  onDeadLetter?: (letter: DeadLetter) => void;
}

/** The queues the admin command can redrive, by the names it takes (`--queue`). */
export const LOCAL_QUEUES = {
  webhooks: 'webhooks',
  notifications: 'mail',
  signedDocuments: 'signed-documents',
} as const;

/**
 * What AWS wires with a stream, a bus, three rules and three queues, in this process: every write to the table
 * becomes a stream record for the publisher Lambda runs, and its events reach the webhook deliverer, the mailer
 * and the signed document maker Lambda runs, with the same redelivery counts, the same maximum concurrency and the same webhook retry
 * schedule (on the deliverer's own hold-back requests, scaled by `msPerScheduleSecond`) as the queues in
 * infra/constructs.
 */
export const startLocalEvents = async (options: LocalEventsOptions) => {
  const { env, store } = options;
  const logger = createLogger(env);
  const mailbox = new LocalMailbox(options.onMail);
  const webhookVisibility = new LocalQueueVisibility();
  const subscriptions: Subscription[] = [
    {
      name: LOCAL_QUEUES.webhooks,
      matches: () => true,
      consumer: createWebhookDeliverer({
        ...(await webhookDelivererDependencies(env, store)),
        queue: { backoff: { visibility: webhookVisibility, delaySeconds: webhookRetryDelaySeconds } },
      }),
      maxReceiveCount: WEBHOOK_MAX_RECEIVE_COUNT,
      backoffBaseMs: options.backoffBaseMs,
      visibility: webhookVisibility,
    },
    {
      name: LOCAL_QUEUES.notifications,
      matches: (event) => (MAILED_EVENT_TYPES as readonly string[]).includes(event.type),
      // As the mailer Lambda runs, with the local mailbox in place of SES.
      consumer: createMailerHandler(await mailerDependencies(env, store, mailbox)),
      maxReceiveCount: MAIL_MAX_RECEIVE_COUNT,
      backoffBaseMs: options.backoffBaseMs,
      // As the deployed queue's event source: at most this many mailers at once, each at its share of the rate.
      maxConcurrency: MAILER_MAX_CONCURRENCY,
    },
    {
      name: LOCAL_QUEUES.signedDocuments,
      matches: (event) => (DOCUMENT_EVENT_TYPES as readonly string[]).includes(event.type),
      // As the maker Lambda runs: the local sealing key (SEALING_KEY_PEM), the embedded S3 server.
      consumer: createSignedDocumentMaker(signedDocumentMakerDependencies(env, store)),
      maxReceiveCount: SIGNED_DOCUMENT_MAX_RECEIVE_COUNT,
      backoffBaseMs: options.backoffBaseMs,
    },
  ];
  const bus = new LocalEventBus(subscriptions, {
    msPerSecond: options.msPerScheduleSecond,
    ...(options.onDeadLetter ? { onDeadLetter: options.onDeadLetter } : {}),
  });
  const sink: EventSink = {
    publish: async (events) => {
      for (const event of events) options.onEvent?.(event);
      await bus.publish(events);
    },
  };
  const undelivered = new LocalUndeliveredEvents();
  const publish = createPublisher({ sink, undelivered, logger });
  const stream = installStreamStandIn(store.documentClient, {
    endpoint: store.config.dynamodbEndpoint ?? '',
    region: store.config.region,
    consume: publish,
  });
  return {
    bus,
    mailbox,
    undelivered,
    /** `npm run app -- replay-events`, here: the kept events published again, through the same sink. */
    replayUndelivered: () => undelivered.replay(sink),
    /** `npm run app -- make-signed-documents`, here: the backfill's completions go through the same sink. */
    makeSignedDocuments: localSignedDocumentBackfill(store.documentClient, store.config.tableName, sink),
    settle: async () => {
      await stream.idle();
      await bus.idle();
    },
    /** No further stream records or deliveries; resolves once the consumer invocations under way have ended. */
    stop: async () => {
      stream.uninstall();
      await bus.stop();
    },
  };
};
