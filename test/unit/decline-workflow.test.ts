import { describe, expect, it } from 'vitest';
import type { DeclineRecord, SignRequest } from '../../functions/core/sign-request.ts';
import { declineSignRequest } from '../../functions/workflows/decline.ts';
import { MAX_CONFLICT_ATTEMPTS } from '../../functions/workflows/retry.ts';
import { FakeSignRequests } from '../support/fake-sign-requests.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-06-07T10:00:00.000Z';
const EARLIER = '2030-06-07T09:00:00.000Z';
const LATER = '2030-06-07T11:00:00.000Z';
const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

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

const records = (store: FakeSignRequests) => store.writesOf('decline').map(([record]) => record as DeclineRecord);

/** A decline another call landed first. */
const declinedBy = (request: SignRequest, signerId: string, callId = 'OTHER-CALL'): SignRequest => ({
  ...request,
  status: 'DECLINED',
  updatedAt: plusMs(EARLIER, 1),
  version: request.version + 1,
  decline: { signerId, reason: 'Not me', at: plusMs(EARLIER, 1), callId },
});

describe('declineSignRequest', () => {
  it('declines in one write, closing the request with the signer’s reason', async () => {
    const { tokens, store, deps, request } = setup(2, { expiresAt: '2030-07-01T00:00:00.000Z' });
    const evidence = { ip: '2001:db8::7', userAgent: 'Browser/1.0' };
    const plan = await declineSignRequest(deps, tokens[1]!, 'Wrong amount', evidence);
    expect(plan).toEqual({
      signRequestId: request.id,
      record: { signerId: tokens[1]!.signerId, reason: 'Wrong amount', at: NOW, callId: plan.record.callId },
      evidence,
    });
    expect(plan.record.callId).toMatch(/^[0-9A-Z]{26}$/);
    const stored = store.stored(request.id)!;
    expect(stored).toMatchObject({ status: 'DECLINED', decline: plan.record, updatedAt: NOW });
    // The evidence is written in the decline's one write, on its history entry.
    expect(stored.history.at(-1)).toEqual({ at: NOW, event: 'DECLINED', signerId: tokens[1]!.signerId, ...evidence });
    expect(store.items.get(request.id)!.gsi2pk).toBeUndefined();
    expect(records(store)).toHaveLength(1);
  });

  it('answers success when the retried write finds this call’s own decline, or the read-back does', async () => {
    const first = setup(1);
    first.store.faults = ['lost-as-refusal'];
    const plan = await declineSignRequest(first.deps, first.tokens[0]!, 'No');
    expect(first.store.stored(first.request.id)!.decline).toEqual(plan.record);
    expect(records(first.store)).toHaveLength(1);

    const second = setup(1);
    second.store.faults = ['lost'];
    const lost = await declineSignRequest(second.deps, second.tokens[0]!, 'No');
    expect(second.store.stored(second.request.id)!.decline).toEqual(lost.record);
    expect(second.store.reads).toHaveLength(2);
    expect(records(second.store)).toHaveLength(1);
  });

  it('passes the error up when the write did not land, and the request stays open', async () => {
    const { tokens, store, deps, request } = setup(2);
    store.faults = ['unreached'];
    await expect(declineSignRequest(deps, tokens[0]!, 'No')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(store.stored(request.id)!.status).toBe('PENDING');
    expect(records(store)).toHaveLength(1);
  });

  it('gives the refusal of a recall or another signer’s decline that landed first', async () => {
    const recalled = setup(2);
    recalled.store.beforeWrite = (current) => ({
      ...current!,
      status: 'CANCELLED',
      recall: { reason: 'Wrong file', by: 'Ops', at: NOW },
    });
    await expect(declineSignRequest(recalled.deps, recalled.tokens[0]!, 'No')).rejects.toMatchObject({
      code: 'SIGN_REQUEST_CANCELLED',
    });

    const other = setup(2);
    other.store.beforeWrite = (current) => declinedBy(current!, other.tokens[1]!.signerId);
    await expect(declineSignRequest(other.deps, other.tokens[0]!, 'No')).rejects.toMatchObject({
      code: 'SIGN_REQUEST_DECLINED',
    });

    // The same signer's other call (another tab), not this one: 409 ALREADY_DECLINED.
    const tab = setup(2);
    tab.store.beforeWrite = (current) => declinedBy(current!, tab.tokens[0]!.signerId);
    await expect(declineSignRequest(tab.deps, tab.tokens[0]!, 'No')).rejects.toMatchObject({
      code: 'ALREADY_DECLINED',
    });
    expect(records(tab.store)).toHaveLength(1);
  });

  it('writes again just after a later change, with the same callId, and recognises its own decline then', async () => {
    const { tokens, store, deps, pauses, request } = setup(2);
    store.beforeWrite = (current, attempt) => (attempt === 1 ? { ...current!, updatedAt: LATER } : current);
    store.faults = [undefined, 'lost-as-refusal'];
    const plan = await declineSignRequest(deps, tokens[0]!, 'No');
    expect(records(store).map((record) => record.at)).toEqual([NOW, plusMs(LATER, 1)]);
    expect(new Set(records(store).map((record) => record.callId))).toEqual(new Set([plan.record.callId]));
    expect(store.stored(request.id)!.decline).toEqual(plan.record);
    expect(pauses).toEqual([]);
  });

  it('gives up with 503 after MAX_CONFLICT_ATTEMPTS writes, pausing after each refusal but the first', async () => {
    const { tokens, store, deps, pauses, request } = setup(2);
    store.beforeWrite = (current) => ({ ...current!, updatedAt: plusMs(current!.updatedAt, 7_200_000) });
    await expect(declineSignRequest(deps, tokens[0]!, 'No')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(records(store)).toHaveLength(MAX_CONFLICT_ATTEMPTS);
    expect(pauses).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(store.stored(request.id)!.status).toBe('PENDING');
  });

  it('stamps the decline with the system clock when given none', async () => {
    const { tokens, store, request } = setup(2, { updatedAt: '2020-01-01T00:00:00.000Z' });
    const before = Date.now();
    const plan = await declineSignRequest({ signRequests: store }, tokens[0]!, 'No');
    expect(Date.parse(plan.record.at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(plan.record.at)).toBeLessThanOrEqual(Date.now());
    expect(store.stored(request.id)!.status).toBe('DECLINED');
  });

  it('pauses for real between later attempts when given no pause', async () => {
    const { tokens, store, request } = setup(2);
    store.beforeWrite = (current, attempt) =>
      attempt <= 2 ? { ...current!, updatedAt: plusMs(current!.updatedAt, 7_200_000) } : current;
    await declineSignRequest({ signRequests: store, clock: () => NOW }, tokens[0]!, 'No');
    expect(records(store)).toHaveLength(3);
    expect(store.stored(request.id)!.status).toBe('DECLINED');
  });
});
