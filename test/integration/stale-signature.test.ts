import { describe, expect, it } from 'vitest';
import { planSignature } from '../../functions/core/signing.ts';
import { deriveSigningSecret } from '../../functions/core/signing-token.ts';
import { appStore, signRequests } from '../support/dependencies.ts';
import { newSignRequest } from '../../functions/core/initiate.ts';
import { recallSignRequest } from '../../functions/workflows/recall.ts';
import { signSignRequest } from '../../functions/workflows/sign.ts';
import { expectConsistent } from '../support/invariants.ts';
import { newApp } from '../support/service.ts';

/**
 * The worst interleaving, forced step by step rather than hoped for: the last signer reads an open request,
 * a recall lands, and only then does the signature try to write what it planned from the stale read.
 */
describe('a signature planned before a recall', () => {
  const open = async (signerCount: number) => {
    const app = await newApp('Interleaving');
    const drawn = await appStore.nextRequestNumber(app.appId);
    if (!drawn.ok) throw new Error('an app without a quota always draws a number');
    const { n } = drawn;
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

    await recallSignRequest({ signRequests }, { signRequestId: id, appId: app.appId, reason: 'mistake', by: 'Ops' });

    expect(await signRequests.applySignature(stalePlan)).toMatchObject({ ok: false, current: { status: 'CANCELLED' } });
    const stored = await signRequests.get(id);
    expect(stored?.status).toBe('CANCELLED');
    expectConsistent(stored!);
    expect(() => planSignature(stored, tokens[0]!, new Date().toISOString(), undefined)).toThrow(
      expect.objectContaining({ code: 'SIGN_REQUEST_CANCELLED' }),
    );
  });

  it('lets two signers planned from the same read both land: the one wrongly planned as not last is planned again', async () => {
    const { id, tokens } = await open(2);
    const before = await signRequests.get(id);
    const [planA, planB] = tokens.map((token) => planSignature(before, token, new Date().toISOString(), undefined));
    expect([planA!.completes, planB!.completes]).toEqual([false, false]);
    const afterA = await signRequests.applySignature(planA!);
    const refusedB = await signRequests.applySignature(planB!);
    expect(afterA).toMatchObject({ ok: true, request: { status: 'PARTIALLY_SIGNED', signedCount: 1 } });
    // B expected to leave the request partially signed; A made B the last, so the store refuses that guess.
    expect(refusedB).toMatchObject({ ok: false, current: { status: 'PARTIALLY_SIGNED', signedCount: 1 } });
    const replanB = planSignature(
      refusedB.ok ? undefined : refusedB.current,
      tokens[1]!,
      new Date().toISOString(),
      undefined,
    );
    expect(replanB.completes).toBe(true);
    const afterB = await signRequests.applySignature(replanB);
    expect(afterB).toMatchObject({ ok: true, request: { status: 'COMPLETED', signedCount: 2 } });
    expectConsistent((await signRequests.get(id))!);
  });

  it('completes the request with the last signature in one write, out of the expiry index', async () => {
    const { id, tokens } = await open(1);
    const plan = planSignature(await signRequests.get(id), tokens[0]!, new Date().toISOString(), undefined);
    expect(await signRequests.applySignature(plan)).toMatchObject({ ok: true, request: { status: 'COMPLETED' } });
    const stored = (await signRequests.get(id))!;
    expect(stored.history.map((entry) => entry.event)).toEqual(['CREATED', 'SIGNED', 'COMPLETED']);
    expectConsistent(stored);
  });

  it('writes a recall stamped before a signature that landed first again, with a later time', async () => {
    const { app, id, tokens } = await open(2);
    const signedAt = new Date().toISOString();
    await signRequests.applySignature(planSignature(await signRequests.get(id), tokens[0]!, signedAt, undefined));
    const times = [
      new Date(Date.parse(signedAt) - 1_000).toISOString(),
      new Date(Date.parse(signedAt) + 5).toISOString(),
    ];
    let calls = 0;
    const clock = () => {
      const at = times[Math.min(calls, times.length - 1)]!;
      calls++;
      return at;
    };
    await recallSignRequest(
      { signRequests, clock },
      { signRequestId: id, appId: app.appId, reason: 'mistake', by: 'Ops' },
    );
    expect(calls).toBe(2);
    const stored = await signRequests.get(id);
    expect(stored?.recall?.at).toBe(times[1]);
    expectConsistent(stored!);
  });

  it('stamps a recall whose clock is seconds behind the last change just after it: two writes, no waiting', async () => {
    const { app, id, tokens } = await open(2);
    const ahead = new Date(Date.now() + 5_000).toISOString();
    await signSignRequest({ signRequests, clock: () => ahead }, tokens[0]!, undefined);
    const behind = new Date(Date.now() - 5_000).toISOString();
    let writes = 0;
    const counting = {
      recall: (...args: Parameters<typeof signRequests.recall>) => {
        writes++;
        return signRequests.recall(...args);
      },
      get: (id: string) => signRequests.get(id),
    };

    await recallSignRequest(
      { signRequests: counting, clock: () => behind },
      { signRequestId: id, appId: app.appId, reason: 'mistake', by: 'Ops' },
    );

    // The first write lost only on time; the second, stamped from the refused write's item, landed.
    expect(writes).toBe(2);
    const stored = (await signRequests.get(id))!;
    expect(stored.recall?.at).toBe(new Date(Date.parse(ahead) + 1).toISOString());
    expectConsistent(stored);
  });

  it('stamps a signature whose clock is seconds behind the last change just after it, in one write', async () => {
    const { id, tokens } = await open(2);
    const ahead = new Date(Date.now() + 5_000).toISOString();
    await signSignRequest({ signRequests, clock: () => ahead }, tokens[0]!, undefined);
    let writes = 0;
    const counting = {
      get: (signRequestId: string) => signRequests.get(signRequestId),
      recordFailedProof: signRequests.recordFailedProof.bind(signRequests),
      resetFailedProofs: signRequests.resetFailedProofs.bind(signRequests),
      applySignature: (plan: Parameters<typeof signRequests.applySignature>[0]) => {
        writes++;
        return signRequests.applySignature(plan);
      },
    };

    const signed = await signSignRequest(
      { signRequests: counting, clock: () => new Date(Date.now() - 5_000).toISOString() },
      tokens[1]!,
      undefined,
    );

    expect(signed.status).toBe('COMPLETED');
    expect(writes).toBe(1);
    const stored = (await signRequests.get(id))!;
    expect(stored.signers[tokens[1]!.signerId]?.signedAt).toBe(new Date(Date.parse(ahead) + 1).toISOString());
    expectConsistent(stored);
  });

  it('never overwrites an existing request on create', async () => {
    const { id } = await open(1);
    const existing = await signRequests.get(id);
    expect(await signRequests.create({ ...existing!, documentName: 'Overwritten.pdf' })).toMatchObject({
      ok: false,
      current: { id, documentName: 'Lease.pdf' },
    });
    expect((await signRequests.get(id))?.documentName).toBe('Lease.pdf');
  });
});
