import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ResendCommand } from '../../functions/core/resend.ts';
import type { ResendRecord, SignRequest } from '../../functions/core/sign-request.ts';
import { deriveSigningSecret } from '../../functions/core/signing-token.ts';
import { resendSignRequest, type ResendDependencies } from '../../functions/workflows/resend.ts';
import { FakeMailCap } from '../support/fake-mail-cap.ts';
import { FakeSignRequests } from '../support/fake-sign-requests.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-06-11T10:00:00.000Z';
const EARLIER = '2030-06-11T09:00:00.000Z';

const key = randomBytes(32);
const secretFor = (signRequestId: string, signerId: string) => deriveSigningSecret(key, signRequestId, signerId);

/** A cancelled request of two signers, the numbering, the cap and the store, all in memory. */
const setup = (overrides: Partial<SignRequest> = {}, cap = 100) => {
  const { request } = freshRequest(2, {
    status: 'CANCELLED',
    updatedAt: EARLIER,
    recall: { reason: 'Wrong file', by: 'Ops', at: EARLIER },
    ...overrides,
  });
  const store = new FakeSignRequests(request);
  const mailCap = new FakeMailCap(cap);
  const numbers: string[] = [];
  const deps: ResendDependencies = {
    appStore: {
      nextRequestNumber: (appId, quota) => {
        // A quota this fake counts against: every number drawn so far, whatever the day.
        if (quota && numbers.length >= quota.perDay) return Promise.resolve({ ok: false, reason: 'daily-quota' });
        numbers.push(appId);
        return Promise.resolve({ ok: true, n: 41 + numbers.length });
      },
    },
    signRequests: store,
    requestNoPrefix: 'KAiZEN',
    secretFor,
    mailCap,
    clock: () => NOW,
  };
  const command: ResendCommand = { signRequestId: request.id, appId: request.appId };
  return { request, store, mailCap, numbers, deps, command };
};

const claims = (store: FakeSignRequests) => store.writesOf('claimResend').map(([, record]) => record as ResendRecord);

/** A claim another call landed on `current`, its replacement not created yet. */
const claimedBy = (current: SignRequest, callId = 'OTHER-CALL'): SignRequest => ({
  ...current,
  version: current.version + 1,
  resend: {
    signRequestId: '01HV6MEARQD3X8ZXXX5FR3YDB8',
    requestNo: 'KAiZEN-7',
    at: EARLIER,
    callId,
    documentName: 'Other.pdf',
    signers: [{ signerId: '01HV6MEARQD3X8ZXXX5FR3YDB9', name: 'Zed', email: 'zed@example.com' }],
  },
});

describe('resendSignRequest', () => {
  it('claims the resend, then creates the replacement it names, counted against the cap', async () => {
    const { request, store, mailCap, numbers, deps, command } = setup();
    const replacement = await resendSignRequest(deps, { ...command, documentName: 'Fixed.pdf' }, 'CALL-1');
    const [record] = claims(store);
    expect(record).toMatchObject({ requestNo: 'KAiZEN-42', at: NOW, callId: 'CALL-1', documentName: 'Fixed.pdf' });
    expect(replacement).toMatchObject({
      id: record!.signRequestId,
      requestNo: 'KAiZEN-42',
      documentName: 'Fixed.pdf',
      replaces: request.id,
      status: 'PENDING',
      createdAt: NOW,
    });
    expect(Object.values(replacement.signers).map((signer) => signer.email)).toEqual([
      's0@example.com',
      's1@example.com',
    ]);
    expect(store.stored(replacement.id)).toEqual(replacement);
    expect(store.stored(request.id)!.resend).toEqual(record);
    expect(store.writes.map((write) => write.method)).toEqual(['claimResend', 'create']);
    expect(numbers).toEqual(['APP1']);
    expect(mailCap.takes).toEqual([{ appId: 'APP1', count: 2, at: NOW, taken: true }]);
    expect(mailCap.givenBack).toEqual([]);
  });

  it('counts the signers the body names, and none when the app sends the links itself', async () => {
    const named = setup();
    const signers = ['a', 'b', 'c'].map((name) => ({ name, email: `${name}@example.com` }));
    const replacement = await resendSignRequest(named.deps, { ...named.command, signers });
    expect(Object.keys(replacement.signers)).toHaveLength(3);
    expect(named.mailCap.used('APP1', NOW)).toBe(3);

    const silent = setup({ sendInvitations: false });
    await resendSignRequest(silent.deps, silent.command);
    expect(silent.mailCap.takes.map((take) => take.count)).toEqual([0]);
  });

  it('refuses before counting or numbering: an open request, a stale If-Match, another app’s or none', async () => {
    const open = setup({ status: 'PENDING', recall: undefined });
    await expect(resendSignRequest(open.deps, open.command)).rejects.toMatchObject({ code: 'SIGN_REQUEST_OPEN' });
    const stale = setup();
    await expect(
      resendSignRequest(stale.deps, { ...stale.command, expectedVersions: [stale.request.version + 1] }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const other = setup();
    await expect(resendSignRequest(other.deps, { ...other.command, appId: 'APP2' })).rejects.toMatchObject({
      code: 'SIGN_REQUEST_NOT_FOUND',
    });
    await expect(
      resendSignRequest(other.deps, { ...other.command, signRequestId: '01HV6MEARQD3X8ZXXX5FR3YDB8' }),
    ).rejects.toMatchObject({ code: 'SIGN_REQUEST_NOT_FOUND' });
    for (const { store, mailCap, numbers } of [open, stale, other]) {
      expect(store.writes).toEqual([]);
      expect(mailCap.takes).toEqual([]);
      expect(numbers).toEqual([]);
    }
  });

  it('refuses with 429 MAIL_CAP_REACHED when the invitations would pass the cap, drawing no number', async () => {
    const { store, numbers, deps, command } = setup({}, 1);
    await expect(resendSignRequest(deps, command)).rejects.toMatchObject({
      code: 'MAIL_CAP_REACHED',
      retryAfterSeconds: 14 * 3600,
    });
    expect(numbers).toEqual([]);
    expect(store.writes).toEqual([]);
  });

  it('refuses with 429 DAILY_QUOTA_EXCEEDED past the app’s quota: no claim, no number, its count given back', async () => {
    const { store, numbers, mailCap, deps, command } = setup();
    await expect(resendSignRequest(deps, { ...command, dailyQuota: 0 })).rejects.toMatchObject({
      code: 'DAILY_QUOTA_EXCEEDED',
      retryAfterSeconds: 14 * 3600,
    });
    expect(numbers).toEqual([]);
    expect(store.writes).toEqual([]);
    expect(mailCap.givenBack).toEqual([{ appId: 'APP1', count: 2, at: NOW }]);
    expect(mailCap.used('APP1', NOW)).toBe(0);
  });

  it('gives the count back when another call claimed first, creates that claim’s replacement, and names it', async () => {
    const { request, store, mailCap, deps, command } = setup();
    store.beforeWrite = (current, attempt) => (attempt === 1 ? claimedBy(current!) : current);
    await expect(resendSignRequest(deps, command, 'CALL-1')).rejects.toMatchObject({
      code: 'SIGN_REQUEST_ALREADY_RESENT',
      message: expect.stringContaining('01HV6MEARQD3X8ZXXX5FR3YDB8') as unknown,
    });
    expect(mailCap.givenBack).toEqual([{ appId: 'APP1', count: 2, at: NOW }]);
    expect(mailCap.used('APP1', NOW)).toBe(0);
    expect(store.stored('01HV6MEARQD3X8ZXXX5FR3YDB8')).toMatchObject({
      documentName: 'Other.pdf',
      replaces: request.id,
    });
  });

  it('keeps its count and answers its replacement when the claim landed but its answer was lost', async () => {
    for (const fault of ['lost-as-refusal', 'lost'] as const) {
      const { request, store, mailCap, deps, command } = setup();
      store.faults = [fault];
      const replacement = await resendSignRequest(deps, command, 'CALL-1');
      expect(store.stored(request.id)!.resend!.signRequestId).toBe(replacement.id);
      expect(store.stored(replacement.id)).toEqual(replacement);
      expect(mailCap.givenBack).toEqual([]);
      expect(mailCap.used('APP1', NOW)).toBe(2);
    }
  });

  it('passes up a claim that did not land, creating nothing', async () => {
    const { request, store, deps, command } = setup();
    store.faults = ['unreached'];
    await expect(resendSignRequest(deps, command, 'CALL-1')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(store.stored(request.id)!.resend).toBeUndefined();
    expect(store.writesOf('create')).toEqual([]);
  });

  it('finishes its own claim on a retry of the call (same callId), then answers the replacement as stored', async () => {
    const { request, store, mailCap, numbers, deps, command } = setup();
    // The first call claimed and stopped before its create.
    store.faults = ['throttled', 'throttled'];
    store.beforeWrite = (current, attempt) => (attempt === 1 ? claimedBy(current!, 'CALL-1') : current);
    await expect(resendSignRequest(deps, command, 'CALL-1')).rejects.toMatchObject({ name: 'ThrottlingException' });
    store.faults = [];
    const retried = await resendSignRequest(deps, command, 'CALL-1');
    expect(retried.id).toBe('01HV6MEARQD3X8ZXXX5FR3YDB8');
    expect(store.stored(retried.id)).toEqual(retried);
    const again = await resendSignRequest(deps, command, 'CALL-1');
    expect(again).toEqual(retried);
    // Neither retry claimed, counted or numbered again.
    expect(claims(store)).toHaveLength(1);
    expect(mailCap.takes).toHaveLength(1);
    expect(numbers).toHaveLength(1);
    expect(store.stored(request.id)!.resend!.callId).toBe('CALL-1');
  });

  it('answers the replacement read back when the create’s answer was lost outright', async () => {
    const { store, deps, command } = setup();
    store.faults = [undefined, 'lost'];
    const replacement = await resendSignRequest(deps, command, 'CALL-1');
    expect(store.stored(replacement.id)).toEqual(replacement);
    expect(store.writesOf('create')).toHaveLength(1);
  });

  it('passes up a create that did not land, rather than taking the missing replacement as refused', async () => {
    const { store, deps, command } = setup();
    store.faults = [undefined, 'unreached'];
    await expect(resendSignRequest(deps, command, 'CALL-1')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(store.writesOf('create')).toHaveLength(1);
  });

  it('gives the count back and answers 404 when the request is gone by its claim (read back or refused)', async () => {
    const refused = setup();
    refused.store.beforeWrite = () => undefined;
    await expect(resendSignRequest(refused.deps, refused.command, 'CALL-1')).rejects.toMatchObject({
      code: 'SIGN_REQUEST_NOT_FOUND',
    });
    expect(refused.mailCap.used('APP1', NOW)).toBe(0);

    const lost = setup();
    lost.store.beforeWrite = () => undefined;
    lost.store.faults = ['lost'];
    await expect(resendSignRequest(lost.deps, lost.command, 'CALL-1')).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('refuses another call a request already resent: 412 for a stale If-Match, else 409 naming the replacement', async () => {
    const { request, store, mailCap, deps, command } = setup();
    await resendSignRequest(deps, command, 'CALL-1');
    const replacementId = store.stored(request.id)!.resend!.signRequestId;
    await expect(resendSignRequest(deps, command, 'CALL-2')).rejects.toMatchObject({
      code: 'SIGN_REQUEST_ALREADY_RESENT',
      message: expect.stringContaining(replacementId) as unknown,
    });
    await expect(
      resendSignRequest(deps, { ...command, expectedVersions: [request.version] }, 'CALL-2'),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(mailCap.takes).toHaveLength(1);
    expect(claims(store)).toHaveLength(1);
  });

  it('refuses by the request as the refused claim found it when it changed but was not resent', async () => {
    const { store, mailCap, deps, command, request } = setup();
    store.beforeWrite = (current) => ({ ...current!, version: current!.version + 1 });
    await expect(
      resendSignRequest(deps, { ...command, expectedVersions: [request.version] }, 'CALL-1'),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(mailCap.used('APP1', NOW)).toBe(0);
    // A store that refuses what core's rule lets through leaves nothing to refuse by: 503, try again.
    const odd = setup();
    odd.deps.signRequests = {
      ...odd.deps.signRequests,
      get: (id) => odd.store.get(id),
      claimResend: () => Promise.resolve({ ok: false, current: odd.request }),
    };
    await expect(resendSignRequest(odd.deps, odd.command, 'CALL-1')).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
  });

  it('fails loudly when a create is refused and its replacement is not there', async () => {
    const { deps, command, store } = setup();
    deps.signRequests = {
      get: (id) => store.get(id),
      claimResend: (...args) => store.claimResend(...args),
      create: () => Promise.resolve({ ok: false, current: undefined }),
    };
    await expect(resendSignRequest(deps, command, 'CALL-1')).rejects.toThrow(/was refused and is not there/);
  });

  it('stamps the claim with the system clock when given none', async () => {
    const { store, deps, command } = setup();
    const { clock: _clock, ...withoutClock } = deps;
    const before = Date.now();
    await resendSignRequest(withoutClock, command, 'CALL-1');
    const at = Date.parse(claims(store)[0]!.at);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});
