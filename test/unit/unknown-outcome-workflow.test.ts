import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import type { WriteResult } from '../../functions/store/write-result.ts';
import { READ_BACK_LIMIT_MS, settleWrite, type ReadBack } from '../../functions/workflows/unknown-outcome.ts';
import { connectionReset, throttled } from '../support/fake-sign-requests.ts';
import { freshRequest } from '../support/requests.ts';

const { request } = freshRequest(1);

/** A read-back port that answers what the test gives it, counting its reads. */
const readBack = (answer: () => Promise<SignRequest | undefined>) => {
  const reads: string[] = [];
  const store: ReadBack = {
    get: (id) => {
      reads.push(id);
      return answer();
    },
  };
  return { store, reads };
};

const failingWith = (error: Error) => (): Promise<WriteResult> => Promise.reject(error);
const isOwn = (found: SignRequest | undefined) => found?.id === request.id;

afterEach(() => {
  vi.useRealTimers();
});

describe('settleWrite', () => {
  it('answers a write that answered, landed or refused, without reading anything', async () => {
    const { store, reads } = readBack(() => Promise.resolve(request));
    expect(await settleWrite(store, request.id, () => Promise.resolve({ ok: true, extra: 1 }), isOwn)).toEqual({
      ok: true,
      extra: 1,
    });
    const refused: WriteResult = { ok: false, current: undefined };
    expect(await settleWrite(store, request.id, () => Promise.resolve(refused), isOwn)).toBe(refused);
    expect(reads).toEqual([]);
  });

  it('passes up an error that certainly did not land, without reading it back', async () => {
    const { store, reads } = readBack(() => Promise.resolve(request));
    const error = throttled();
    await expect(settleWrite(store, request.id, failingWith(error), isOwn)).rejects.toBe(error);
    const plain = 'not even an Error';
    await expect(settleWrite(store, request.id, () => Promise.reject(plain as unknown as Error), isOwn)).rejects.toBe(
      plain,
    );
    expect(reads).toEqual([]);
  });

  it('reads back a lost answer and reports the write refused with the request that shows its own change', async () => {
    const { store, reads } = readBack(() => Promise.resolve(request));
    const seen: (SignRequest | undefined)[] = [];
    const written = await settleWrite(store, request.id, failingWith(connectionReset()), (found) => {
      seen.push(found);
      return isOwn(found);
    });
    expect(written).toEqual({ ok: false, current: request });
    expect(reads).toEqual([request.id]);
    expect(seen).toEqual([request]);
  });

  it('passes the write’s own error up when the read-back shows no change of its own, or finds nothing', async () => {
    const other = readBack(() => Promise.resolve(request));
    const error = Object.assign(new Error('Internal'), { name: 'InternalServerError' });
    await expect(settleWrite(other.store, request.id, failingWith(error), () => false)).rejects.toBe(error);
    const missing = readBack(() => Promise.resolve(undefined));
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    await expect(settleWrite(missing.store, request.id, failingWith(timeout), isOwn)).rejects.toBe(timeout);
    expect(missing.reads).toEqual([request.id]);
  });

  it('passes the write’s own error up, not the read’s, when the read-back fails too', async () => {
    const { store } = readBack(() => Promise.reject(new Error('the read failed')));
    const error = connectionReset();
    await expect(settleWrite(store, request.id, failingWith(error), () => true)).rejects.toBe(error);
  });

  it('waits for the read-back at most READ_BACK_LIMIT_MS, then passes the write’s error up and leaves no timer', async () => {
    vi.useFakeTimers();
    let failLate: (reason: Error) => void = () => undefined;
    const { store } = readBack(
      () =>
        new Promise<SignRequest | undefined>((_, reject) => {
          failLate = reject;
        }),
    );
    const error = connectionReset();
    const settled = settleWrite(store, request.id, failingWith(error), () => true);
    const outcome = settled.then(
      () => 'answered',
      (thrown: unknown) => thrown,
    );
    await vi.advanceTimersByTimeAsync(READ_BACK_LIMIT_MS - 1);
    expect(await Promise.race([outcome, Promise.resolve('pending')])).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toBe(error);
    expect(vi.getTimerCount()).toBe(0);
    // The read given up on may still fail later: the answer is given already, and stays the same.
    failLate(new Error('the read failed at last'));
    await vi.advanceTimersByTimeAsync(0);
    expect(await outcome).toBe(error);
  });

  it('clears its timer once a read-back answers in time', async () => {
    vi.useFakeTimers();
    const { store } = readBack(() => Promise.resolve(request));
    expect(await settleWrite(store, request.id, failingWith(connectionReset()), isOwn)).toEqual({
      ok: false,
      current: request,
    });
    expect(vi.getTimerCount()).toBe(0);
  });
});
