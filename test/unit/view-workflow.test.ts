import { describe, expect, it } from 'vitest';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import type { FirstViewPlan } from '../../functions/core/signing.ts';
import { MAX_CONFLICT_ATTEMPTS } from '../../functions/workflows/retry.ts';
import { viewSigningLink } from '../../functions/workflows/view.ts';
import { FakeSignRequests } from '../support/fake-sign-requests.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-06-10T10:00:00.000Z';
const EARLIER = '2030-06-10T09:00:00.000Z';
const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

/** The view workflow on the shared store, which writes a first view by the real write's rule; pauses recorded. */
const setup = (overrides: Partial<SignRequest> = {}) => {
  const { request, tokens } = freshRequest(2, { updatedAt: EARLIER, ...overrides });
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

const views = (store: FakeSignRequests) => store.writesOf('recordFirstView').map(([plan]) => plan as FirstViewPlan);

describe('viewSigningLink on the store’s rule', () => {
  it('reads back a first view whose answer was lost outright, and answers its own time found there', async () => {
    const { tokens, store, deps, request } = setup();
    store.faults = ['lost'];
    const view = await viewSigningLink(deps, tokens[0]!);
    expect(view.viewedAt).toBe(NOW);
    expect(store.reads).toEqual([request.id, request.id]);
    expect(views(store)).toHaveLength(1);
    expect(store.stored(request.id)!.history.at(-1)).toEqual({
      at: NOW,
      event: 'VIEWED',
      signerId: tokens[0]!.signerId,
    });
  });

  it('passes the error up when the first view did not land: a read-back that finds no view of its own', async () => {
    const { tokens, store, deps, request } = setup();
    store.faults = ['unreached'];
    await expect(viewSigningLink(deps, tokens[0]!)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(store.stored(request.id)!.signers[tokens[0]!.signerId]!.viewedAt).toBeUndefined();
  });

  it('takes another signer’s view, landed after its own, as not its own', async () => {
    const { tokens, store, deps } = setup();
    // The other signer's first view lands at this very time; this signer's write is then refused only for it.
    store.beforeWrite = (current, attempt) =>
      attempt === 1
        ? {
            ...current!,
            updatedAt: plusMs(NOW, 1),
            signers: {
              ...current!.signers,
              [tokens[1]!.signerId]: { ...current!.signers[tokens[1]!.signerId]!, viewedAt: NOW },
            },
          }
        : current;
    expect((await viewSigningLink(deps, tokens[0]!)).viewedAt).toBe(plusMs(NOW, 2));
    expect(views(store).map((plan) => plan.at)).toEqual([NOW, plusMs(NOW, 2)]);
  });

  it('writes again at once after its first refusal, and pauses after each later one', async () => {
    const once = setup();
    once.store.beforeWrite = (current, attempt) =>
      attempt === 1 ? { ...current!, updatedAt: plusMs(NOW, 60_000) } : current;
    await viewSigningLink(once.deps, once.tokens[0]!);
    expect(views(once.store)).toHaveLength(2);
    expect(once.pauses).toEqual([]);

    const always = setup();
    always.store.beforeWrite = (current) => ({ ...current!, updatedAt: plusMs(current!.updatedAt, 7_200_000) });
    await expect(viewSigningLink(always.deps, always.tokens[0]!)).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(views(always.store)).toHaveLength(MAX_CONFLICT_ATTEMPTS);
    expect(always.pauses).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });
});
