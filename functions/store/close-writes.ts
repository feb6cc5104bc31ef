import { declineHistoryEntry } from '../core/decline.ts';
import type { SignerProofGiven } from '../core/signing.ts';
import type { Evidence } from '../core/evidence.ts';
import { recallHistoryEntry } from '../core/recall.ts';
import { declineRule, expiryRule, leaveExpiryIndexRule, recallRule } from '../core/rules.ts';
import {
  SignRequestStatus,
  type DeclineRecord,
  type ExpectedVersions,
  type HistoryEntry,
  type RecallRecord,
} from '../core/sign-request.ts';
import { append, increment, remove, set, type UpdateAction } from './expressions.ts';
import type { SignRequestTable } from './sign-request-table.ts';
import { Gsi2 } from './table.ts';
import type { WriteResult } from './write-result.ts';

/** A closed request leaves the expiry index, which therefore holds only open requests with a deadline. */
export const LEAVE_EXPIRY_INDEX: UpdateAction[] = remove([Gsi2.partitionKey], [Gsi2.sortKey]);

/** Moves an open request to a final state with its history entry: the one write of recall, decline and expiry. */
const closing = (status: SignRequestStatus, entry: HistoryEntry, ...more: UpdateAction[]): UpdateAction[] => [
  set(['status'], status),
  ...more,
  set(['updatedAt'], entry.at),
  increment(['version']),
  append(['history'], [entry]),
  ...LEAVE_EXPIRY_INDEX,
];

/**
 * The recall: one conditional write, landing only on the app's own request while it is open, not signed by all,
 * before its deadline and after its last change (core/rules.ts `recallRule`, If-Match folded in). Refused, it
 * answers the request as it stood, from which the recall workflow decides the refusal by the same rule.
 */
export const recall = (
  table: SignRequestTable,
  signRequestId: string,
  appId: string,
  record: RecallRecord,
  expectedVersions?: ExpectedVersions,
  evidence: Evidence = {},
): Promise<WriteResult> =>
  table.update(signRequestId, {
    rule: recallRule({ appId, at: record.at, expectedVersions }),
    update: closing(SignRequestStatus.Cancelled, recallHistoryEntry(record, evidence), set(['recall'], record)),
  });

/**
 * A signer declines: the recall's one conditional write, landing only while that signer has not signed (and the
 * request is open, not signed by all, before its deadline and after its last change). So exactly one of a
 * recall, a decline and the last signature wins.
 */
export const decline = (
  table: SignRequestTable,
  signRequestId: string,
  record: DeclineRecord,
  evidence: Evidence = {},
  proof: SignerProofGiven = {},
): Promise<WriteResult> =>
  table.update(signRequestId, {
    rule: declineRule({ signerId: record.signerId, at: record.at }),
    update: closing(
      SignRequestStatus.Declined,
      declineHistoryEntry(record, evidence, proof.proof),
      set(['decline'], record),
      ...(proof.resetsFailedProofs ? [set(['signers', record.signerId, 'failedProofs'], 0)] : []),
    ),
  });

/**
 * Expiry: the same one conditional write as a recall, for a request whose deadline has passed and that is
 * still open. Refused when it had already closed (signed, recalled or expired) or is not due.
 */
export const expire = (table: SignRequestTable, id: string, now: string): Promise<WriteResult> =>
  table.update(id, {
    rule: expiryRule(now),
    update: closing(SignRequestStatus.Expired, { at: now, event: 'EXPIRED' }),
  });

/**
 * Takes a closed request out of the expiry index, where only open ones belong: one left there (by a write from
 * before closes left the index) could never be expired and would be read again on every run.
 */
export const leaveExpiryIndex = (table: SignRequestTable, id: string): Promise<WriteResult> =>
  table.update(id, { rule: leaveExpiryIndexRule, update: LEAVE_EXPIRY_INDEX });
