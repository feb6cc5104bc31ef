import { describe, expect, it } from 'vitest';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import type { SignaturePlan } from '../../functions/core/signing.ts';
import { MAX_CONFLICT_ATTEMPTS } from '../../functions/workflows/retry.ts';
import { signSignRequest } from '../../functions/workflows/sign.ts';
import { FakeSignRequests } from '../support/fake-sign-requests.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-06-06T10:00:00.000Z';
const EARLIER = '2030-06-06T09:00:00.000Z';
const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

/** A request of `signers` signers, last changed an hour ago, in the fake store; pauses recorded, never slept. */
const setup = (signers = 2, overrides: Partial<SignRequest> = {}) => {
  const { request, tokens } = freshRequest(signers, { updatedAt: EARLIER, ...overrides });
  const store = new FakeSignRequests(request);
  const pauses: number[] = [];
  const deps = {
    signRequests: store,
    clock: () => NOW,
    pause: (attempt: number) => {
      pauses.push(attempt);
      return Promise.resolve();
    },
  };
  return { request, tokens, store, pauses, deps };
};

/** The signature another call lands for `signerId` (another tab, or another signer), as its write would. */
const signedBy = (request: SignRequest, signerId: string, at: string, callId = 'OTHER-CALL'): SignRequest => ({
  ...request,
  status: request.signedCount + 1 === request.signerCount ? 'COMPLETED' : 'PARTIALLY_SIGNED',
  signedCount: request.signedCount + 1,
  // One signer fewer pending in the one group these requests have, as the write keeps count.
  ...(request.currentGroupPending === undefined ? {} : { currentGroupPending: request.currentGroupPending - 1 }),
  updatedAt: at,
  version: request.version + 1,
  signers: {
    ...request.signers,
    [signerId]: { ...request.signers[signerId]!, status: 'SIGNED', signedAt: at, signedName: 'Other', callId },
  },
});

const plans = (store: FakeSignRequests) => store.writesOf('applySignature').map(([plan]) => plan as SignaturePlan);

describe('signSignRequest', () => {
  it('signs with the name given, in one write, leaving the request partially signed', async () => {
    const { tokens, store, deps, request } = setup(2);
    const signature = await signSignRequest(deps, tokens[0]!, 'Ann Signer');
    expect(signature.status).toBe('PARTIALLY_SIGNED');
    expect(signature.plan).toMatchObject({ at: NOW, signedName: 'Ann Signer', completes: false, lastButOne: 1 });
    const stored = store.stored(request.id)!;
    expect(stored).toMatchObject({ status: 'PARTIALLY_SIGNED', signedCount: 1, updatedAt: NOW });
    expect(stored.signers[tokens[0]!.signerId]).toMatchObject({
      status: 'SIGNED',
      signedAt: NOW,
      signedName: 'Ann Signer',
      callId: signature.plan.callId,
    });
    expect(stored.signers[tokens[1]!.signerId]!.status).toBe('PENDING');
    expect(plans(store)).toHaveLength(1);
  });

  it('signs with the signer’s own name when given none; the last signature completes the request', async () => {
    const { tokens, store, deps, request } = setup(2, { expiresAt: '2030-07-01T00:00:00.000Z' });
    await signSignRequest(deps, tokens[0]!, undefined);
    expect(store.items.get(request.id)!.gsi2pk).toBeDefined();
    const last = await signSignRequest(deps, tokens[1]!, undefined);
    expect(last.status).toBe('COMPLETED');
    expect(last.plan.signedName).toBe('S1');
    expect(store.stored(request.id)).toMatchObject({ status: 'COMPLETED', signedCount: 2 });
    // Completed in the same write, which also takes it out of the expiry index.
    expect(store.items.get(request.id)!.gsi2pk).toBeUndefined();
  });

  it('answers as the landed attempt would when the retried write finds this call’s own signature', async () => {
    const { tokens, store, deps, request } = setup(1);
    store.faults = ['lost-as-refusal'];
    const signature = await signSignRequest(deps, tokens[0]!, undefined);
    expect(signature.status).toBe('COMPLETED');
    expect(plans(store)).toHaveLength(1);
    expect(store.stored(request.id)).toMatchObject({ status: 'COMPLETED', signedCount: 1 });
  });

  it('reads back a write whose answer was lost outright, and answers its own signature found there', async () => {
    const { tokens, store, deps, request } = setup(2);
    store.faults = ['lost'];
    const signature = await signSignRequest(deps, tokens[0]!, undefined);
    expect(signature.status).toBe('PARTIALLY_SIGNED');
    expect(plans(store)).toHaveLength(1);
    // The first read, then the read-back.
    expect(store.reads).toEqual([request.id, request.id]);
  });

  it('passes the error up when the write did not land, or certainly did not, and signs nothing', async () => {
    const { tokens, store, deps, request } = setup(2);
    store.faults = ['unreached'];
    await expect(signSignRequest(deps, tokens[0]!, undefined)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(store.reads).toEqual([request.id, request.id]);
    store.faults = ['throttled'];
    await expect(signSignRequest(deps, tokens[0]!, undefined)).rejects.toMatchObject({ name: 'ThrottlingException' });
    // A throttled write is not read back: only the second call's first read.
    expect(store.reads).toHaveLength(3);
    expect(store.stored(request.id)!.signedCount).toBe(0);
  });

  it('plans again at once when another signer got there first, and completes the request itself', async () => {
    const { tokens, store, deps, request, pauses } = setup(2);
    store.beforeWrite = (current, attempt) =>
      attempt === 1 ? signedBy(current!, tokens[1]!.signerId, plusMs(EARLIER, 1)) : current;
    const signature = await signSignRequest(deps, tokens[0]!, undefined);
    expect(signature.status).toBe('COMPLETED');
    expect(plans(store).map((plan) => plan.completes)).toEqual([false, true]);
    // One call, one callId, whatever the attempt.
    expect(new Set(plans(store).map((plan) => plan.callId)).size).toBe(1);
    expect(store.stored(request.id)).toMatchObject({ status: 'COMPLETED', signedCount: 2 });
    expect(pauses).toEqual([]);
  });

  it('recognises its own signature on a later attempt by the call’s one callId', async () => {
    const { tokens, store, deps } = setup(2);
    store.beforeWrite = (current, attempt) =>
      attempt === 1 ? signedBy(current!, tokens[1]!.signerId, plusMs(EARLIER, 1)) : current;
    store.faults = [undefined, 'lost-as-refusal'];
    expect((await signSignRequest(deps, tokens[0]!, undefined)).status).toBe('COMPLETED');
    expect(plans(store)).toHaveLength(2);
  });

  it('gives the recall’s refusal to a signer whose write a recall beat, writing nothing more', async () => {
    const { tokens, store, deps } = setup(2);
    store.beforeWrite = (current) => ({
      ...current!,
      status: 'CANCELLED',
      updatedAt: NOW,
      recall: { reason: 'Wrong file', by: 'Ops', at: NOW },
    });
    await expect(signSignRequest(deps, tokens[0]!, undefined)).rejects.toMatchObject({
      code: 'SIGN_REQUEST_CANCELLED',
    });
    expect(plans(store)).toHaveLength(1);
  });

  it('answers 409 ALREADY_SIGNED when the same signer’s other call signed first', async () => {
    const { tokens, store, deps } = setup(2);
    store.beforeWrite = (current) => signedBy(current!, tokens[0]!.signerId, plusMs(EARLIER, 1));
    await expect(signSignRequest(deps, tokens[0]!, undefined)).rejects.toMatchObject({ code: 'ALREADY_SIGNED' });
    expect(plans(store)).toHaveLength(1);
  });

  it('gives up with 503 after MAX_CONFLICT_ATTEMPTS writes, pausing after each refusal but the first', async () => {
    const { tokens, store, deps, request, pauses } = setup(2);
    // Every write meets a change stamped two hours after the last: later than its own time.
    store.beforeWrite = (current) => ({ ...current!, updatedAt: plusMs(current!.updatedAt, 7_200_000) });
    await expect(signSignRequest(deps, tokens[0]!, undefined)).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(plans(store)).toHaveLength(MAX_CONFLICT_ATTEMPTS);
    expect(pauses).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(store.stored(request.id)!.signedCount).toBe(0);
  });

  it('refuses a link to no request without writing', async () => {
    const { tokens, store, deps } = setup(1);
    await expect(
      signSignRequest(deps, { ...tokens[0]!, signRequestId: '01HV6MEARQD3X8ZXXX5FR3YDB8' }, undefined),
    ).rejects.toMatchObject({ code: 'SIGNING_LINK_NOT_FOUND' });
    expect(store.writes).toEqual([]);
  });

  it('stamps the signature with the system clock when given none', async () => {
    const { tokens, store } = setup(1, { updatedAt: '2020-01-01T00:00:00.000Z' });
    const before = Date.now();
    const { plan } = await signSignRequest({ signRequests: store }, tokens[0]!, undefined);
    expect(Date.parse(plan.at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(plan.at)).toBeLessThanOrEqual(Date.now());
  });

  it('pauses with its own jitter when given no pause, and signs once the changes stop', async () => {
    const { tokens, store, request } = setup(1);
    store.beforeWrite = (current, attempt) =>
      attempt <= 2 ? { ...current!, updatedAt: plusMs(current!.updatedAt, 7_200_000) } : current;
    expect((await signSignRequest({ signRequests: store, clock: () => NOW }, tokens[0]!, undefined)).status).toBe(
      'COMPLETED',
    );
    expect(store.stored(request.id)!.status).toBe('COMPLETED');
    expect(plans(store)).toHaveLength(3);
  });
});
