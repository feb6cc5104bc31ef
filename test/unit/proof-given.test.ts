import { describe, expect, it } from 'vitest';
import { planFirstView, planSignature } from '../../functions/core/signing.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { freshRequest } from '../support/requests.ts';

// An act records which proof the signer gave, and a right proof after wrong ones sets the wrong ones in a row back
// to 0 in the act's own write; an act with no proof (none asked) records none and resets nothing.

const NOW = '2030-01-02T00:00:00.000Z';

/** A pending request whose first signer gave `failedProofs` wrong proofs in a row. */
const withFailed = (failedProofs: number | undefined) => {
  const { request, tokens } = freshRequest(2);
  const token = tokens[0]!;
  const signer = { ...request.signers[token.signerId]!, proof: { kind: 'EMAIL' as const } };
  const changed: SignRequest = {
    ...request,
    signers: {
      ...request.signers,
      [token.signerId]: failedProofs === undefined ? signer : { ...signer, failedProofs },
    },
  };
  return { request: changed, token };
};

describe('the proof an act records', () => {
  it('a signature by proof after wrong ones records it and resets the count in its own write', () => {
    const { request, token } = withFailed(3);
    const plan = planSignature(request, token, NOW, undefined, 'CALL', {}, 'EMAIL');
    expect(plan.history[0]).toMatchObject({ event: 'SIGNED', proof: 'EMAIL' });
    expect(plan).toMatchObject({ proof: 'EMAIL', resetsFailedProofs: true });
  });

  it('a signature by proof with no wrong ones before records it and resets nothing', () => {
    for (const failed of [undefined, 0]) {
      const { request, token } = withFailed(failed);
      const plan = planSignature(request, token, NOW, undefined, 'CALL', {}, 'EMAIL');
      expect(plan.history[0]).toMatchObject({ proof: 'EMAIL' });
      expect(plan).not.toHaveProperty('resetsFailedProofs');
    }
  });

  it('an act with no proof records none and resets nothing, whatever the count', () => {
    const { request, token } = withFailed(3);
    const plan = planSignature(request, token, NOW, undefined, 'CALL', {});
    expect(plan.history[0]).not.toHaveProperty('proof');
    expect(plan).not.toHaveProperty('proof');
    expect(plan).not.toHaveProperty('resetsFailedProofs');
  });

  it('a first view records the proof given, and resets the count after wrong ones', () => {
    const { request, token } = withFailed(2);
    const { firstView } = planFirstView(request, token, NOW, {}, 'EMAIL');
    expect(firstView?.history[0]).toMatchObject({ event: 'VIEWED', proof: 'EMAIL' });
    expect(firstView).toMatchObject({ proof: 'EMAIL', resetsFailedProofs: true });
  });
});
