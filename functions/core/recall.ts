import { newId } from './ids.ts';
import type { DomainError } from './errors.ts';
import { refusals } from './errors.ts';
import {
  matchesExpected,
  SignRequestStatus,
  type ExpectedVersions,
  type HistoryEntry,
  type RecallRecord,
  type SignRequest,
} from './sign-request.ts';

export interface RecallCommand {
  signRequestId: string;
  appId: string;
  reason: string;
  by: string;
  /** The versions If-Match names: the recall lands only on one of them (folded into its one write). */
  expectedVersions?: ExpectedVersions;
  /** False: nobody is e-mailed about this recall. */
  notifySigners?: false;
}

/** What the one conditional write of a recall sets, besides the status; `callId` marks it as this call's. */
export const recallRecord = (command: RecallCommand, at: string, callId: string = newId()): RecallRecord => ({
  reason: command.reason,
  by: command.by,
  at,
  ...(command.notifySigners === false ? { notifySigners: false as const } : {}),
  callId,
});

/**
 * The refused write found this call's own recall: an earlier attempt landed and its answer was lost (a reset, a
 * timeout, a 500 that "may have succeeded"), and the SDK's retry failed its own condition. It answers as the
 * attempt that landed would have.
 */
export const isOwnRecall = (current: SignRequest | undefined, callId: string): boolean =>
  current?.status === SignRequestStatus.Cancelled && current.recall?.callId === callId;

export const recallHistoryEntry = (record: RecallRecord): HistoryEntry => ({
  at: record.at,
  event: 'RECALLED',
  by: record.by,
});

/**
 * Why a recall's conditional write was refused, decided from the item as it stood when the write failed; undefined
 * when nothing refuses it and the write only lost to a change stamped later than the recall's own time (the
 * recall then tries again with a fresh time, so that history and signature times never run backwards).
 * Another app's request answers exactly like a missing one, so a caller cannot learn that it exists. A stale
 * If-Match is the caller's view being out of date, whatever the state: 412 comes before any state's refusal (as
 * RFC 9110 evaluates preconditions before the method), so a recall of a request cancelled since it was read is
 * 412, and one read cancelled, with that ETag, is 409.
 */
export const recallRefusal = (
  current: SignRequest | undefined,
  appId: string,
  at: string,
  expectedVersions?: ExpectedVersions,
): DomainError | undefined => {
  if (!current || current.appId !== appId) return refusals.signRequestNotFound();
  if (!matchesExpected(current, expectedVersions)) return refusals.preconditionFailed();
  switch (current.status) {
    case SignRequestStatus.Cancelled:
      return refusals.alreadyCancelled();
    case SignRequestStatus.Completed:
      return refusals.alreadyCompleted();
    case SignRequestStatus.Expired:
      return refusals.expiredNotRecallable();
    case SignRequestStatus.Declined:
      return refusals.alreadyDeclined();
    case SignRequestStatus.Pending:
    case SignRequestStatus.PartiallySigned:
      // Signed by all, its completing write a moment away: it is completed in all but the label.
      if (current.signedCount >= current.signerCount) return refusals.alreadyCompleted();
      // Past its deadline, a request is expired to its signers; the expiry job is only catching up.
      if (current.expiresAt !== undefined && Date.parse(current.expiresAt) <= Date.parse(at)) {
        return refusals.expiredNotRecallable();
      }
      return undefined;
  }
};
