import type { Logger } from '@aws-lambda-powertools/logger';
import type { Handled, HandlingContext } from '../consumers/domain-event-queue.ts';
import type { DomainEvent } from '../core/events.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { recallNotices } from '../notifications/recall-notice.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';

export interface SignerNotifierDependencies {
  signRequests: Pick<SignRequestStore, 'get'>;
  notifier: Notifier;
  logger: Logger;
}

/**
 * A SignRequestRecalled event --> the request as stored --> one notification per signer who had not signed. A
 * recalled request can take no more signatures, so the stored signers are final. A retried message notifies
 * every unsigned signer again: delivery is at least once, and a repeated "this was recalled" costs less than a
 * missed one.
 */
export const notifySignersOfRecall = async (
  deps: SignerNotifierDependencies,
  event: DomainEvent,
  { attempt }: HandlingContext,
): Promise<Handled> => {
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
};
