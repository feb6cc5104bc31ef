import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import type { InitiateCommand } from '../../functions/core/initiate.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { sha256Hex } from '../../functions/core/signing-token.ts';
import type { WriteResult } from '../../functions/store/write-result.ts';
import { initiateSignRequest, type InitiateDependencies } from '../../functions/workflows/initiate.ts';
import { connectionReset } from '../support/fake-sign-requests.ts';

const NOW = '2030-05-05T18:00:00.000Z';
const command: Omit<InitiateCommand, 'document'> = {
  appId: 'APP1',
  documentName: 'Offer.pdf',
  signers: [
    { name: 'Ann', email: 'ann@example.com' },
    { name: 'Bob', email: 'bob@example.com' },
  ],
};

/**
 * The ports initiate takes, in memory: per-app numbering, request items that are never overwritten, idempotency
 * claims where the first call's id wins, and a daily mail cap. `lostCreate` lands the next create and answers it
 * refused, as a retried call whose first answer was lost does.
 */
const fakes = (room = 100) => {
  const stored = new Map<string, SignRequest>();
  const numbers = new Map<string, number>();
  const claims = new Map<string, string>();
  const mails: { appId: string; count: number; at: string }[] = [];
  const givenBack: { appId: string; count: number; at: string }[] = [];
  const state = { lostCreate: false };
  /** Requests counted against a quota per app and UTC day, as the counter item counts them. */
  const quotaCounts = new Map<string, number>();
  const deps: InitiateDependencies = {
    appStore: {
      nextRequestNumber: (appId, quota) => {
        if (quota) {
          const day = `${appId}/${quota.at.slice(0, 10)}`;
          if ((quotaCounts.get(day) ?? 0) >= quota.perDay) return Promise.resolve({ ok: false, reason: 'daily-quota' });
          quotaCounts.set(day, (quotaCounts.get(day) ?? 0) + 1);
        }
        numbers.set(appId, (numbers.get(appId) ?? 0) + 1);
        return Promise.resolve({ ok: true, n: numbers.get(appId)! });
      },
    },
    signRequests: {
      get: (id) => Promise.resolve(stored.get(id)),
      create: (request): Promise<WriteResult> => {
        const current = stored.get(request.id);
        if (current) return Promise.resolve({ ok: false, current });
        stored.set(request.id, request);
        return Promise.resolve(state.lostCreate ? { ok: false, current: request } : { ok: true });
      },
    },
    initiateClaims: {
      claim: (appId, key, signRequestId) => {
        const claimKey = `${appId}\n${key}`;
        if (!claims.has(claimKey)) claims.set(claimKey, signRequestId);
        return Promise.resolve(claims.get(claimKey)!);
      },
    },
    mailCap: {
      dailyCap: room,
      take: (appId, count, at) => {
        const used = mails.filter((mail) => mail.appId === appId).reduce((sum, mail) => sum + mail.count, 0);
        if (count > 0 && used + count > room) return Promise.resolve(false);
        mails.push({ appId, count, at });
        return Promise.resolve(true);
      },
      giveBack: (appId, count, at) => {
        givenBack.push({ appId, count, at });
        return Promise.resolve();
      },
    },
    requestNoPrefix: 'KAiZEN',
    secretFor: (signRequestId, signerId) => `secret ${signRequestId} ${signerId}`,
    clock: () => NOW,
  };
  return { deps, stored, numbers, claims, mails, givenBack, state };
};

describe('initiateSignRequest', () => {
  it('creates the request numbered next in its app’s sequence, as it answers it', async () => {
    const { deps, stored } = fakes();
    const first = await initiateSignRequest(deps, command);
    const second = await initiateSignRequest(deps, command);
    const other = await initiateSignRequest(deps, { ...command, appId: 'APP2' });
    expect([first.requestNo, second.requestNo, other.requestNo]).toEqual(['KAiZEN-1', 'KAiZEN-2', 'KAiZEN-1']);
    expect(stored.get(first.id)).toEqual(first);
    expect(first).toMatchObject({
      appId: 'APP1',
      status: 'PENDING',
      documentName: 'Offer.pdf',
      createdAt: NOW,
      signerCount: 2,
    });
    for (const [signerId, signer] of Object.entries(first.signers))
      expect(signer.tokenHash).toBe(sha256Hex(`secret ${first.id} ${signerId}`));
    expect(second.id).not.toBe(first.id);
  });

  it('counts one invitation per signer against the app’s mail cap, and none when the app sends the links', async () => {
    const { deps, mails } = fakes();
    await initiateSignRequest(deps, command);
    await initiateSignRequest(deps, { ...command, sendInvitations: false });
    expect(mails).toEqual([
      { appId: 'APP1', count: 2, at: NOW },
      { appId: 'APP1', count: 0, at: NOW },
    ]);
  });

  it('makes nothing and draws no number when the invitations would pass the cap, saying when it opens again', async () => {
    const { deps, stored, numbers } = fakes(1);
    const refusal = await initiateSignRequest(deps, command).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    // 18:00 UTC: six hours to the next UTC day.
    expect(refusal).toMatchObject({ code: 'MAIL_CAP_REACHED', kind: 'too-many', retryAfterSeconds: 6 * 3600 });
    expect((refusal as DomainError).message).toContain('limit of 1 e-mails a day');
    expect(stored.size).toBe(0);
    expect(numbers.size).toBe(0);
    // Links the app delivers itself take nothing from the cap.
    expect((await initiateSignRequest(deps, { ...command, sendInvitations: false })).requestNo).toBe('KAiZEN-1');
  });

  it('refuses past the app’s daily quota with nothing made, no number drawn and its invitations given back', async () => {
    const { deps, stored, numbers, mails, givenBack } = fakes();
    const quoted = { ...command, dailyQuota: 2 };
    await initiateSignRequest(deps, quoted);
    await initiateSignRequest(deps, quoted);
    const refusal = await initiateSignRequest(deps, quoted).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'DAILY_QUOTA_EXCEEDED', kind: 'too-many', retryAfterSeconds: 6 * 3600 });
    expect((refusal as DomainError).message).toContain('its 2 sign requests for today');
    expect(stored.size).toBe(2);
    expect(numbers.get('APP1')).toBe(2);
    // The refused call had counted its two invitations; no request, so they are given back.
    expect(mails.at(-1)).toEqual({ appId: 'APP1', count: 2, at: NOW });
    expect(givenBack).toEqual([{ appId: 'APP1', count: 2, at: NOW }]);
    // An app without a quota is not counted at all.
    expect((await initiateSignRequest(deps, command)).requestNo).toBe('KAiZEN-3');
  });

  it('answers a repeated Idempotency-Key with the request the first call made, making nothing new', async () => {
    const { deps, stored, numbers, mails } = fakes();
    const first = await initiateSignRequest(deps, command, 'key-1');
    const again = await initiateSignRequest(deps, { ...command, documentName: 'Other.pdf' }, 'key-1');
    expect(again).toEqual(first);
    expect(stored.size).toBe(1);
    expect(numbers.get('APP1')).toBe(1);
    expect(mails).toHaveLength(1);
    // The key is the app's own: another app's same key makes its own request.
    expect((await initiateSignRequest(deps, { ...command, appId: 'APP2' }, 'key-1')).id).not.toBe(first.id);
  });

  it('makes the request under the claimed id when the call that claimed the key never created it', async () => {
    const { deps, claims, stored } = fakes();
    claims.set('APP1\nkey-2', '01HV6MEARQD3X8ZXXX5FR3YDB8');
    const request = await initiateSignRequest(deps, command, 'key-2');
    expect(request.id).toBe('01HV6MEARQD3X8ZXXX5FR3YDB8');
    expect(stored.get('01HV6MEARQD3X8ZXXX5FR3YDB8')).toEqual(request);
  });

  it('answers the request when its create landed but the answer was lost', async () => {
    const { deps, stored, state } = fakes();
    state.lostCreate = true;
    const request = await initiateSignRequest(deps, command);
    expect(stored.get(request.id)).toEqual(request);
  });

  it('reads back a create whose answer was lost outright: its own request answers, no request passes the error up', async () => {
    const { deps, stored } = fakes();
    const create = deps.signRequests.create;
    const landedThenReset = async (request: SignRequest): Promise<WriteResult> => {
      await create(request);
      throw connectionReset();
    };
    deps.signRequests.create = landedThenReset;
    const request = await initiateSignRequest(deps, command);
    expect(stored.get(request.id)).toEqual(request);
    deps.signRequests.create = () => Promise.reject(connectionReset());
    await expect(initiateSignRequest(deps, command)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(stored.size).toBe(1);
  });

  it('reports a fault, not a refusal, when another item already holds the new id', async () => {
    const { deps, claims, stored } = fakes();
    const squatter = { ...(await initiateSignRequest(deps, command)), documentName: 'Squatter.pdf' };
    claims.set('APP1\nkey-3', squatter.id);
    stored.set(squatter.id, squatter);
    // The claim names an id whose request the store does not return, yet whose item exists: the create is refused.
    deps.signRequests.get = () => Promise.resolve(undefined);
    await expect(initiateSignRequest(deps, command, 'key-3')).rejects.toThrow(
      `a sign request with the new id ${squatter.id} exists already`,
    );
  });
});
