import type { Logger } from '@aws-lambda-powertools/logger';
import type { Handled, HandlingContext } from './queue-ports.ts';
import type { DomainEvent, DomainEventType } from '../core/events.ts';
import { sha256Hex } from '../core/signing-token.ts';
import type { SignRequest } from '../core/sign-request.ts';
import { signedDocumentFileName } from '../documents/document-keys.ts';
import type { DocumentStore } from '../documents/document-store.ts';
import type { Mail } from '../notifications/mail.ts';
import { attachesSignedDocument, mailFor, type LinkFor } from '../notifications/mail-content.ts';
import { mailStillFits } from '../notifications/mail-fit.ts';
import { NotificationRefused, type Notifier } from '../notifications/notifier.ts';
import type { SendRate } from '../notifications/send-rate.ts';
import type { MailCapStore } from '../store/mail-cap.ts';
import type { NoticeStore } from '../store/notices.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';

export interface MailerDependencies {
  signRequests: Pick<SignRequestStore, 'get'>;
  notices: Pick<NoticeStore, 'outcomeOf' | 'record'>;
  notifier: Notifier;
  /** The mail service's send rate, shared by every message this container handles. */
  sendRate: Pick<SendRate, 'take'>;
  logger: Logger;
  /** Each signer's link, derived from the link signing key: invitations and reminders carry it. */
  linkFor: LinkFor;
  /** Recall, decline and completion notices count against the app's daily cap here (see countNotices). */
  mailCap: Pick<MailCapStore, 'takeUpTo' | 'giveBack'>;
  /** The documents bucket: the completion notice attaches the signed document. */
  documents: Pick<DocumentStore, 'read'>;
  now?: () => Date;
}

/**
 * Who a notification goes to, as logs and the notice records name them: a hash of the address, never the
 * address (personal data). Case-folded, so one person listed twice hears once.
 */
export const recipientOf = (mail: Mail): string => sha256Hex(mail.to.email.trim().toLowerCase()).slice(0, 32);

/** The events that make mail: the EventBridge rule in infra/constructs/mailer.ts reads this list. */
export const MAILED_EVENT_TYPES = [
  'SignRequestCreated',
  // The changed signer's invitation (counted against the cap by the PATCH that asked for it).
  'SignerChanged',
  'SignersReminded',
  'SignRequestRecalled',
  'SignRequestDeclined',
  // The completion notice: sent once the signed document is sealed, so it can carry it (not on SignRequestCompleted).
  'SignedDocumentReady',
  // The next group of the signing order, invited once the group before it has all signed.
  'SignersInvited',
] as const satisfies readonly DomainEventType[];
const MAILED_EVENTS: ReadonlySet<string> = new Set(MAILED_EVENT_TYPES);

type RecipientOutcome = 'sent' | 'refused' | 'capped' | 'already' | 'stale' | 'failed' | 'out-of-time';

/**
 * Invitations and reminders were counted against the app's daily cap by the call that asked for them (initiate,
 * remind), which refused when over it. Notices were asked for by no such call, and are never refused: they are
 * counted here, one batch per try of an event, and those past the cap are dropped (logged, recorded).
 */
const COUNTED_HERE: ReadonlySet<string> = new Set(['RECALLED', 'DECLINED', 'COMPLETED']);
/** The mail that can go stale while it waits: it asks a signer to sign a request that may have closed since. */
const ASKS_TO_SIGN: ReadonlySet<string> = new Set(['INVITATION', 'REMINDER']);

/**
 * A domain event --> the request as stored --> the mail the event asks for (functions/notifications/mail-content.ts),
 * each message on its own. Each recipient's outcome is recorded by event and recipient (functions/store/notices.ts):
 * a retried message skips whoever was told or refused for good, so a retry repeats nobody and one refusal blocks
 * nobody. A permanent refusal is logged and recorded, never retried; a transient failure, or running out of the
 * message's time, retries the message for the recipients still untold. Sends wait for the send rate (SES's
 * per-second limit). Logs name recipients by a hash and never hold a link.
 *
 * Each message is decided on the request as it stands when it is sent: read again (a consistent read) right before
 * each send, it goes out only if it still fits (functions/notifications/mail-fit.ts). An invitation whose request
 * was recalled, or whose signer signed, while the message waited is not sent at all.
 */
export const sendMailForEvent = async (
  deps: MailerDependencies,
  event: DomainEvent,
  { attempt, deadline }: HandlingContext,
): Promise<Handled> => {
  const facts = { eventId: event.eventId, eventType: event.type, signRequestId: event.signRequestId, attempt };
  if (!MAILED_EVENTS.has(event.type)) {
    deps.logger.debug('no mail for this event', facts);
    return 'done';
  }
  const request = await deps.signRequests.get(event.signRequestId);
  if (!request || request.appId !== event.appId) {
    // Requests are never deleted, so this is not a timing matter that a retry could fix.
    deps.logger.error('request not found: no mail sent', facts);
    return 'done';
  }
  const outcomes: RecipientOutcome[] = [];
  const now = (deps.now?.() ?? new Date()).toISOString();
  // Who is still to be told: not stale, not told (or refused, or capped) by an earlier try, not named twice.
  const untold: { mail: Mail; recipient: string }[] = [];
  const seen = new Set<string>();
  for (const mail of await withSignedDocument(deps, request, mailFor(request, event, deps.linkFor))) {
    const recipient = recipientOf(mail);
    if (!mailStillFits(mail, request, now)) outcomes.push('stale');
    else if (seen.has(recipient) || (await deps.notices.outcomeOf(mail.eventId, recipient))) outcomes.push('already');
    else untold.push({ mail, recipient });
    seen.add(recipient);
  }
  const counted = await countNotices(deps, request.appId, untold, facts);
  outcomes.push(...[...counted.capped].map(() => 'capped' as const));
  let countedUnsent = counted.taken;
  for (const { mail, recipient } of untold) {
    if (counted.capped.has(mail)) continue;
    const outcome = await sendOne(deps, mail, recipient, deadline, facts);
    outcomes.push(outcome);
    if (COUNTED_HERE.has(mail.kind) && outcome !== 'out-of-time') countedUnsent--;
    if (outcome === 'out-of-time') break;
  }
  // Notices counted for this try and never handed to the mail service are given back: the retry counts them again.
  // One whose send failed stays counted, the safe side of a cap (the mail service may have taken it).
  if (countedUnsent > 0) await deps.mailCap.giveBack(event.appId, countedUnsent, counted.at);
  const count = (wanted: RecipientOutcome) => outcomes.filter((outcome) => outcome === wanted).length;
  const summary = {
    sent: count('sent'),
    refused: count('refused'),
    capped: count('capped'),
    already: count('already'),
    stale: count('stale'),
  };
  const unfinished = count('failed') + count('out-of-time');
  if (unfinished === 0) {
    deps.logger.info('mail sent', { ...facts, ...summary });
    return 'done';
  }
  deps.logger.warn('some mail not sent yet, will retry for those recipients only', {
    ...facts,
    ...summary,
    unfinished,
  });
  return 'retry';
};

/**
 * The completion notices with the signed document attached, when it is small enough (attachesSignedDocument): read
 * once for all of them. A recorded document missing from the bucket throws, so the message is retried.
 */
const withSignedDocument = async (
  deps: MailerDependencies,
  request: SignRequest,
  mail: readonly Mail[],
): Promise<readonly Mail[]> => {
  const record = request.signedDocument;
  if (!record || !attachesSignedDocument(record.size) || !mail.some((each) => each.kind === 'COMPLETED')) return mail;
  const bytes = await deps.documents.read(record.key);
  if (!bytes) throw new Error(`the signed document of sign request ${request.id} is missing from the bucket`);
  const attachment = {
    fileName: signedDocumentFileName(request.documentName),
    contentType: 'application/pdf' as const,
    bytes,
  };
  return mail.map((each) => (each.kind === 'COMPLETED' ? { ...each, attachment } : each));
};

/**
 * Counts this try's notices against the app's daily cap in one batch: as many as fit, in the order they go out
 * (one write to the app's cap item, a few when the batch does not fit whole), so a notice to 1,000 people is not
 * 1,000 writes to one item. Those past the cap are dropped, logged and recorded.
 */
const countNotices = async (
  deps: MailerDependencies,
  appId: string,
  untold: readonly { mail: Mail; recipient: string }[],
  facts: Record<string, unknown>,
): Promise<{ taken: number; capped: ReadonlySet<Mail>; at: string }> => {
  const notices = untold.filter(({ mail }) => COUNTED_HERE.has(mail.kind));
  const at = (deps.now?.() ?? new Date()).toISOString();
  if (notices.length === 0) return { taken: 0, capped: new Set(), at };
  const taken = await deps.mailCap.takeUpTo(appId, notices.length, at);
  const capped = notices.slice(taken);
  for (const { mail, recipient } of capped) {
    deps.logger.warn('daily mail cap reached: notice dropped', {
      ...facts,
      kind: mail.kind,
      signerId: mail.signerId,
      recipient,
    });
    await deps.notices.record(mail.eventId, recipient, 'capped', at);
  }
  return { taken, capped: new Set(capped.map(({ mail }) => mail)), at };
};

const sendOne = async (
  deps: MailerDependencies,
  mail: Mail,
  recipient: string,
  deadline: number,
  facts: Record<string, unknown>,
): Promise<RecipientOutcome> => {
  const who = { ...facts, kind: mail.kind, signerId: mail.signerId, recipient };
  // A notice was counted before its send rate's token (countNotices), so the send follows its token at once.
  if (!(await deps.sendRate.take(deadline))) return 'out-of-time';
  const at = (deps.now?.() ?? new Date()).toISOString();
  if (ASKS_TO_SIGN.has(mail.kind)) {
    // Read again after the wait for the send rate, so nothing stands between this decision and the send but the
    // mail service's own call: a recall or signature that landed earlier is seen here. (A notice needs no second
    // read: it tells of a closed state, and closed states are final.)
    const current = await deps.signRequests.get(mail.signRequestId);
    if (!current || !mailStillFits(mail, current, at)) {
      deps.logger.info('mail no longer fits the request: not sent', who);
      return 'stale';
    }
  }
  try {
    await deps.notifier.send(mail);
  } catch (error) {
    if (error instanceof NotificationRefused) {
      deps.logger.warn('notification refused for good: not retried', { ...who, reason: error.reason });
      await deps.notices.record(mail.eventId, recipient, 'refused', at);
      return 'refused';
    }
    // The error's name only: a mail service's message may quote the address.
    const reason = error instanceof Error ? error.name : 'unknown';
    deps.logger.warn('notification failed, will retry this recipient', { ...who, reason });
    return 'failed';
  }
  // Should this record be lost, the retry sends once more: at least once, as documented.
  await deps.notices.record(mail.eventId, recipient, 'sent', at).catch((error: unknown) => {
    deps.logger.error('notification sent but not recorded: a retry may send it again', { ...who, error });
  });
  return 'sent';
};
