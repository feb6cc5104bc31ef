import { evidenceFields, type Evidence } from './evidence.ts';
import { newId } from './ids.ts';
import type { DomainError } from './errors.ts';
import { refusalOf } from './guards.ts';
import { recallRule } from './rules.ts';
import {
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
  /** Where the recall came from (the app's server): written on its RECALLED history entry, not on the record. */
  evidence?: Evidence;
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

export const recallHistoryEntry = (record: RecallRecord, evidence: Evidence = {}): HistoryEntry => ({
  at: record.at,
  event: 'RECALLED',
  by: record.by,
  ...evidenceFields(evidence),
});

/**
 * Why a recall's conditional write was refused, decided from the item as it stood when the write failed by the
 * recall's rule (core/rules.ts `recallRule`, whose order is the precedence: 404, then 412, then the state's 409s);
 * undefined when nothing refuses it and the write only lost to a change stamped later than the recall's own time
 * (the recall then tries again with a fresh time, so that history and signature times never run backwards).
 */
export const recallRefusal = (
  current: SignRequest | undefined,
  appId: string,
  at: string,
  expectedVersions?: ExpectedVersions,
): DomainError | undefined => refusalOf(recallRule({ appId, at, expectedVersions }), current);
