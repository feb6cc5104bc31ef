import { describe, expect, it } from 'vitest';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import type { ReminderWrite } from '../../functions/store/reminder-writes.ts';
import { remindSigners } from '../../functions/workflows/remind.ts';
import { CLOCK_ATTEMPTS } from '../../functions/workflows/retry.ts';
import { FakeMailCap } from '../support/fake-mail-cap.ts';
import { FakeSignRequests } from '../support/fake-sign-requests.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-06-09T10:00:00.000Z';
const EARLIER = '2030-06-09T09:00:00.000Z';
const LATER = '2030-06-09T11:00:00.000Z';
const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

const setup = (overrides: Partial<SignRequest> = {}, cap = 100) => {
  const { request } = freshRequest(2, { updatedAt: EARLIER, ...overrides });
  const store = new FakeSignRequests(request);
  const mailCap = new FakeMailCap(cap);
  const [first, second] = Object.keys(request.signers) as [string, string];
  return { request, store, mailCap, first, second, deps: { signRequests: store, mailCap, clock: () => NOW } };
};

const reminders = (store: FakeSignRequests) => store.writesOf('remind').map(([write]) => write as ReminderWrite);

/** A reminder another call landed first, for `signerIds`, at `at`. */
const remindedBy = (current: SignRequest, signerIds: string[], at: string): SignRequest => ({
  ...current,
  updatedAt: at,
  version: current.version + 1,
  signers: Object.fromEntries(
    Object.entries(current.signers).map(([id, signer]) => [
      id,
      signerIds.includes(id) ? { ...signer, lastRemindedAt: at } : signer,
    ]),
  ),
  history: [...current.history, { at, event: 'REMINDED', signerIds, callId: 'OTHER-CALL' }],
});

describe('remindSigners', () => {
  it('reminds every pending signer in one write, counted against the mail cap', async () => {
    const { store, mailCap, first, second, deps, request } = setup();
    const plan = await remindSigners(deps, request.id, request.appId);
    expect(plan).toEqual({ due: [first, second], notYet: [], at: NOW });
    expect(mailCap.takes).toEqual([{ appId: 'APP1', count: 2, at: NOW, taken: true }]);
    expect(mailCap.givenBack).toEqual([]);
    const [write] = reminders(store);
    expect(write).toMatchObject({
      signRequestId: request.id,
      appId: 'APP1',
      signerIds: [first, second],
      at: NOW,
      remindedBefore: '2030-06-09T09:00:00.000Z',
    });
    const stored = store.stored(request.id)!;
    expect(stored.signers[first]!.lastRemindedAt).toBe(NOW);
    expect(stored.signers[second]!.lastRemindedAt).toBe(NOW);
    expect(stored.history.at(-1)).toEqual({
      at: NOW,
      event: 'REMINDED',
      signerIds: [first, second],
      callId: write!.callId,
    });
    expect(reminders(store)).toHaveLength(1);
  });

  it('refuses with 429 MAIL_CAP_REACHED, until the next UTC day, when the reminders would pass the cap', async () => {
    const { store, mailCap, deps, request } = setup({}, 1);
    await expect(remindSigners(deps, request.id, request.appId)).rejects.toMatchObject({
      code: 'MAIL_CAP_REACHED',
      retryAfterSeconds: 14 * 3600,
    });
    expect(store.writes).toEqual([]);
    expect(mailCap.used('APP1', NOW)).toBe(0);
  });

  it('gives the count back and answers 429 when a reminder that landed first left nobody due', async () => {
    const { store, mailCap, first, second, deps, request } = setup();
    const otherAt = plusMs(NOW, -60_000);
    store.beforeWrite = (current) => remindedBy(current!, [first, second], otherAt);
    await expect(remindSigners(deps, request.id, request.appId)).rejects.toMatchObject({
      code: 'REMIND_TOO_SOON',
      retryAfterSeconds: 3600 - 60,
    });
    expect(mailCap.givenBack).toEqual([{ appId: 'APP1', count: 2, at: NOW }]);
    expect(mailCap.used('APP1', NOW)).toBe(0);
    expect(reminders(store)).toHaveLength(1);
  });

  it('plans again from what the refused write found: reminds only those still due', async () => {
    const { store, mailCap, first, second, deps, request } = setup();
    const otherAt = plusMs(NOW, -60_000);
    store.beforeWrite = (current, attempt) => (attempt === 1 ? remindedBy(current!, [first], otherAt) : current);
    const plan = await remindSigners(deps, request.id, request.appId);
    expect(plan).toEqual({ due: [second], notYet: [{ signerId: first, at: plusMs(otherAt, 3_600_000) }], at: NOW });
    expect(mailCap.used('APP1', NOW)).toBe(1);
    expect(reminders(store).map((write) => write.signerIds)).toEqual([[first, second], [second]]);
    // One call, one callId.
    expect(new Set(reminders(store).map((write) => write.callId)).size).toBe(1);
  });

  it('answers as the landed attempt when the retried write, or the read-back, finds its own reminder', async () => {
    const lost = setup();
    lost.store.faults = ['lost-as-refusal'];
    expect((await remindSigners(lost.deps, lost.request.id, 'APP1')).due).toHaveLength(2);
    expect(lost.mailCap.givenBack).toEqual([]);
    expect(lost.mailCap.used('APP1', NOW)).toBe(2);
    expect(reminders(lost.store)).toHaveLength(1);

    const reset = setup();
    reset.store.faults = ['lost'];
    expect((await remindSigners(reset.deps, reset.request.id, 'APP1')).due).toHaveLength(2);
    expect(reset.store.reads).toHaveLength(2);
    expect(reset.mailCap.givenBack).toEqual([]);
  });

  it('passes up a write that did not land, keeping its count (the safe side of the cap)', async () => {
    const { store, mailCap, deps, request } = setup();
    store.faults = ['unreached'];
    await expect(remindSigners(deps, request.id, request.appId)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(mailCap.used('APP1', NOW)).toBe(2);
    expect(store.stored(request.id)!.history.some((entry) => entry.event === 'REMINDED')).toBe(false);
  });

  it('stamps the reminder just after the last change when this clock is behind it', async () => {
    const { store, mailCap, deps, request } = setup({ updatedAt: LATER });
    const plan = await remindSigners(deps, request.id, request.appId);
    expect(plan.at).toBe(plusMs(LATER, 1));
    expect(mailCap.takes[0]!.at).toBe(plusMs(LATER, 1));
    expect(reminders(store)[0]!.remindedBefore).toBe(plusMs(NOW, 1));
  });

  it('gives up with 503 after CLOCK_ATTEMPTS writes that each lost to a later change, giving back each count', async () => {
    const { store, mailCap, deps, request } = setup();
    store.beforeWrite = (current) => ({ ...current!, updatedAt: plusMs(current!.updatedAt, 7_200_000) });
    await expect(remindSigners(deps, request.id, request.appId)).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(reminders(store)).toHaveLength(CLOCK_ATTEMPTS);
    expect(mailCap.takes).toHaveLength(CLOCK_ATTEMPTS);
    expect(mailCap.givenBack).toHaveLength(CLOCK_ATTEMPTS);
    expect(mailCap.used('APP1', NOW)).toBe(0);
  });

  it('passes core’s refusals up without counting or writing: another app’s, a missing or a closed request', async () => {
    const { store, mailCap, deps, request } = setup();
    await expect(remindSigners(deps, request.id, 'APP2')).rejects.toMatchObject({ code: 'SIGN_REQUEST_NOT_FOUND' });
    await expect(remindSigners(deps, '01HV6MEARQD3X8ZXXX5FR3YDB8', 'APP1')).rejects.toMatchObject({
      code: 'SIGN_REQUEST_NOT_FOUND',
    });
    store.put({ ...request, status: 'CANCELLED' });
    await expect(remindSigners(deps, request.id, 'APP1')).rejects.toMatchObject({ code: 'SIGN_REQUEST_CLOSED' });
    expect(mailCap.takes).toEqual([]);
    expect(store.writes).toEqual([]);
  });

  it('stamps the reminder with the system clock when given none', async () => {
    const { store, mailCap, request } = setup({ updatedAt: '2020-01-01T00:00:00.000Z' });
    const before = Date.now();
    const { at } = await remindSigners({ signRequests: store, mailCap }, request.id, 'APP1');
    expect(Date.parse(at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(at)).toBeLessThanOrEqual(Date.now());
  });
});
