import type { DomainError } from './errors.ts';
import { refusals } from './errors.ts';
import { SignRequestStatus, type HistoryEntry, type RecallRecord, type SignRequest } from './sign-request.ts';

export interface RecallCommand {
  signRequestId: string;
  appId: string;
  reason: string;
  by: string;
}

/** What the one conditional write of a recall sets, besides the status. */
export const recallRecord = (command: RecallCommand, at: string): RecallRecord => ({
  reason: command.reason,
  by: command.by,
  at,
});

export const recallHistoryEntry = (record: RecallRecord): HistoryEntry => ({
  at: record.at,
  event: 'RECALLED',
  by: record.by,
});

/**
 * Why a recall's conditional write was refused, decided from the item as it stood when the write failed.
 * Another app's request answers exactly like a missing one, so a caller cannot learn that it exists.
 */
export const recallRefusal = (current: SignRequest | undefined, appId: string): DomainError => {
  if (!current || current.appId !== appId) return refusals.signRequestNotFound();
  switch (current.status) {
    case SignRequestStatus.Cancelled:
      return refusals.alreadyCancelled();
    case SignRequestStatus.Completed:
      return refusals.alreadyCompleted();
    case SignRequestStatus.Expired:
      return refusals.expiredNotRecallable();
    case SignRequestStatus.Pending:
    case SignRequestStatus.PartiallySigned:
      // States only move forward, so a write refused in an open state means the item broke an invariant.
      throw new Error(`recall refused while the request is ${current.status}`);
  }
};
