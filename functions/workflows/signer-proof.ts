import type { Evidence } from '../core/evidence.ts';
import { refusals } from '../core/errors.ts';
import { failedProofAnswer, isOwnFailedProof, planFailedProof, refusalBeforeProof } from '../core/failed-proof.ts';
import { newId } from '../core/ids.ts';
import type { ProofKind, SignRequest, Signer } from '../core/sign-request.ts';
import { checkSignerProof, proofKindOf } from '../core/signer-proof.ts';
import { openSigningLink } from '../core/signing.ts';
import type { SigningToken } from '../core/signing-token.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { MAX_CONFLICT_ATTEMPTS, pauseAfterConflict } from './retry.ts';
import { settleWrite } from './unknown-outcome.ts';

/** What a caller shows for a signer who must give a proof: a code, or the page's pass (a cookie). */
export interface SignerCredentials {
  /** The code sent in X-Signer-Proof or typed into the page's form. */
  code?: string | undefined;
  /** The page's pass, checked against the request as read: the proof kind it stands for when it holds. */
  pass?: ((request: SignRequest, signerId: string, signer: Signer, now: string) => ProofKind | undefined) | undefined;
}

export interface ProofDependencies {
  signRequests: Pick<SignRequestStore, 'get' | 'recordFailedProof' | 'resetFailedProofs'>;
  clock?: Clock;
  pause?: (attempt: number) => Promise<void>;
}

/**
 * Counts a wrong proof with its one conditional write (store/proof-writes.ts), planned again from what a refused
 * write found; then refuses the caller: 401 SIGNER_PROOF_INVALID, or 429 when this very proof locked the signer.
 * A write refused because the link died or the signer got locked meanwhile gives that refusal instead.
 */
const countWrongProof = async (
  deps: ProofDependencies,
  token: SigningToken,
  read: SignRequest,
  evidence: Evidence,
): Promise<never> => {
  const clock = deps.clock ?? systemClock;
  const callId = newId();
  let current: SignRequest | undefined = read;
  for (let attempt = 1; attempt <= MAX_CONFLICT_ATTEMPTS; attempt++) {
    const plan = planFailedProof(current, token, clock(), evidence, callId);
    const written = await settleWrite(
      deps.signRequests,
      plan.signRequestId,
      () => deps.signRequests.recordFailedProof(plan),
      (found) => isOwnFailedProof(found, plan),
    );
    if (written.ok || isOwnFailedProof(written.current, plan)) throw failedProofAnswer(plan);
    current = written.current;
    if (attempt > 1) await (deps.pause ?? pauseAfterConflict)(attempt);
  }
  throw refusals.tooManyConflicts();
};

/**
 * A signer's proof, checked before the signer sees or does anything, in this order: the link itself (404), a
 * request recalled, declined or expired (410: nothing is served behind it, so no proof is asked or counted
 * there), a lock (429), then the proof (401); the request's other states (409) come after, from the act's own
 * rule. A signer asked for no proof passes at once. Answers the proof the signer gave, for the act's entry.
 */
export const proveSigner = async (
  deps: ProofDependencies,
  token: SigningToken,
  read: SignRequest | undefined,
  credentials: SignerCredentials = {},
  evidence: Evidence = {},
): Promise<ProofKind | undefined> => {
  const { signer } = openSigningLink(read, token);
  const kind = proofKindOf(signer);
  if (kind === undefined) return undefined;
  const now = (deps.clock ?? systemClock)();
  const { request } = refusalBeforeProof(read, token, now);
  if (credentials.pass?.(request, token.signerId, signer, now) === kind) return kind;
  const check = await checkSignerProof(signer, credentials.code, now);
  if (check === 'ok') return kind;
  if (check === 'required') throw refusals.signerProofRequired();
  return countWrongProof(deps, token, request, evidence);
};

/**
 * A right proof sets the signer's wrong ones in a row back to 0, for a call that writes nothing else (a later open,
 * the document, the page's pass). One attempt: refused, a wrong proof or a lock came after it, and counts.
 */
export const resetAfterRightProof = async (
  deps: ProofDependencies,
  token: SigningToken,
  read: SignRequest,
  proof: ProofKind | undefined,
): Promise<void> => {
  const failedProofs = read.signers[token.signerId]?.failedProofs ?? 0;
  if (proof === undefined || failedProofs === 0) return;
  const at = (deps.clock ?? systemClock)();
  await deps.signRequests.resetFailedProofs({
    signRequestId: token.signRequestId,
    signerId: token.signerId,
    at,
    failedProofs,
  });
};

/**
 * A signer proves themselves to the page (POST <link>/proof): read, the proof checked and counted exactly as the
 * JSON link API does, a right one resetting the wrong ones in a row. Answers what the page's pass is issued for.
 */
export const proveForPage = async (
  deps: ProofDependencies,
  token: SigningToken,
  code: string | undefined,
  evidence: Evidence = {},
): Promise<{ request: SignRequest; signer: Signer; proof: ProofKind | undefined }> => {
  const read = await deps.signRequests.get(token.signRequestId);
  const proof = await proveSigner(deps, token, read, { code }, evidence);
  const { request, signer } = openSigningLink(read, token);
  await resetAfterRightProof(deps, token, request, proof);
  return { request, signer, proof };
};
