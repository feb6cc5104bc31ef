import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMAIL_CODE_SENDS_PER_HOUR, EMAIL_CODE_VALID_MS } from '../../functions/core/email-code-limits.ts';
import { emailCodeMatches, hashEmailCode, type CodeSendPlan } from '../../functions/core/email-code.ts';
import type { SignRequest, Signer } from '../../functions/core/sign-request.ts';
import type { Mail } from '../../functions/notifications/mail.ts';
import { sendEmailCode } from '../../functions/workflows/send-email-code.ts';
import { MAX_CONFLICT_ATTEMPTS } from '../../functions/workflows/retry.ts';
import { FakeSignRequests } from '../support/fake-sign-requests.ts';
import { recordingLogger } from '../support/recording-logger.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-06-07T10:00:00.000Z';

afterEach(() => vi.restoreAllMocks());
const plusMs = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();

/** A request whose first signer is asked for a mailed code; its store, an outbox, and what was logged. */
const setup = (sentAt?: string[]) => {
  const { request, tokens } = freshRequest(2);
  const token = tokens[0]!;
  const signer = request.signers[token.signerId]!;
  const withProof: Signer = {
    ...signer,
    proof: { kind: 'EMAIL' },
    ...(sentAt ? { emailCode: { hash: hashEmailCode(signer, '000000'), expiresAt: plusMs(1), sentAt } } : {}),
  };
  const stored: SignRequest = { ...request, signers: { ...request.signers, [token.signerId]: withProof } };
  const store = new FakeSignRequests(stored);
  const sent: Mail[] = [];
  const { logger, lines } = recordingLogger();
  const pauses: number[] = [];
  let failSend: Error | undefined;
  const deps = {
    signRequests: store,
    notifier: {
      send: (mail: Mail) => {
        if (failSend) return Promise.reject(failSend);
        sent.push(mail);
        return Promise.resolve();
      },
    },
    logger,
    clock: () => NOW,
    pause: (attempt: number) => {
      pauses.push(attempt);
      return Promise.resolve();
    },
  };
  return {
    request: stored,
    token,
    store,
    sent,
    lines,
    pauses,
    deps,
    failNextSends: (error: Error) => (failSend = error),
  };
};

const codeIn = (mail: Mail): string => /^(\d{6})$/m.exec(mail.text)?.[1] ?? 'no code';
const signerOf = (store: FakeSignRequests, request: SignRequest, signerId: string): Signer =>
  store.stored(request.id)!.signers[signerId]!;

describe('sendEmailCode', () => {
  it('stores the hash in one write, then mails the very code to the signer, never returning it', async () => {
    const { request, token, store, sent, deps } = setup();
    const plan = await sendEmailCode(deps, token);
    expect(store.writesOf('storeEmailCode')).toHaveLength(1);
    expect(plan).toMatchObject({ signerId: token.signerId, at: NOW, expiresAt: plusMs(EMAIL_CODE_VALID_MS) });
    expect(sent).toHaveLength(1);
    const [mail] = sent as [Mail];
    expect(mail).toMatchObject({
      kind: 'SIGNING_CODE',
      signRequestId: request.id,
      appId: request.appId,
      signerId: token.signerId,
      to: { name: 'S0', email: 's0@example.com' },
    });
    const code = codeIn(mail);
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.html).toContain(code);
    expect(JSON.stringify(plan)).not.toMatch(new RegExp(`\\b${code}\\b`));
    const signer = signerOf(store, request, token.signerId);
    expect(signer.emailCode).toEqual({ hash: plan.hash, expiresAt: plan.expiresAt, sentAt: [NOW] });
    expect(emailCodeMatches(signer, code, NOW)).toBe(true);
  });

  it('plans again, with the same code, when another send took its place first', async () => {
    const { request, token, store, sent, pauses, deps } = setup([plusMs(-2)]);
    // Another send lands place 1 just before this one's first write, and place 2 before its second.
    store.beforeWrite = (current, attempt) => {
      if (!current || attempt > 2) return current;
      const signer = current.signers[token.signerId]!;
      const emailCode = { ...signer.emailCode!, sentAt: [...signer.emailCode!.sentAt, plusMs(-1)] };
      return { ...current, signers: { ...current.signers, [token.signerId]: { ...signer, emailCode } } };
    };
    const plan = await sendEmailCode(deps, token);
    const slots = store.writesOf('storeEmailCode').map(([written]) => (written as CodeSendPlan).slot);
    expect(slots).toEqual([1, 2, 3]);
    expect(new Set(store.writesOf('storeEmailCode').map(([written]) => (written as CodeSendPlan).hash)).size).toBe(1);
    expect(pauses).toEqual([2]);
    expect(sent).toHaveLength(1);
    expect(signerOf(store, request, token.signerId).emailCode?.sentAt).toEqual([
      plusMs(-2),
      plusMs(-1),
      plusMs(-1),
      NOW,
    ]);
    expect(plan.slot).toBe(3);
  });

  it('answers its own landed send as landed when the answer was lost, and mails once', async () => {
    const { token, store, sent, deps } = setup();
    store.faults = ['lost'];
    await sendEmailCode(deps, token);
    expect(store.writesOf('storeEmailCode')).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });

  it('refuses a sixth send within the hour without mailing', async () => {
    const full = Array.from({ length: EMAIL_CODE_SENDS_PER_HOUR }, (_, minute) => plusMs(-minute * 60_000));
    const { token, store, sent, deps } = setup(full);
    await expect(sendEmailCode(deps, token)).rejects.toMatchObject({ code: 'SIGNING_CODE_LIMIT' });
    expect(store.writesOf('storeEmailCode')).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('gives up as 503 after losing every attempt, having mailed nothing', async () => {
    const { token, store, sent, deps } = setup();
    // Other sends keep changing the signer's code between each plan and its write: none of its writes can land.
    store.beforeWrite = (current) => {
      if (!current) return current;
      const { emailCode, ...signer } = current.signers[token.signerId]!;
      const changed: Signer = emailCode
        ? signer
        : { ...signer, emailCode: { hash: 'ab'.repeat(32), expiresAt: plusMs(1), sentAt: [plusMs(-1)] } };
      return { ...current, signers: { ...current.signers, [token.signerId]: changed } };
    };
    await expect(sendEmailCode(deps, token)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(store.writesOf('storeEmailCode')).toHaveLength(MAX_CONFLICT_ATTEMPTS);
    expect(sent).toEqual([]);
  });

  it('answers 503 SIGNING_CODE_NOT_SENT when the mail service refuses, logging its name only', async () => {
    const { token, store, lines, deps, failNextSends, request } = setup();
    failNextSends(Object.assign(new Error('Address s0@example.com rejected'), { name: 'MessageRejected' }));
    const refused = await sendEmailCode(deps, token).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'SIGNING_CODE_NOT_SENT',
      kind: 'unavailable',
      rules: [
        {
          Code: 'SIGNING_CODE_NOT_SENT',
          Message: 'The code could not be e-mailed right now; ask for a new one shortly',
        },
      ],
    });
    // The code was stored: the send counts.
    expect(signerOf(store, request, token.signerId).emailCode?.sentAt).toEqual([NOW]);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'signing code stored but not mailed',
        attributes: { signRequestId: request.id, signerId: token.signerId, reason: 'MessageRejected' },
      },
    ]);
  });

  it('logs a failure that is not an Error as unknown', async () => {
    const { token, lines, deps, failNextSends } = setup();
    failNextSends('refused' as unknown as Error);
    await expect(sendEmailCode(deps, token)).rejects.toMatchObject({ code: 'SIGNING_CODE_NOT_SENT' });
    expect(lines.map((line) => (line.attributes as { reason: string }).reason)).toEqual(['unknown']);
  });
});
