import { describe, expect, it } from 'vitest';
import {
  failedProofAnswer,
  failedProofGuardsOf,
  isOwnFailedProof,
  planFailedProof,
  refusalBeforeProof,
} from '../../functions/core/failed-proof.ts';
import { explain } from '../../functions/core/guards.ts';
import type { SignRequest, Signer } from '../../functions/core/sign-request.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-01-01T00:00:00.000Z';
const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

const withProof = (overrides: Partial<SignRequest> = {}, signerFields: Partial<Signer> = {}) => {
  const { request, tokens } = freshRequest(2, { updatedAt: plusMs(NOW, -1000), ...overrides });
  const token = tokens[0]!;
  request.signers[token.signerId] = {
    ...request.signers[token.signerId]!,
    proof: { kind: 'ACCESS_CODE', hash: 'scrypt$1$1$1$a$b' },
    ...signerFields,
  };
  return { request, token };
};

describe('refusalBeforeProof', () => {
  it('hands back the request and the signer when the link is alive and the signer not locked', () => {
    const { request, token } = withProof();
    const opened = refusalBeforeProof(request, token, NOW);
    expect(opened.request).toBe(request);
    expect(opened.signer).toBe(request.signers[token.signerId]);
  });

  it('throws 410 for a recalled request and 429 for a locked signer, on its own (before any plan)', () => {
    const recalled = withProof({ status: 'CANCELLED', recall: { reason: 'r', by: 'b', at: plusMs(NOW, -1000) } });
    expect(() => refusalBeforeProof(recalled.request, recalled.token, NOW)).toThrow(
      expect.objectContaining({ code: 'SIGN_REQUEST_CANCELLED' }),
    );
    const locked = withProof({}, { lockedUntil: plusMs(NOW, 1000) });
    expect(() => refusalBeforeProof(locked.request, locked.token, NOW)).toThrow(
      expect.objectContaining({ code: 'SIGNER_LOCKED' }),
    );
  });
});

describe('failedProofGuardsOf', () => {
  it('holds a wrong proof that recalls to a request still open; one that does not recall is not held to it', () => {
    const recalling = withProof({ recallAfterFailedProofs: 1 });
    const recallPlan = planFailedProof(recalling.request, recalling.token, NOW);
    expect(recallPlan.recall).toBeDefined();
    const plain = withProof();
    const plainPlan = planFailedProof(plain.request, plain.token, NOW);
    expect(plainPlan.recall).toBeUndefined();
    // Both pass on the request as read.
    expect(explain(failedProofGuardsOf(recallPlan), recalling.request)).toBeUndefined();
    expect(explain(failedProofGuardsOf(plainPlan), plain.request)).toBeUndefined();
    // Completed since the read (same time stamp, so only the open guard can tell): the recall must not land.
    const completedSince = (request: SignRequest): SignRequest => ({
      ...request,
      status: 'COMPLETED',
      signedCount: request.signerCount,
    });
    expect(explain(failedProofGuardsOf(recallPlan), completedSince(recalling.request))).toBe('retry');
    expect(explain(failedProofGuardsOf(plainPlan), completedSince(plain.request))).toBeUndefined();
  });
});

describe('isOwnFailedProof', () => {
  it("is true only when the signer's recorded wrong proof carries this call's id", () => {
    const { request, token } = withProof();
    const plan = planFailedProof(request, token, NOW, {}, 'CALL-1');
    const recorded = (callId: string | undefined): SignRequest => ({
      ...request,
      signers: {
        ...request.signers,
        [token.signerId]: { ...request.signers[token.signerId]!, failedProofCallId: callId },
      },
    });
    expect(isOwnFailedProof(recorded('CALL-1'), plan)).toBe(true);
    expect(isOwnFailedProof(recorded('CALL-2'), plan)).toBe(false);
    expect(isOwnFailedProof(request, plan)).toBe(false);
    expect(isOwnFailedProof(undefined, plan)).toBe(false);
    expect(isOwnFailedProof({ ...request, signers: {} }, plan)).toBe(false);
  });
});

describe('failedProofAnswer', () => {
  it('answers 429 with the 15-minute lock when the wrong proof locked the signer, else 401', () => {
    const locking = withProof({}, { failedProofs: 4, failedProofsTotal: 4 });
    const locked = failedProofAnswer(planFailedProof(locking.request, locking.token, NOW));
    expect(locked).toMatchObject({ code: 'SIGNER_LOCKED', kind: 'too-many', retryAfterSeconds: 15 * 60 });
    const once = withProof();
    const invalid = failedProofAnswer(planFailedProof(once.request, once.token, NOW));
    expect(invalid).toMatchObject({ code: 'SIGNER_PROOF_INVALID', kind: 'unauthenticated' });
  });
});
