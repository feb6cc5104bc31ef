import { describe, expect, it } from 'vitest';
import { isOpen, type SignRequest } from '../../functions/core/sign-request.ts';
import type { WriteResult } from '../../functions/store/write-result.ts';
import { expireDueRequests } from '../../functions/workflows/expire-due.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-02-01T12:00:00.000Z';
const PAST = '2030-02-01T11:00:00.000Z';
const FUTURE = '2030-02-02T00:00:00.000Z';

/**
 * The expiry port in memory, with the conditions of the real writes: an expiry lands only on an open request not
 * signed by all, due at its time and changed last no later than it. `lostAnswer` makes a write land and still answer refused, as a retried call whose first answer
 * was lost does. Closed requests leave the index, as the real writes make them.
 */
class ExpiryStore {
  readonly requests = new Map<string, SignRequest>();
  /** Id -> the deadline the index holds for it (set when the request was added). */
  readonly index = new Map<string, string>();
  readonly lostAnswer = new Set<string>();
  readonly writes: { method: string; id: string; at?: string }[] = [];
  /** Runs before each expiry write lands: a test may land another change first. */
  beforeExpire = (current: SignRequest | undefined): SignRequest | undefined => current;
  private inFlight = 0;
  /** The most expiry writes that were ever under way at once. */
  maxInFlight = 0;

  add(...requests: SignRequest[]): void {
    for (const request of requests) {
      this.requests.set(request.id, request);
      if (request.expiresAt) this.index.set(request.id, request.expiresAt);
    }
  }

  async *dueForExpiry(now: string): AsyncGenerator<string> {
    for (const [id, deadline] of [...this.index].sort()) if (deadline <= now) yield await Promise.resolve(id);
  }

  async expire(id: string, at: string): Promise<WriteResult> {
    this.writes.push({ method: 'expire', id, at });
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    const current = this.beforeExpire(this.requests.get(id));
    if (current) this.requests.set(id, current);
    const lands =
      current !== undefined &&
      isOpen(current.status) &&
      current.signedCount < current.signerCount &&
      current.updatedAt <= at &&
      current.expiresAt !== undefined &&
      current.expiresAt <= at;
    return lands ? this.land(id, current, at, 'EXPIRED') : { ok: false, current };
  }

  leaveExpiryIndex(id: string): Promise<WriteResult> {
    this.writes.push({ method: 'leaveExpiryIndex', id });
    const current = this.requests.get(id);
    if (!current || isOpen(current.status)) return Promise.resolve({ ok: false, current });
    this.index.delete(id);
    return Promise.resolve({ ok: true });
  }

  private land(id: string, current: SignRequest, at: string, status: 'EXPIRED'): WriteResult {
    const after: SignRequest = {
      ...current,
      status,
      updatedAt: at,
      version: current.version + 1,
      history: [...current.history, { at, event: status }],
    };
    this.requests.set(id, after);
    this.index.delete(id);
    return this.lostAnswer.has(id) ? { ok: false, current: after } : { ok: true };
  }
}

const due = (overrides: Partial<SignRequest> = {}) =>
  freshRequest(2, { expiresAt: PAST, updatedAt: '2030-02-01T00:00:00.000Z', ...overrides }).request;

describe('expireDueRequests', () => {
  it('expires every due open request at the run’s time, in batches, and leaves the others open', async () => {
    const store = new ExpiryStore();
    const dueOnes = Array.from({ length: 23 }, () => due());
    const later = due({ expiresAt: FUTURE });
    store.add(...dueOnes, later);
    expect(await expireDueRequests({ signRequests: store }, NOW)).toEqual({ due: 23, expired: 23 });
    for (const request of dueOnes) {
      const stored = store.requests.get(request.id)!;
      expect(stored).toMatchObject({ status: 'EXPIRED', updatedAt: NOW });
      expect(stored.history.at(-1)).toEqual({ at: NOW, event: 'EXPIRED' });
    }
    expect(store.requests.get(later.id)!.status).toBe('PENDING');
    expect([...store.index.keys()]).toEqual([later.id]);
    // At most ten writes at once, and ten at once when there are as many to make; none for an id not due.
    expect(store.maxInFlight).toBe(10);
    expect(store.writes.map((write) => write.id).sort()).toEqual(dueOnes.map((request) => request.id).sort());
  });

  it('handles at most maxPerRun due requests in one run, leaving the rest for the next', async () => {
    const store = new ExpiryStore();
    store.add(...Array.from({ length: 5 }, () => due()));
    expect(await expireDueRequests({ signRequests: store, maxPerRun: 3 }, NOW)).toEqual({
      due: 3,
      expired: 3,
    });
    expect(store.index.size).toBe(2);
    expect(await expireDueRequests({ signRequests: store, maxPerRun: 3 }, NOW)).toEqual({
      due: 2,
      expired: 2,
    });
  });

  it('counts an expiry whose write landed though its answer was lost as expired, once', async () => {
    const store = new ExpiryStore();
    const request = due();
    request.history.push({
      at: '2030-01-02T00:00:00.000Z',
      event: 'VIEWED',
      signerId: Object.keys(request.signers)[0]!,
    });
    store.add(request);
    store.lostAnswer.add(request.id);
    expect(await expireDueRequests({ signRequests: store }, NOW)).toEqual({ due: 1, expired: 1 });
    expect(store.writes.filter((write) => write.method === 'expire')).toHaveLength(1);
  });

  it('takes a request that closed before out of the index, and counts it not expired', async () => {
    const store = new ExpiryStore();
    // Recalled, and expired by an earlier run at another time, both still named by the index.
    const recalled = due({ status: 'CANCELLED' });
    const expiredBefore = due({
      status: 'EXPIRED',
      updatedAt: PAST,
      history: [{ at: PAST, event: 'EXPIRED' }],
    });
    store.add(recalled, expiredBefore);
    expect(await expireDueRequests({ signRequests: store }, NOW)).toEqual({ due: 2, expired: 0 });
    expect(store.index.size).toBe(0);
    expect(store.requests.get(recalled.id)!.status).toBe('CANCELLED');
  });

  it('leaves a request recalled at the very millisecond of the run, counting it neither expired nor left open', async () => {
    const store = new ExpiryStore();
    const request = due();
    store.add(request);
    store.beforeExpire = (current) =>
      current && {
        ...current,
        status: 'CANCELLED',
        updatedAt: NOW,
        history: [...current.history, { at: NOW, event: 'RECALLED', by: 'Ops' }],
      };
    expect(await expireDueRequests({ signRequests: store }, NOW)).toEqual({ due: 1, expired: 0 });
    expect(store.index.size).toBe(0);
  });

  it('gives up after two tries when each meets a newer change, leaving the request for the next run', async () => {
    const store = new ExpiryStore();
    const request = due();
    store.add(request);
    // Each attempt meets a change stamped a second after the last one, by a clock ahead of this one.
    store.beforeExpire = (current) =>
      current && {
        ...current,
        updatedAt: new Date(Math.max(Date.parse(current.updatedAt), Date.parse(NOW)) + 1000).toISOString(),
      };
    expect(await expireDueRequests({ signRequests: store }, NOW)).toEqual({ due: 1, expired: 0 });
    expect(store.writes.map((write) => write.at)).toEqual([NOW, '2030-02-01T12:00:01.001Z']);
  });

  it('expires just after a change stamped by a clock ahead of this one', async () => {
    const store = new ExpiryStore();
    const ahead = '2030-02-01T12:00:03.000Z';
    const request = due({ updatedAt: ahead });
    store.add(request);
    expect(await expireDueRequests({ signRequests: store }, NOW)).toEqual({ due: 1, expired: 1 });
    expect(store.requests.get(request.id)).toMatchObject({ status: 'EXPIRED', updatedAt: '2030-02-01T12:00:03.001Z' });
  });

  it('leaves for the next run a request refused for another reason, or gone, without writing again', async () => {
    const store = new ExpiryStore();
    // The index says due, but the deadline the request has now is later (so the write is refused).
    const moved = due();
    store.add(moved);
    store.requests.set(moved.id, { ...moved, expiresAt: FUTURE });
    // And it names one that is gone.
    store.index.set('01HV6MEARQD3X8ZXXX5FR3YDB8', PAST);
    expect(await expireDueRequests({ signRequests: store }, NOW)).toEqual({ due: 2, expired: 0 });
    expect(store.writes).toEqual([
      { method: 'expire', id: '01HV6MEARQD3X8ZXXX5FR3YDB8', at: NOW },
      { method: 'expire', id: moved.id, at: NOW },
    ]);
  });
});
