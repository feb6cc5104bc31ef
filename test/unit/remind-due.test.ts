import { describe, expect, it } from 'vitest';
import { isOpen, type SignRequest } from '../../functions/core/sign-request.ts';
import type { ReminderWrite } from '../../functions/store/reminder-writes.ts';
import type { WriteResult } from '../../functions/store/write-result.ts';
import { remindDueRequests } from '../../functions/workflows/remind-due.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-03-10T09:00:00.000Z';
const DAY = 86_400_000;
const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

/**
 * The reminder port in memory, with the real write's conditions: it lands only on an open request not signed by
 * all, changed last no later than its time, each named signer still pending and not reminded after
 * `remindedBefore`. `lostAnswer` lands a write and answers it refused; `signedMeanwhile` makes a signature land
 * just before the write (so it is refused).
 */
class ReminderStore {
  readonly requests = new Map<string, SignRequest>();
  /** Id -> when its reminder falls due, as the index holds it. */
  readonly index = new Map<string, string>();
  readonly lostAnswer = new Set<string>();
  readonly signedMeanwhile = new Set<string>();
  readonly writes: ReminderWrite[] = [];

  add(request: SignRequest, dueAt = request.nextReminderAt!): void {
    this.requests.set(request.id, request);
    this.index.set(request.id, dueAt);
  }

  async *dueForReminder(now: string): AsyncGenerator<string> {
    for (const [id, dueAt] of [...this.index]) if (dueAt <= now) yield await Promise.resolve(id);
  }

  get(id: string): Promise<SignRequest | undefined> {
    return Promise.resolve(this.requests.get(id));
  }

  remind(write: ReminderWrite): Promise<WriteResult> {
    this.writes.push(write);
    let current = this.requests.get(write.signRequestId)!;
    if (this.signedMeanwhile.has(current.id)) {
      const [signerId, signer] = Object.entries(current.signers)[0]!;
      current = {
        ...current,
        status: 'PARTIALLY_SIGNED',
        signedCount: 1,
        signers: { ...current.signers, [signerId]: { ...signer, status: 'SIGNED', signedAt: write.at } },
      };
      this.requests.set(current.id, current);
    }
    const lands =
      isOpen(current.status) &&
      current.signedCount < current.signerCount &&
      current.updatedAt <= write.at &&
      write.signerIds.every((signerId) => {
        const signer = current.signers[signerId]!;
        return signer.status === 'PENDING' && (signer.lastRemindedAt ?? '') <= write.remindedBefore;
      });
    if (!lands) return Promise.resolve({ ok: false, current });
    const after: SignRequest = {
      ...current,
      signers: Object.fromEntries(
        Object.entries(current.signers).map(([id, signer]) => [
          id,
          write.signerIds.includes(id) ? { ...signer, lastRemindedAt: write.at } : signer,
        ]),
      ),
      history: [
        ...current.history,
        {
          at: write.at,
          event: 'REMINDED',
          signerIds: [...write.signerIds],
          ...(write.callId ? { callId: write.callId } : {}),
        },
      ],
      updatedAt: write.at,
      version: current.version + 1,
      ...(write.nextReminderAt ? { nextReminderAt: write.nextReminderAt } : {}),
    };
    this.requests.set(after.id, after);
    if (write.nextReminderAt) this.index.set(after.id, write.nextReminderAt);
    return Promise.resolve(this.lostAnswer.has(after.id) ? { ok: false, current: after } : { ok: true });
  }

  leaveReminderIndex(id: string): Promise<WriteResult> {
    const current = this.requests.get(id);
    // The real write refuses a request that is open and not signed by all.
    if (current && isOpen(current.status) && current.signedCount < current.signerCount && !current.expiresAt)
      return Promise.resolve({ ok: false, current });
    this.index.delete(id);
    return Promise.resolve({ ok: true });
  }
}

/** The daily mail cap in memory: `room` e-mails left per app. */
const mailCapWith = (room: number) => {
  const taken = new Map<string, number>();
  return {
    taken,
    take: (appId: string, count: number) => {
      if (count <= 0) return Promise.resolve(true);
      const used = taken.get(appId) ?? 0;
      if (used + count > room) return Promise.resolve(false);
      taken.set(appId, used + count);
      return Promise.resolve(true);
    },
    giveBack: (appId: string, count: number) => {
      taken.set(appId, (taken.get(appId) ?? 0) - count);
      return Promise.resolve();
    },
  };
};

const dueRequest = (overrides: Partial<SignRequest> = {}) =>
  freshRequest(2, {
    remindEveryDays: 2,
    nextReminderAt: plusMs(NOW, -60_000),
    updatedAt: '2030-03-08T09:00:00.000Z',
    ...overrides,
  });

describe('remindDueRequests', () => {
  it('reminds every pending signer of a due request and sets its next reminder a period after this one', async () => {
    const store = new ReminderStore();
    const mailCap = mailCapWith(100);
    const { request } = dueRequest();
    store.add(request);
    expect(await remindDueRequests({ signRequests: store, mailCap }, NOW)).toEqual({
      due: 1,
      reminded: 1,
      left: 0,
      capped: 0,
    });
    const stored = store.requests.get(request.id)!;
    expect(Object.values(stored.signers).map((signer) => signer.lastRemindedAt)).toEqual([NOW, NOW]);
    expect(stored.history.at(-1)).toMatchObject({
      at: NOW,
      event: 'REMINDED',
      signerIds: Object.keys(request.signers),
    });
    expect(stored.nextReminderAt).toBe(plusMs(request.nextReminderAt!, 2 * DAY));
    expect(store.writes[0]!.remindedBefore).toBe(plusMs(NOW, -3_600_000));
    expect(mailCap.taken.get('APP1')).toBe(2);
  });

  it('sets the next reminder a period from now when the job was paused past it, and a day when no period is set', async () => {
    const store = new ReminderStore();
    const paused = dueRequest({ nextReminderAt: plusMs(NOW, -10 * DAY) }).request;
    const noPeriod = dueRequest({ remindEveryDays: undefined, nextReminderAt: plusMs(NOW, -3_600_000) }).request;
    const unscheduled = dueRequest({ nextReminderAt: undefined }).request;
    // Due exactly a period ago: the next would fall on now itself, which is past as well.
    const onTheDot = dueRequest({ nextReminderAt: plusMs(NOW, -2 * DAY) }).request;
    store.add(onTheDot);
    store.add(paused);
    store.add(noPeriod);
    store.add(unscheduled, NOW);
    await remindDueRequests({ signRequests: store, mailCap: mailCapWith(100) }, NOW);
    expect(store.requests.get(paused.id)!.nextReminderAt).toBe(plusMs(NOW, 2 * DAY));
    expect(store.requests.get(noPeriod.id)!.nextReminderAt).toBe(plusMs(NOW, DAY - 3_600_000));
    expect(store.requests.get(unscheduled.id)!.nextReminderAt).toBe(plusMs(NOW, 2 * DAY));
    expect(store.requests.get(onTheDot.id)!.nextReminderAt).toBe(plusMs(NOW, 2 * DAY));
  });

  it('leaves out a signer reminded within the hour, and when that is everyone only moves the next due time', async () => {
    const store = new ReminderStore();
    const mailCap = mailCapWith(100);
    const some = dueRequest().request;
    const [first, second] = Object.keys(some.signers);
    some.signers[first!] = { ...some.signers[first!]!, lastRemindedAt: plusMs(NOW, -30 * 60_000) };
    const everyone = dueRequest().request;
    for (const id of Object.keys(everyone.signers))
      everyone.signers[id] = { ...everyone.signers[id]!, lastRemindedAt: plusMs(NOW, -10 * 60_000) };
    store.add(some);
    store.add(everyone);
    expect(await remindDueRequests({ signRequests: store, mailCap }, NOW)).toEqual({
      due: 2,
      reminded: 1,
      left: 0,
      capped: 0,
    });
    expect(store.writes.map((write) => write.signerIds)).toEqual([[second], []]);
    expect(store.requests.get(everyone.id)!.nextReminderAt).toBe(plusMs(everyone.nextReminderAt!, 2 * DAY));
    expect(mailCap.taken.get('APP1')).toBe(1);
  });

  it('takes closed, expired and fully signed requests out of the index, counting those that left', async () => {
    const store = new ReminderStore();
    const cancelled = dueRequest({ status: 'CANCELLED' }).request;
    const pastDeadline = dueRequest({ expiresAt: plusMs(NOW, -1) }).request;
    const signedByAll = dueRequest({ status: 'PARTIALLY_SIGNED', signedCount: 2 }).request;
    for (const request of [cancelled, pastDeadline, signedByAll]) store.add(request);
    expect(await remindDueRequests({ signRequests: store, mailCap: mailCapWith(100) }, NOW)).toEqual({
      due: 3,
      reminded: 0,
      left: 3,
      capped: 0,
    });
    expect(store.index.size).toBe(0);
    expect(store.writes).toEqual([]);
  });

  it('does not count a request whose leaving the index was refused', async () => {
    const store = new ReminderStore();
    const signedByAll = dueRequest({ status: 'PARTIALLY_SIGNED', signedCount: 2 }).request;
    store.add(signedByAll);
    store.leaveReminderIndex = (id) => Promise.resolve({ ok: false, current: store.requests.get(id) });
    expect(await remindDueRequests({ signRequests: store, mailCap: mailCapWith(100) }, NOW)).toMatchObject({
      due: 1,
      left: 0,
    });
  });

  it('skips this period’s mail when the app is over its daily cap, but still moves the next due time', async () => {
    const store = new ReminderStore();
    const { request } = dueRequest();
    store.add(request);
    expect(await remindDueRequests({ signRequests: store, mailCap: mailCapWith(1) }, NOW)).toEqual({
      due: 1,
      reminded: 0,
      left: 0,
      capped: 1,
    });
    expect(store.writes.map((write) => write.signerIds)).toEqual([[]]);
    expect(store.requests.get(request.id)!.nextReminderAt).toBe(plusMs(request.nextReminderAt!, 2 * DAY));
  });

  it('gives the mail back when the write is refused, and keeps it when the write landed with a lost answer', async () => {
    const store = new ReminderStore();
    const mailCap = mailCapWith(100);
    const refused = dueRequest().request;
    const lost = dueRequest().request;
    store.add(refused);
    store.add(lost);
    store.signedMeanwhile.add(refused.id);
    store.lostAnswer.add(lost.id);
    expect(await remindDueRequests({ signRequests: store, mailCap }, NOW)).toEqual({
      due: 2,
      reminded: 1,
      left: 0,
      capped: 0,
    });
    expect(mailCap.taken.get('APP1')).toBe(2);
    expect(store.requests.get(lost.id)!.history.at(-1)).toMatchObject({
      event: 'REMINDED',
      callId: store.writes[1]!.callId,
    });
    expect(store.writes[0]!.callId).not.toBe(store.writes[1]!.callId);
  });

  it('stamps the reminder just after a change made by a clock ahead of this one', async () => {
    const store = new ReminderStore();
    const ahead = plusMs(NOW, 5_000);
    const { request } = dueRequest({ updatedAt: ahead });
    store.add(request);
    await remindDueRequests({ signRequests: store, mailCap: mailCapWith(100) }, NOW);
    expect(store.writes[0]).toMatchObject({ at: plusMs(ahead, 1), remindedBefore: plusMs(ahead, 1 - 3_600_000) });
    expect(store.requests.get(request.id)!.updatedAt).toBe(plusMs(ahead, 1));
  });

  it('counts a due id whose request is gone, and writes nothing for it', async () => {
    const store = new ReminderStore();
    store.index.set('01HV6MEARQD3X8ZXXX5FR3YDB8', NOW);
    expect(await remindDueRequests({ signRequests: store, mailCap: mailCapWith(100) }, NOW)).toEqual({
      due: 1,
      reminded: 0,
      left: 0,
      capped: 0,
    });
    expect(store.writes).toEqual([]);
  });
});
