import { evaluate } from './conditions.ts';
import { refusals, type DomainError } from './errors.ts';
import { refusalOf } from './guards.ts';
import { remindingRule, signerRemindable } from './rules.ts';
import { isSignersTurn } from './signing-order.ts';
import { signersInOrder, SignerStatus, timeAfterLastChange, type SignRequest } from './sign-request.ts';

/** A signer is reminded at most once an hour, whoever asks (the app or the automatic reminders). */
export const REMIND_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Reminders one request may have in all. Each appends a history entry naming its signers (at most about 1.4 KB
 * with 50 signers) to the request's one item, which DynamoDB holds to 400 KB: without a bound, hourly reminders
 * would in time make the item too large to take a signature.
 */
export const MAX_REMINDERS = 100;

export interface RemindPlan {
  /** Signers not signed and not reminded in the last hour: this reminder's recipients. */
  due: string[];
  /** Signers not signed but reminded less than an hour ago, with when they may be reminded again. */
  notYet: { signerId: string; at: string }[];
}

/** A signer reminded at or before this may be reminded again by a reminder at `at` (an hour before it). */
export const remindedBefore = (at: string): string => new Date(Date.parse(at) - REMIND_INTERVAL_MS).toISOString();

/**
 * Whom a reminder at `now` goes to, or why there is none, by the reminder's rules (core/rules.ts `remindingRule`,
 * at the time the write would be stamped): another app's request reads as missing; a closed request (or one past
 * its deadline, or signed by all) has nobody to remind; when every signer left was reminded within the hour, the
 * refusal says how long until the first may be again. Only the current group of the signing order is reminded. When some are due and some are not, the due ones are
 * reminded and the others named with their time.
 */
export const remindPlan = (
  request: SignRequest | undefined,
  appId: string,
  now: string,
): { plan: RemindPlan } | { refusal: DomainError } => {
  const at = request ? timeAfterLastChange(request, now) : now;
  const refusal = refusalOf(remindingRule(appId, at), request);
  if (refusal || !request) return { refusal: refusal ?? refusals.signRequestNotFound() };
  if (request.history.filter((entry) => entry.event === 'REMINDED').length >= MAX_REMINDERS)
    return { refusal: refusals.reminderLimitReached(MAX_REMINDERS) };
  // The current group of the signing order only: a later group was never invited, so is not reminded.
  const pending = signersInOrder(request).filter(
    ([signerId, signer]) => signer.status === SignerStatus.Pending && isSignersTurn(request, signerId),
  );
  const before = remindedBefore(at);
  const due = pending.filter(([id]) => evaluate(signerRemindable(id, before), request)).map(([id]) => id);
  const notYet = pending
    .filter(([id]) => !due.includes(id))
    .map(([signerId, signer]) => ({
      signerId,
      at: new Date(Date.parse(signer.lastRemindedAt ?? at) + REMIND_INTERVAL_MS).toISOString(),
    }));
  if (due.length === 0) {
    const first = Math.min(...notYet.map((entry) => Date.parse(entry.at)));
    return { refusal: refusals.remindTooSoon(Math.max(1, Math.ceil((first - Date.parse(now)) / 1000))) };
  }
  return { plan: { due, notYet } };
};

/**
 * The refused reminder write found its own reminder: an earlier attempt landed and its answer was lost (a reset,
 * a 500 that "may have succeeded"), and the SDK's retry failed its own condition. Found by the call's token on its
 * REMINDED entry, wherever that entry stands: a view or a signature may have landed after it.
 */
export const isOwnReminder = (current: SignRequest | undefined, callId: string): boolean =>
  current?.history.some((entry) => entry.event === 'REMINDED' && entry.callId === callId) ?? false;
