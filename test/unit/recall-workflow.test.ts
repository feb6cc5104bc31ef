import { describe, expect, it } from 'vitest';
import type { RecallCommand } from '../../functions/core/recall.ts';
import type { RecallRecord, SignRequest } from '../../functions/core/sign-request.ts';
import { recallSignRequest } from '../../functions/workflows/recall.ts';
import { CLOCK_ATTEMPTS } from '../../functions/workflows/retry.ts';
import { FakeSignRequests } from '../support/fake-sign-requests.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-06-08T10:00:00.000Z';
const EARLIER = '2030-06-08T09:00:00.000Z';
const LATER = '2030-06-08T11:00:00.000Z';
const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

const setup = (overrides: Partial<SignRequest> = {}) => {
  const { request, tokens } = freshRequest(2, { updatedAt: EARLIER, ...overrides });
  const store = new FakeSignRequests(request);
  const command: RecallCommand = { signRequestId: request.id, appId: request.appId, reason: 'Wrong file', by: 'Ops' };
  return { request, tokens, store, command, deps: { signRequests: store, clock: () => NOW } };
};

const records = (store: FakeSignRequests) => store.writesOf('recall').map(([, record]) => record as RecallRecord);

describe('recallSignRequest', () => {
  it('recalls in one write, marked with the call’s callId, and out of the expiry index', async () => {
    const { store, command, deps, request } = setup({ expiresAt: '2030-07-01T00:00:00.000Z' });
    await recallSignRequest(deps, command, 'CALL-1');
    const stored = store.stored(request.id)!;
    expect(stored).toMatchObject({
      status: 'CANCELLED',
      updatedAt: NOW,
      version: request.version + 1,
      recall: { reason: 'Wrong file', by: 'Ops', at: NOW, callId: 'CALL-1' },
    });
    expect(stored.recall!.notifySigners).toBeUndefined();
    expect(stored.history.at(-1)).toEqual({ at: NOW, event: 'RECALLED', by: 'Ops' });
    expect(store.items.get(request.id)!.gsi2pk).toBeUndefined();
    expect(store.writes.map((write) => write.method)).toEqual(['recall']);
  });

  it('writes the caller’s evidence on the RECALLED entry of that one write, never onto the recall record', async () => {
    const { store, command, deps, request } = setup();
    const evidence = { ip: '198.51.100.20', userAgent: 'kaizen-backend/2.4' };
    await recallSignRequest(deps, { ...command, evidence }, 'CALL-1');
    const stored = store.stored(request.id)!;
    expect(stored.history.at(-1)).toEqual({ at: NOW, event: 'RECALLED', by: 'Ops', ...evidence });
    expect(stored.recall).not.toHaveProperty('ip');
    expect(stored.recall).not.toHaveProperty('userAgent');
    expect(store.writes.map((write) => write.method)).toEqual(['recall']);
  });

  it('draws a callId of its own when given none, and keeps a recall that asked that nobody be told', async () => {
    const { store, command, deps, request } = setup();
    await recallSignRequest(deps, { ...command, notifySigners: false });
    const { recall } = store.stored(request.id)!;
    expect(recall!.notifySigners).toBe(false);
    expect(recall!.callId).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('answers success when the retried write or the read-back finds its own recall', async () => {
    const first = setup();
    first.store.faults = ['lost-as-refusal'];
    await recallSignRequest(first.deps, first.command, 'CALL-1');
    expect(first.store.stored(first.request.id)!.status).toBe('CANCELLED');
    expect(records(first.store)).toHaveLength(1);

    const second = setup();
    second.store.faults = ['lost'];
    await recallSignRequest(second.deps, second.command, 'CALL-2');
    expect(second.store.reads).toEqual([second.request.id]);
    expect(records(second.store)).toHaveLength(1);
  });

  it('passes the error up when the write did not land', async () => {
    const { store, command, deps, request } = setup();
    store.faults = ['unreached'];
    await expect(recallSignRequest(deps, command, 'CALL-1')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(store.stored(request.id)!.status).toBe('PENDING');
  });

  it('refuses by the recall’s rule: a signature that completed it first, a stale If-Match, another app', async () => {
    const signed = setup();
    signed.store.beforeWrite = (current) => ({ ...current!, status: 'COMPLETED', signedCount: 2 });
    await expect(recallSignRequest(signed.deps, signed.command, 'CALL-1')).rejects.toMatchObject({
      code: 'SIGN_REQUEST_COMPLETED',
    });
    expect(records(signed.store)).toHaveLength(1);

    const stale = setup();
    await expect(
      recallSignRequest(stale.deps, { ...stale.command, expectedVersions: [stale.request.version + 1] }, 'CALL-1'),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(stale.store.stored(stale.request.id)!.status).toBe('PENDING');

    const other = setup();
    await expect(recallSignRequest(other.deps, { ...other.command, appId: 'APP2' }, 'CALL-1')).rejects.toMatchObject({
      code: 'SIGN_REQUEST_NOT_FOUND',
    });
    await expect(
      recallSignRequest(other.deps, { ...other.command, signRequestId: '01HV6MEARQD3X8ZXXX5FR3YDB8' }, 'CALL-1'),
    ).rejects.toMatchObject({ code: 'SIGN_REQUEST_NOT_FOUND' });
  });

  it('recalls at the version If-Match names', async () => {
    const { store, command, deps, request } = setup();
    await recallSignRequest(deps, { ...command, expectedVersions: [request.version] }, 'CALL-1');
    expect(store.stored(request.id)!.status).toBe('CANCELLED');
  });

  it('writes again at once, stamped just after a change that landed later than its own time', async () => {
    const { store, command, deps, request } = setup();
    store.beforeWrite = (current, attempt) => (attempt === 1 ? { ...current!, updatedAt: LATER } : current);
    await recallSignRequest(deps, command, 'CALL-1');
    expect(records(store).map((record) => record.at)).toEqual([NOW, plusMs(LATER, 1)]);
    expect(records(store).map((record) => record.callId)).toEqual(['CALL-1', 'CALL-1']);
    expect(store.stored(request.id)!.recall!.at).toBe(plusMs(LATER, 1));
  });

  it('recognises its own recall on a later attempt, though the version moved', async () => {
    const { store, command, deps, request } = setup();
    store.beforeWrite = (current, attempt) =>
      attempt === 1 ? { ...current!, updatedAt: LATER, version: current!.version + 1 } : current;
    store.faults = [undefined, 'lost-as-refusal'];
    await recallSignRequest(deps, { ...command, expectedVersions: [request.version, request.version + 1] }, 'CALL-1');
    expect(records(store)).toHaveLength(2);
  });

  it('gives up with 503 after CLOCK_ATTEMPTS writes that each lost to a later change', async () => {
    const { store, command, deps, request } = setup();
    store.beforeWrite = (current) => ({ ...current!, updatedAt: plusMs(current!.updatedAt, 7_200_000) });
    await expect(recallSignRequest(deps, command, 'CALL-1')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(records(store)).toHaveLength(CLOCK_ATTEMPTS);
    expect(store.stored(request.id)!.status).toBe('PENDING');
  });

  it('stamps the recall with the system clock when given none', async () => {
    const { store, command, request } = setup({ updatedAt: '2020-01-01T00:00:00.000Z' });
    const before = Date.now();
    await recallSignRequest({ signRequests: store }, command);
    const at = Date.parse(store.stored(request.id)!.recall!.at);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});
