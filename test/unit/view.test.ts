import { describe, expect, it } from 'vitest';
import { isOpen, type SignRequest } from '../../functions/core/sign-request.ts';
import type { SignRequestStore } from '../../functions/store/sign-requests.ts';
import type { WriteResult } from '../../functions/store/write-result.ts';
import { MAX_CONFLICT_ATTEMPTS } from '../../functions/workflows/retry.ts';
import { viewSigningLink } from '../../functions/workflows/view.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-04-04T08:00:00.000Z';
const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();
type FirstView = Parameters<SignRequestStore['recordFirstView']>[0];

/**
 * The view port in memory, with the real write's condition: a first view lands only on an open request, for a
 * signer with no view yet, at a time no earlier than the request's last change. `beforeWrite` lets a test land
 * another change first (a concurrent call); `lostAnswer` lands the write and answers it refused.
 */
const viewStore = (request: SignRequest) => {
  const state = {
    stored: request,
    writes: [] as FirstView[],
    lostAnswer: false,
    beforeWrite: (current: SignRequest): SignRequest => current,
  };
  const signRequests = {
    get: (id: string) => Promise.resolve(id === state.stored.id ? state.stored : undefined),
    recordFirstView: (plan: FirstView): Promise<WriteResult> => {
      state.writes.push(plan);
      const current = (state.stored = state.beforeWrite(state.stored));
      const signer = current.signers[plan.signerId]!;
      if (!isOpen(current.status) || signer.viewedAt !== undefined || current.updatedAt > plan.at)
        return Promise.resolve({ ok: false, current });
      state.stored = {
        ...current,
        signers: { ...current.signers, [plan.signerId]: { ...signer, viewedAt: plan.at } },
        history: [...current.history, { at: plan.at, event: 'VIEWED', signerId: plan.signerId }],
        updatedAt: plan.at,
        version: current.version + 1,
      };
      return Promise.resolve(state.lostAnswer ? { ok: false, current: state.stored } : { ok: true });
    },
    // These signers give no proof: a proof's writes would be a fault here.
    recordFailedProof: (): Promise<WriteResult> => Promise.reject(new Error('no signer here gives a proof')),
    resetFailedProofs: (): Promise<WriteResult> => Promise.reject(new Error('no signer here gives a proof')),
  };
  return { state, signRequests };
};

describe('viewSigningLink', () => {
  it('records a signer’s first open once, at the time of that open; later opens write nothing', async () => {
    const { request, tokens } = freshRequest(2, { updatedAt: plusMs(NOW, -60_000) });
    const { state, signRequests } = viewStore(request);
    const first = await viewSigningLink({ signRequests, clock: () => NOW }, tokens[0]!);
    expect(first.viewedAt).toBe(NOW);
    expect(first.signer.name).toBe('S0');
    expect(state.stored.signers[tokens[0]!.signerId]!.viewedAt).toBe(NOW);
    const later = await viewSigningLink({ signRequests, clock: () => plusMs(NOW, 5_000) }, tokens[0]!);
    expect(later.viewedAt).toBe(NOW);
    expect(state.writes).toHaveLength(1);
    expect(state.stored.signers[tokens[1]!.signerId]!.viewedAt).toBeUndefined();
  });

  it('takes a refused write that finds its own view (the answer lost) as landed', async () => {
    const { request, tokens } = freshRequest(1, { updatedAt: plusMs(NOW, -60_000) });
    const { state, signRequests } = viewStore(request);
    state.lostAnswer = true;
    expect((await viewSigningLink({ signRequests, clock: () => NOW }, tokens[0]!)).viewedAt).toBe(NOW);
    expect(state.writes).toHaveLength(1);
  });

  it('tries again just after a change that landed first, stamped by a clock ahead of this one', async () => {
    const { request, tokens } = freshRequest(2, { updatedAt: plusMs(NOW, -60_000) });
    const { state, signRequests } = viewStore(request);
    const ahead = plusMs(NOW, 3_000);
    state.beforeWrite = (current) => {
      state.beforeWrite = (unchanged) => unchanged;
      return { ...current, updatedAt: ahead, version: current.version + 1 };
    };
    const view = await viewSigningLink({ signRequests, clock: () => NOW }, tokens[0]!);
    expect(view.viewedAt).toBe(plusMs(ahead, 1));
    expect(state.writes.map((write) => write.at)).toEqual([NOW, plusMs(ahead, 1)]);
  });

  it('answers the view another call recorded first for the same signer, writing no second one', async () => {
    const { request, tokens } = freshRequest(1, { updatedAt: plusMs(NOW, -60_000) });
    const { state, signRequests } = viewStore(request);
    const otherTab = plusMs(NOW, -1_000);
    const signerId = tokens[0]!.signerId;
    state.beforeWrite = (current) => ({
      ...current,
      signers: { [signerId]: { ...current.signers[signerId]!, viewedAt: otherTab } },
    });
    expect((await viewSigningLink({ signRequests, clock: () => NOW }, tokens[0]!)).viewedAt).toBe(otherTab);
    expect(state.writes).toHaveLength(1);
  });

  it('gives up with 503 SERVICE_UNAVAILABLE after as many refusals as it may try', async () => {
    const { request, tokens } = freshRequest(1, { updatedAt: plusMs(NOW, -60_000) });
    const { state, signRequests } = viewStore(request);
    // Every write meets a change stamped two minutes after the last, so later than its own time.
    state.beforeWrite = (current) => ({ ...current, updatedAt: plusMs(current.updatedAt, 120_000) });
    await expect(viewSigningLink({ signRequests, clock: () => NOW }, tokens[0]!)).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      kind: 'unavailable',
    });
    expect(state.writes).toHaveLength(MAX_CONFLICT_ATTEMPTS);
  });

  it('refuses a link to no request, and writes nothing for a recalled one or a signer who has signed', async () => {
    const { request, tokens } = freshRequest(2, { updatedAt: plusMs(NOW, -60_000) });
    const { state, signRequests } = viewStore(request);
    await expect(
      viewSigningLink({ signRequests }, { ...tokens[0]!, signRequestId: '01HV6MEARQD3X8ZXXX5FR3YDB8' }),
    ).rejects.toMatchObject({ code: 'SIGNING_LINK_NOT_FOUND' });
    const signerId = tokens[1]!.signerId;
    state.stored = {
      ...request,
      status: 'PARTIALLY_SIGNED',
      signedCount: 1,
      signers: { ...request.signers, [signerId]: { ...request.signers[signerId]!, status: 'SIGNED', signedAt: NOW } },
    };
    expect((await viewSigningLink({ signRequests, clock: () => NOW }, tokens[1]!)).viewedAt).toBeUndefined();
    state.stored = { ...request, status: 'CANCELLED', recall: { reason: 'Wrong file', by: 'Ops', at: NOW } };
    await expect(viewSigningLink({ signRequests, clock: () => NOW }, tokens[0]!)).rejects.toMatchObject({
      code: 'SIGN_REQUEST_CANCELLED',
    });
    expect(state.writes).toEqual([]);
  });

  it('refuses the link when its request is gone by the time the first view is written', async () => {
    const { request, tokens } = freshRequest(1, { updatedAt: plusMs(NOW, -60_000) });
    const { signRequests } = viewStore(request);
    signRequests.recordFirstView = () => Promise.resolve({ ok: false, current: undefined });
    await expect(viewSigningLink({ signRequests, clock: () => NOW }, tokens[0]!)).rejects.toMatchObject({
      code: 'SIGNING_LINK_NOT_FOUND',
    });
  });

  it('stamps the first view with the system clock when given none', async () => {
    const { request, tokens } = freshRequest(1, { updatedAt: '2020-01-01T00:00:00.000Z' });
    const { signRequests } = viewStore(request);
    const before = Date.now();
    const { viewedAt } = await viewSigningLink({ signRequests }, tokens[0]!);
    expect(Date.parse(viewedAt!)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(viewedAt!)).toBeLessThanOrEqual(Date.now());
  });
});
