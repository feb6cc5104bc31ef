import type { Logger } from '@aws-lambda-powertools/logger';
import { domainEventQueueHandler, type DomainEventQueueHandler } from '../consumers/domain-event-queue.ts';
import type { SignRequest } from '../core/sign-request.ts';
import type { Notifier } from './notifier.ts';
import { recallNotices } from './recall-notice.ts';

/**
 * Tries in all before a recall's notifications are parked as a dead letter: an email that failed three times
 * is failing for a reason a fourth try will not fix, and the DLQ alarm says so. Read by the SQS queue in AWS
 * and the local bus alike.
 */
export const NOTIFICATION_MAX_RECEIVE_COUNT = 3;

export interface SignerNotifierDependencies {
  signRequests: { get(id: string): Promise<SignRequest | undefined> };
  notifier: Notifier;
  logger: Logger;
}

/**
 * (primary adapter) queue of SignRequestRecalled events --> the request as stored --> one notification per
 * signer who had not signed. A recalled request can take no more signatures, so the stored signers are final.
 * A retried message notifies every unsigned signer again: delivery is at least once, and a repeated "this was
 * recalled" costs less than a missed one.
 */
export const createSignerNotifier = (deps: SignerNotifierDependencies): DomainEventQueueHandler =>
  domainEventQueueHandler(async (event, { attempt }) => {
    const facts = { eventId: event.eventId, eventType: event.type, signRequestId: event.signRequestId, attempt };
    if (event.type !== 'SignRequestRecalled') {
      deps.logger.debug('not a recall: nobody to tell', facts);
      return 'done';
    }
    const request = await deps.signRequests.get(event.signRequestId);
    if (!request || request.appId !== event.appId) {
      // Requests are never deleted, so this is not a timing matter that a retry could fix.
      deps.logger.error('recalled request not found: no notifications sent', facts);
      return 'done';
    }
    const notices = recallNotices(request, event.recall, event.eventId);
    for (const notice of notices) await deps.notifier.send(notice);
    deps.logger.info('signers notified of recall', { ...facts, notified: notices.length });
    return 'done';
  }, deps.logger);
