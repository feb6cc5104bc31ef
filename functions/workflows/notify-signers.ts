import type { Logger } from '@aws-lambda-powertools/logger';
import type { Handled, HandlingContext } from '../consumers/domain-event-queue.ts';
import type { DomainEvent } from '../core/events.ts';
import { sha256Hex } from '../core/signing-token.ts';
import { NotificationRefused, type Notifier, type SignerNotification } from '../notifications/notifier.ts';
import { recallNotices } from '../notifications/recall-notice.ts';
import type { SendRate } from '../notifications/send-rate.ts';
import type { NoticeStore } from '../store/notices.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';

export interface SignerNotifierDependencies {
  signRequests: Pick<SignRequestStore, 'get'>;
  notices: Pick<NoticeStore, 'outcomeOf' | 'record'>;
  notifier: Notifier;
  /** The mail service's send rate, shared by every message this container handles. */
  sendRate: Pick<SendRate, 'take'>;
  logger: Logger;
  now?: () => Date;
}

/**
 * Who a notification goes to, as logs and the notice records name them: a hash of the address, never the
 * address (personal data). Case-folded, so one person listed twice hears once.
 */
export const recipientOf = (notification: SignerNotification): string =>
  sha256Hex(notification.to.email.trim().toLowerCase()).slice(0, 32);

type RecipientOutcome = 'sent' | 'refused' | 'already' | 'failed' | 'out-of-time';

/**
 * A SignRequestRecalled event --> the request as stored --> one notification per signer who had not signed,
 * each on its own. A recalled request can take no more signatures, so the stored signers are final. Each
 * recipient's outcome is recorded by event and recipient (functions/store/notices.ts): a retried message skips
 * whoever was told or refused for good, so a retry repeats nobody and one refusal blocks nobody. A permanent
 * refusal is logged and recorded, never retried; a transient failure, or running out of the message's time,
 * retries the message for the recipients still untold. Sends wait for the send rate (SES's per-second limit).
 */
export const notifySignersOfRecall = async (
  deps: SignerNotifierDependencies,
  event: DomainEvent,
  { attempt, deadline }: HandlingContext,
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
  const outcomes: RecipientOutcome[] = [];
  for (const notice of recallNotices(request, event.recall, event.eventId)) {
    const outcome = await notifyOne(deps, notice, deadline, facts);
    outcomes.push(outcome);
    if (outcome === 'out-of-time') break;
  }
  const count = (wanted: RecipientOutcome) => outcomes.filter((outcome) => outcome === wanted).length;
  const summary = { sent: count('sent'), refused: count('refused'), already: count('already') };
  const unfinished = count('failed') + count('out-of-time');
  if (unfinished === 0) {
    deps.logger.info('signers notified of recall', { ...facts, ...summary });
    return 'done';
  }
  deps.logger.warn('some signers not notified yet, will retry for them only', { ...facts, ...summary, unfinished });
  return 'retry';
};

const notifyOne = async (
  deps: SignerNotifierDependencies,
  notice: SignerNotification,
  deadline: number,
  facts: Record<string, unknown>,
): Promise<RecipientOutcome> => {
  const recipient = recipientOf(notice);
  const who = { ...facts, signerId: notice.signerId, recipient };
  if (await deps.notices.outcomeOf(notice.eventId, recipient)) return 'already';
  if (!(await deps.sendRate.take(deadline))) return 'out-of-time';
  const at = (deps.now?.() ?? new Date()).toISOString();
  try {
    await deps.notifier.send(notice);
  } catch (error) {
    if (error instanceof NotificationRefused) {
      deps.logger.warn('notification refused for good: not retried', { ...who, reason: error.reason });
      await deps.notices.record(notice.eventId, recipient, 'refused', at);
      return 'refused';
    }
    // The error's name only: a mail service's message may quote the address.
    const reason = error instanceof Error ? error.name : 'unknown';
    deps.logger.warn('notification failed, will retry this recipient', { ...who, reason });
    return 'failed';
  }
  // Should this record be lost, the retry sends once more: at least once, as documented.
  await deps.notices.record(notice.eventId, recipient, 'sent', at).catch((error: unknown) => {
    deps.logger.error('notification sent but not recorded: a retry may send it again', { ...who, error });
  });
  return 'sent';
};
