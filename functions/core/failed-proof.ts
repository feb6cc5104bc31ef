import { evidenceFields, type Evidence } from './evidence.ts';
import { refusals, type DomainError } from './errors.ts';
import { refusalOf } from './guards.ts';
import { newId } from './ids.ts';
import { recallHistoryEntry } from './recall.ts';
import { failedProofRule, linkOpenRule, proofResetRule } from './rules.ts';
import {
  isOpen,
  timeAfterLastChange,
  type HistoryEntry,
  type RecallRecord,
  type SignRequest,
  type Signer,
} from './sign-request.ts';
import { LOCK_MS, lockedUntilAfter, lockRefusal, locksAt } from './signer-lock.ts';
import { openSigningLink } from './signing.ts';
import type { SigningToken } from './signing-token.ts';

/** Who recalls a request whose signer gave too many wrong proofs: the service itself, named as such. */
export const SERVICE_RECALLER = 'esign-recall (failed signer proofs)';

const serviceRecallReason = (failedProofs: number): string =>
  `Recalled by the service after ${failedProofs} failed signer proofs`;

/** One wrong proof's write: the signer's new counts, a lock when it is the fifth in a row, a recall at the app's bound. */
export interface FailedProofPlan {
  signRequestId: string;
  signerId: string;
  at: string;
  /** The counts as read, which the write is conditioned on. */
  readFailedProofs: number;
  readFailedProofsTotal: number;
  failedProofs: number;
  failedProofsTotal: number;
  lockedUntil?: string;
  recall?: RecallRecord;
  /** AUTH_FAILED, then RECALLED when this wrong proof recalls the request. */
  history: HistoryEntry[];
  /** The token of this call, on its AUTH_FAILED entry: a retried write that finds it knows the entry is its own. */
  callId: string;
}

export const failedProofGuardsOf = (plan: FailedProofPlan) =>
  failedProofRule({
    signerId: plan.signerId,
    at: plan.at,
    failedProofs: plan.readFailedProofs,
    failedProofsTotal: plan.readFailedProofsTotal,
    recalls: plan.recall !== undefined,
  });

/**
 * What the link of a signer who must give a proof meets before the proof is even looked at: an unknown link
 * (404), a request recalled, declined or expired (410: it serves nothing, so a proof could win nothing there),
 * then a lock (429). Undefined: the proof is to be checked.
 */
export const refusalBeforeProof = (
  request: SignRequest | undefined,
  token: SigningToken,
  now: string,
): { request: SignRequest; signer: Signer } => {
  const opened = openSigningLink(request, token);
  const at = timeAfterLastChange(opened.request, now);
  const refusal = refusalOf(linkOpenRule({ signerId: token.signerId, at }), opened.request);
  if (refusal) throw refusal;
  // At the time the write would be stamped, as the store's guard judges the lock.
  const locked = lockRefusal(opened.signer, at);
  if (locked) throw locked;
  return opened;
};

/**
 * AUTH_FAILED entries a request records at most, whoever the signers: every wrong proof is counted (per signer, in a
 * row and in all), but only the first ones are written into the history, which lives in the request's one item: a
 * forwarded link guessed at for days must not grow the item towards DynamoDB's 400 KB, past which no write (no
 * signature, no recall) could land. Writes racing the last recorded one may each add theirs: a few more at most.
 */
export const MAX_RECORDED_FAILED_PROOFS = 20;

/**
 * A wrong proof, planned from the request as read: refused (thrown) by the first guard its rule fails; else the
 * counts one higher, a lock from the fifth in a row on, and, when the signer's wrong proofs in all reach the
 * request's `recallAfterFailedProofs` while it is open, the service's recall of it in the same write.
 */
export const planFailedProof = (
  request: SignRequest | undefined,
  token: SigningToken,
  now: string,
  evidence: Evidence = {},
  callId: string = newId(),
): FailedProofPlan => {
  const { request: current, signer } = refusalBeforeProof(request, token, now);
  const at = timeAfterLastChange(current, now);
  const readFailedProofs = signer.failedProofs ?? 0;
  const readFailedProofsTotal = signer.failedProofsTotal ?? 0;
  const failedProofs = readFailedProofs + 1;
  const failedProofsTotal = readFailedProofsTotal + 1;
  const bound = current.recallAfterFailedProofs;
  const recalls =
    bound !== undefined &&
    failedProofsTotal === bound &&
    isOpen(current.status) &&
    current.signedCount < current.signerCount;
  const recall: RecallRecord | undefined = recalls
    ? { reason: serviceRecallReason(failedProofsTotal), by: SERVICE_RECALLER, at, callId }
    : undefined;
  const plan: FailedProofPlan = {
    signRequestId: token.signRequestId,
    signerId: token.signerId,
    at,
    readFailedProofs,
    readFailedProofsTotal,
    failedProofs,
    failedProofsTotal,
    ...(locksAt(failedProofs) ? { lockedUntil: lockedUntilAfter(at) } : {}),
    ...(recall ? { recall } : {}),
    history: [
      ...(current.history.filter((entry) => entry.event === 'AUTH_FAILED').length < MAX_RECORDED_FAILED_PROOFS
        ? [{ at, event: 'AUTH_FAILED' as const, signerId: token.signerId, callId, ...evidenceFields(evidence) }]
        : []),
      ...(recall ? [recallHistoryEntry(recall)] : []),
    ],
    callId,
  };
  const refusal = refusalOf(failedProofGuardsOf(plan), current);
  if (refusal) throw refusal;
  return plan;
};

/** The refused write found this call's own wrong proof recorded: an earlier attempt landed, its answer lost. */
export const isOwnFailedProof = (current: SignRequest | undefined, plan: FailedProofPlan): boolean =>
  current?.signers[plan.signerId]?.failedProofCallId === plan.callId;

/** What the signer is told of their wrong proof once it is counted: 429 when it locked them, else 401. */
export const failedProofAnswer = (plan: FailedProofPlan): DomainError =>
  plan.lockedUntil !== undefined ? refusals.signerLocked(LOCK_MS / 1000) : refusals.signerProofInvalid();

export interface ProofResetPlan {
  signRequestId: string;
  signerId: string;
  at: string;
  failedProofs: number;
}

/** The reset's guards (core/rules.ts `proofResetRule`) for a plan. */
export const proofResetGuardsOf = (plan: ProofResetPlan) => proofResetRule(plan);
