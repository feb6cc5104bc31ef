import { describe, expect, it } from 'vitest';
import { planSignature } from '../../functions/core/signing.ts';
import { deriveSigningSecret } from '../../functions/core/signing-token.ts';
import { appStore, signRequests } from '../../functions/dependencies.ts';
import { newSignRequest } from '../../functions/core/initiate.ts';
import { expectConsistent } from '../support/invariants.ts';
import { newApp } from '../support/service.ts';

/**
 * The worst interleaving, forced step by step rather than hoped for: the last signer reads an open request,
 * a recall lands, and only then does the signature try to write what it planned from the stale read.
 */
describe('a signature planned before a recall', () => {
  const open = async (signerCount: number) => {
    const app = await newApp('Interleaving');
    const n = await appStore.nextRequestNumber(app.appId);
    const key = Buffer.alloc(32, 7);
    const request = newSignRequest(
      {
        appId: app.appId,
        documentName: 'Lease.pdf',
        signers: Array.from({ length: signerCount }, (_, i) => ({ name: `S${i}`, email: `s${i}@example.com` })),
      },
      `KAiZEN-${n}`,
      new Date().toISOString(),
      (id, signerId) => deriveSigningSecret(key, id, signerId),
    );
    await signRequests.create(request);
    const tokens = Object.keys(request.signers).map((signerId) => ({
      signRequestId: request.id,
      signerId,
      secret: deriveSigningSecret(key, request.id, signerId),
    }));
    return { app, id: request.id, tokens };
  };

  it('cannot land once the recall has committed, and the retry is refused as cancelled', async () => {
    const { app, id, tokens } = await open(1);
    const stalePlan = planSignature(await signRequests.get(id), tokens[0]!, new Date().toISOString(), undefined);
    expect(stalePlan.newStatus).toBe('COMPLETED');

    await signRequests.recall(
      { signRequestId: id, appId: app.appId, reason: 'mistake', by: 'Ops' },
      new Date().toISOString(),
    );

    expect(await signRequests.applySignature(stalePlan)).toBe(false);
    const stored = await signRequests.get(id);
    expect(stored?.status).toBe('CANCELLED');
    expectConsistent(stored!);
    expect(() => planSignature(stored, tokens[0]!, new Date().toISOString(), undefined)).toThrow(
      expect.objectContaining({ code: 'SIGN_REQUEST_CANCELLED' }),
    );
  });

  it('cannot land after another signer changed the request either: it must plan again from the new version', async () => {
    const { id, tokens } = await open(2);
    const [first, second] = tokens;
    const planA = planSignature(await signRequests.get(id), first!, new Date().toISOString(), undefined);
    const planB = planSignature(await signRequests.get(id), second!, new Date().toISOString(), undefined);
    // Both planned from version 1, each believing it is not the last: only one may write.
    expect(await signRequests.applySignature(planA)).toBe(true);
    expect(await signRequests.applySignature(planB)).toBe(false);

    const replanned = planSignature(await signRequests.get(id), second!, new Date().toISOString(), undefined);
    expect(replanned.newStatus).toBe('COMPLETED');
    expect(await signRequests.applySignature(replanned)).toBe(true);
    const stored = await signRequests.get(id);
    expect(stored?.status).toBe('COMPLETED');
    expectConsistent(stored!);
  });

  it('never overwrites an existing request on create', async () => {
    const { id } = await open(1);
    const existing = await signRequests.get(id);
    await expect(signRequests.create({ ...existing!, documentName: 'Overwritten.pdf' })).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    expect((await signRequests.get(id))?.documentName).toBe('Lease.pdf');
  });
});
