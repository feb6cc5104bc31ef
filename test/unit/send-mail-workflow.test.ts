import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../functions/core/events.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { sha256Hex } from '../../functions/core/signing-token.ts';
import type { Mail } from '../../functions/notifications/mail.ts';
import { NotificationRefused } from '../../functions/notifications/notifier.ts';
import type { NoticeOutcome } from '../../functions/store/notices.ts';
import { recipientOf, sendMailForEvent, type MailerDependencies } from '../../functions/workflows/send-mail.ts';
import { FakeMailCap } from '../support/fake-mail-cap.ts';
import { MAX_ATTACHED_SIGNED_DOCUMENT_BYTES } from '../../functions/notifications/mail-content.ts';
import { FakeSignRequests } from '../support/fake-sign-requests.ts';
import { recordingLogger } from '../support/recording-logger.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-06-12T10:00:00.000Z';
const DEADLINE = Date.parse(NOW) + 60_000;
const context = { attempt: 1, messageId: 'M1', deadline: DEADLINE };

/**
 * The mailer's ports in memory: the shared request store (a test changes the request while a send waits for its
 * token), notice records where the first record of a recipient wins, a notifier that keeps what it sent or
 * fails as told per address, a send rate that runs out when told, and the mail cap.
 */
const setup = (overrides: Partial<SignRequest> = {}, cap = 100, signers = 2) => {
  const { request } = freshRequest(signers, { updatedAt: NOW, senderEmail: 'boss@example.com', ...overrides });
  const store = new FakeSignRequests(request);
  const notices = new Map<string, { outcome: NoticeOutcome; at: string }>();
  const sent: Mail[] = [];
  const failures = new Map<string, unknown>();
  const rate = { tokens: Number.POSITIVE_INFINITY, deadlines: [] as (number | undefined)[], onTake: () => {} };
  const mailCap = new FakeMailCap(cap);
  const { logger, lines } = recordingLogger();
  const state = { failRecord: false };
  const deps: MailerDependencies = {
    signRequests: store,
    notices: {
      outcomeOf: (eventId, recipient) => Promise.resolve(notices.get(`${eventId}/${recipient}`)?.outcome),
      record: (eventId, recipient, outcome, at) => {
        if (state.failRecord) return Promise.reject(new Error('store down'));
        if (!notices.has(`${eventId}/${recipient}`)) notices.set(`${eventId}/${recipient}`, { outcome, at });
        return Promise.resolve();
      },
    },
    notifier: {
      send: (mail) => {
        const failure = failures.get(mail.to.email);
        // A notifier may fail with anything at all, not only an Error: the mailer must name either.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        if (failure !== undefined) return Promise.reject(failure);
        sent.push(mail);
        return Promise.resolve();
      },
    },
    sendRate: {
      take: (deadline) => {
        rate.deadlines.push(deadline);
        rate.onTake();
        if (rate.tokens <= 0) return Promise.resolve(false);
        rate.tokens--;
        return Promise.resolve(true);
      },
    },
    logger,
    linkFor: (signRequestId, signerId) => `https://sign.example/${signRequestId}/${signerId}`,
    mailCap,
    // No request here has a signed document: nothing is ever read.
    documents: { read: () => Promise.reject(new Error('no document is read here')) },
    now: () => new Date(NOW),
  };
  const [first, second] = Object.keys(request.signers) as [string, string];
  return { request, store, notices, sent, failures, rate, mailCap, lines, state, deps, first, second };
};

const common = (request: SignRequest, position: number, status: SignRequest['status']) => ({
  schemaVersion: 1 as const,
  eventId: `${request.id}.${position}`,
  occurredAt: NOW,
  signRequestId: request.id,
  requestNo: request.requestNo,
  appId: request.appId,
  status,
});
const created = (request: SignRequest): DomainEvent => ({
  ...common(request, 0, 'PENDING'),
  type: 'SignRequestCreated',
  documentName: request.documentName,
  signerCount: request.signerCount,
});
const recalled = (request: SignRequest): DomainEvent => ({
  ...common(request, 1, 'CANCELLED'),
  type: 'SignRequestRecalled',
  recall: { reason: 'Wrong file', by: 'Ops', at: NOW },
});
const recalledRequest = (request: SignRequest): SignRequest => ({
  ...request,
  status: 'CANCELLED',
  recall: { reason: 'Wrong file', by: 'Ops', at: NOW },
});
const signedBy = (request: SignRequest, signerId: string): SignRequest => ({
  ...request,
  status: 'PARTIALLY_SIGNED',
  signedCount: 1,
  signers: { ...request.signers, [signerId]: { ...request.signers[signerId]!, status: 'SIGNED', signedAt: NOW } },
});
const byEmail = (address: string) => sha256Hex(address).slice(0, 32);

describe('recipientOf', () => {
  it('names a recipient by a hash of the case-folded, trimmed address, never the address', () => {
    const mail = (email: string) => ({ to: { name: 'Ann', email } }) as Mail;
    expect(recipientOf(mail(' Ann@Example.COM '))).toBe(byEmail('ann@example.com'));
    expect(recipientOf(mail('ann@example.com'))).toHaveLength(32);
    expect(recipientOf(mail('bob@example.com'))).not.toBe(recipientOf(mail('ann@example.com')));
  });
});

describe('sendMailForEvent', () => {
  it('sends each signer their invitation, read again just before its send, and records each as sent', async () => {
    const { request, store, notices, sent, rate, mailCap, lines, deps, first, second } = setup();
    const event = created(request);
    expect(await sendMailForEvent(deps, event, context)).toBe('done');
    expect(sent.map((mail) => [mail.kind, mail.signerId, mail.to.email])).toEqual([
      ['INVITATION', first, 's0@example.com'],
      ['INVITATION', second, 's1@example.com'],
    ]);
    expect(sent[0]!.text).toContain(`https://sign.example/${request.id}/${first}`);
    expect([...notices]).toEqual([
      [`${event.eventId}/${byEmail('s0@example.com')}`, { outcome: 'sent', at: NOW }],
      [`${event.eventId}/${byEmail('s1@example.com')}`, { outcome: 'sent', at: NOW }],
    ]);
    // One read for the event, one before each send; the deadline goes to the send rate; invitations were
    // counted by the call that asked for them, not here.
    expect(store.reads).toEqual([request.id, request.id, request.id]);
    expect(rate.deadlines).toEqual([DEADLINE, DEADLINE]);
    expect(mailCap.takes).toEqual([]);
    expect(lines.at(-1)).toEqual({
      level: 'info',
      message: 'mail sent',
      attributes: {
        eventId: event.eventId,
        eventType: 'SignRequestCreated',
        signRequestId: request.id,
        attempt: 1,
        sent: 2,
        refused: 0,
        capped: 0,
        already: 0,
        stale: 0,
      },
    });
  });

  it('sends nothing for an event that makes no mail, without reading the request', async () => {
    const { request, store, sent, lines, deps, first } = setup();
    const signed: DomainEvent = { ...common(request, 1, 'PARTIALLY_SIGNED'), type: 'SignerSigned', signerId: first };
    expect(await sendMailForEvent(deps, signed, context)).toBe('done');
    expect(store.reads).toEqual([]);
    expect(sent).toEqual([]);
    expect(lines.map((line) => [line.level, line.message])).toEqual([['debug', 'no mail for this event']]);
  });

  it('sends nothing, for good, when the request is missing or another app’s', async () => {
    const { request, sent, lines, deps } = setup();
    expect(await sendMailForEvent(deps, { ...created(request), appId: 'APP2' }, context)).toBe('done');
    expect(
      await sendMailForEvent(deps, { ...created(request), signRequestId: '01HV6MEARQD3X8ZXXX5FR3YDB8' }, context),
    ).toBe('done');
    expect(sent).toEqual([]);
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['error', 'request not found: no mail sent'],
      ['error', 'request not found: no mail sent'],
    ]);
  });

  it('skips whoever was told already: a retried message repeats nobody, and one person listed twice hears once', async () => {
    const { request, notices, sent, lines, deps, first } = setup();
    const event = created(request);
    notices.set(`${event.eventId}/${byEmail('s1@example.com')}`, { outcome: 'sent', at: NOW });
    expect(await sendMailForEvent(deps, event, { ...context, attempt: 2 })).toBe('done');
    expect(sent.map((mail) => mail.signerId)).toEqual([first]);
    expect(lines.at(-1)!.attributes).toMatchObject({ attempt: 2, sent: 1, already: 1 });

    const twice = setup();
    const [, secondId] = Object.keys(twice.request.signers);
    const sameTwice = {
      ...twice.request,
      signers: {
        ...twice.request.signers,
        [secondId!]: { ...twice.request.signers[secondId!]!, email: 'S0@Example.com' },
      },
    };
    twice.store.put(sameTwice);
    expect(await sendMailForEvent(twice.deps, created(sameTwice), context)).toBe('done');
    expect(twice.sent).toHaveLength(1);
    expect(twice.lines.at(-1)!.attributes).toMatchObject({ sent: 1, already: 1 });
  });

  it('sends no invitation that no longer fits the request as the event found it', async () => {
    const { request, store, sent, lines, rate, deps } = setup();
    store.put(recalledRequest(request));
    expect(await sendMailForEvent(deps, created(request), context)).toBe('done');
    expect(sent).toEqual([]);
    expect(rate.deadlines).toEqual([]);
    expect(lines.at(-1)!.attributes).toMatchObject({ sent: 0, stale: 2 });
  });

  it('decides each invitation at its send: a signature or a recall that landed while it waited stops it', async () => {
    const signing = setup();
    signing.rate.onTake = () => signing.store.put(signedBy(signing.request, signing.first));
    expect(await sendMailForEvent(signing.deps, created(signing.request), context)).toBe('done');
    expect(signing.sent.map((mail) => mail.signerId)).toEqual([signing.second]);
    expect(signing.notices.size).toBe(1);
    expect(signing.lines.map((line) => line.message)).toContain('mail no longer fits the request: not sent');
    expect(signing.lines.at(-1)!.attributes).toMatchObject({ sent: 1, stale: 1 });

    const recalling = setup();
    recalling.rate.onTake = () => recalling.store.put(recalledRequest(recalling.request));
    expect(await sendMailForEvent(recalling.deps, created(recalling.request), context)).toBe('done');
    expect(recalling.sent).toEqual([]);
    expect(recalling.lines.at(-1)!.attributes).toMatchObject({ sent: 0, stale: 2 });

    // A request gone by then (it never is: requests are not deleted) sends nothing either.
    const gone = setup();
    gone.rate.onTake = () => gone.store.items.clear();
    expect(await sendMailForEvent(gone.deps, created(gone.request), context)).toBe('done');
    expect(gone.sent).toEqual([]);
  });

  it('reminds only the signers the event names, still pending', async () => {
    const { request, store, sent, deps, first, second } = setup();
    store.put(signedBy(request, first));
    const reminded: DomainEvent = {
      ...common(request, 2, 'PARTIALLY_SIGNED'),
      type: 'SignersReminded',
      signerIds: [first, second],
    };
    expect(await sendMailForEvent(deps, reminded, context)).toBe('done');
    expect(sent.map((mail) => [mail.kind, mail.signerId])).toEqual([['REMINDER', second]]);
  });

  it('counts the notices against the daily cap in one batch at their send, and drops (and records) those over it', async () => {
    const { request, store, notices, sent, mailCap, lines, deps } = setup({}, 2);
    store.put(recalledRequest(request));
    const event = recalled(request);
    expect(await sendMailForEvent(deps, event, context)).toBe('done');
    expect(sent.map((mail) => mail.to.email)).toEqual(['s0@example.com', 's1@example.com']);
    // Three notices asked for in one batch; two fit, in the order they go out.
    expect(mailCap.batches).toEqual([{ appId: 'APP1', asked: 3, taken: 2, at: NOW }]);
    expect(mailCap.takes).toEqual([]);
    expect(mailCap.givenBack).toEqual([]);
    expect(notices.get(`${event.eventId}/${byEmail('boss@example.com')}`)).toEqual({ outcome: 'capped', at: NOW });
    expect(lines.map((line) => line.message)).toContain('daily mail cap reached: notice dropped');
    expect(lines.at(-1)!.attributes).toMatchObject({ sent: 2, capped: 1 });
    // A notice tells of a closed state: it is not read again before its send.
    expect(store.reads).toEqual([request.id]);
  });

  it('gives back the notices it counted and never sent at the deadline; the retry counts only those still untold', async () => {
    const { request, store, sent, rate, mailCap, deps } = setup({}, 10);
    store.put(recalledRequest(request));
    const event = recalled(request);
    rate.tokens = 1;
    expect(await sendMailForEvent(deps, event, context)).toBe('retry');
    expect(sent).toHaveLength(1);
    expect(mailCap.givenBack).toEqual([{ appId: 'APP1', count: 2, at: NOW }]);
    expect(mailCap.used('APP1', NOW)).toBe(1);

    rate.tokens = Number.POSITIVE_INFINITY;
    expect(await sendMailForEvent(deps, event, { ...context, attempt: 2 })).toBe('done');
    expect(sent).toHaveLength(3);
    expect(mailCap.batches.map((batch) => [batch.asked, batch.taken])).toEqual([
      [3, 3],
      [2, 2],
    ]);
    expect(mailCap.used('APP1', NOW)).toBe(3);
  });

  it('sends a recall notice to nobody once the request no longer says so, and decline and completion notices', async () => {
    const { request, store, sent, deps, first } = setup();
    store.put({ ...request, status: 'DECLINED', decline: { signerId: first, reason: 'No', at: NOW } });
    const declined: DomainEvent = {
      ...common(request, 1, 'DECLINED'),
      type: 'SignRequestDeclined',
      decline: { signerId: first, reason: 'No', at: NOW },
    };
    expect(await sendMailForEvent(deps, declined, context)).toBe('done');
    expect(sent.map((mail) => [mail.kind, mail.to.email])).toEqual([
      ['DECLINED', 's1@example.com'],
      ['DECLINED', 'boss@example.com'],
    ]);
    // The recall event of a request that is declined now: its notices no longer fit.
    sent.length = 0;
    expect(await sendMailForEvent(deps, recalled(request), context)).toBe('done');
    expect(sent).toEqual([]);
  });

  it('records a recipient refused for good and goes on; a transient failure retries the message', async () => {
    const { request, notices, sent, failures, lines, deps } = setup();
    const event = created(request);
    failures.set('s0@example.com', new NotificationRefused('MessageRejected'));
    failures.set('s1@example.com', Object.assign(new Error('slow down s1@example.com'), { name: 'Throttling' }));
    expect(await sendMailForEvent(deps, event, context)).toBe('retry');
    expect(sent).toEqual([]);
    expect(notices.get(`${event.eventId}/${byEmail('s0@example.com')}`)).toEqual({ outcome: 'refused', at: NOW });
    expect(notices.has(`${event.eventId}/${byEmail('s1@example.com')}`)).toBe(false);
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.message)).toEqual([
      'notification refused for good: not retried',
      'notification failed, will retry this recipient',
      'some mail not sent yet, will retry for those recipients only',
    ]);
    expect(warnings[0]!.attributes).toMatchObject({ reason: 'MessageRejected', kind: 'INVITATION' });
    expect(warnings[1]!.attributes).toMatchObject({ reason: 'Throttling', recipient: byEmail('s1@example.com') });
    expect(warnings[2]!.attributes).toMatchObject({ sent: 0, refused: 1, unfinished: 1 });

    // The retry tells only the one still untold, and skips the refused one.
    failures.clear();
    expect(await sendMailForEvent(deps, event, { ...context, attempt: 2 })).toBe('done');
    expect(sent.map((mail) => mail.to.email)).toEqual(['s1@example.com']);
  });

  it('names a failure that is not an Error as unknown', async () => {
    const { request, failures, lines, deps } = setup();
    failures.set('s0@example.com', 'a string');
    expect(await sendMailForEvent(deps, created(request), context)).toBe('retry');
    expect(lines.find((line) => line.message.startsWith('notification failed'))!.attributes).toMatchObject({
      reason: 'unknown',
    });
  });

  it('stops at the deadline: the rest of the message is left for its retry', async () => {
    const { request, sent, rate, lines, deps } = setup({}, 100, 3);
    rate.tokens = 1;
    expect(await sendMailForEvent(deps, created(request), context)).toBe('retry');
    expect(sent).toHaveLength(1);
    // The third signer was not tried at all: the send rate was asked twice.
    expect(rate.deadlines).toHaveLength(2);
    expect(lines.at(-1)!.attributes).toMatchObject({ sent: 1, unfinished: 1 });
  });

  it('answers done for a mail sent whose record was lost, saying a retry may send it again', async () => {
    const { request, sent, lines, state, deps } = setup();
    state.failRecord = true;
    expect(await sendMailForEvent(deps, created(request), context)).toBe('done');
    expect(sent).toHaveLength(2);
    expect(lines.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      'notification sent but not recorded: a retry may send it again',
      'notification sent but not recorded: a retry may send it again',
    ]);
    const [firstError] = lines.filter((line) => line.level === 'error');
    expect(firstError!.attributes).toMatchObject({ kind: 'INVITATION', recipient: byEmail('s0@example.com') });
    expect((firstError!.attributes as { error: unknown }).error).toEqual(new Error('store down'));
  });

  it('takes the time from the system clock when given none', async () => {
    const { request, store, notices, mailCap, deps } = setup();
    store.put(recalledRequest(request));
    const { now: _now, ...withoutNow } = deps;
    const before = Date.now();
    expect(await sendMailForEvent(withoutNow, recalled(request), context)).toBe('done');
    for (const at of [
      ...[...notices.values()].map((notice) => notice.at),
      ...mailCap.batches.map((batch) => batch.at),
    ]) {
      expect(Date.parse(at)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(at)).toBeLessThanOrEqual(Date.now());
    }
    expect(notices.size).toBe(3);
  });
});

describe('the completion notice', () => {
  const completedWith = (request: SignRequest, size: number): SignRequest => ({
    ...request,
    status: 'COMPLETED',
    signedCount: request.signerCount,
    signedDocument: { sha256: 'ab'.repeat(32), size, key: `documents/app/${request.id}/signed-X.pdf`, madeAt: NOW },
  });
  const ready = (request: SignRequest, size: number): DomainEvent => ({
    ...common(request, 5, 'COMPLETED'),
    type: 'SignedDocumentReady',
    signedDocument: { sha256: 'ab'.repeat(32), size },
  });
  /** A bucket holding the one signed document, counting its reads. */
  const bucketWith = (key: string, bytes: Uint8Array) => {
    const reads: string[] = [];
    return {
      reads,
      documents: {
        read: (asked: string) => {
          reads.push(asked);
          return Promise.resolve(asked === key ? bytes : undefined);
        },
      },
    };
  };

  it('is not sent on the last signature itself, only once the signed document is ready', async () => {
    const { request, store, sent, deps } = setup();
    store.put(completedWith(request, 1000));
    const completed: DomainEvent = { ...common(request, 4, 'COMPLETED'), type: 'SignRequestCompleted' };
    expect(await sendMailForEvent(deps, completed, context)).toBe('done');
    expect(sent).toEqual([]);
  });

  it('attaches the signed document, read once, to every signer’s and the sender’s notice, each counted', async () => {
    const { request, store, sent, mailCap, deps } = setup();
    const stored = completedWith(request, 1000);
    store.put(stored);
    const bytes = new Uint8Array([37, 80, 68, 70]);
    const bucket = bucketWith(stored.signedDocument!.key, bytes);
    expect(await sendMailForEvent({ ...deps, documents: bucket.documents }, ready(stored, 1000), context)).toBe('done');
    expect(bucket.reads).toEqual([stored.signedDocument!.key]);
    expect(sent.map((mail) => mail.to.email).sort()).toEqual(
      [...Object.values(stored.signers).map((signer) => signer.email), 'boss@example.com'].sort(),
    );
    for (const mail of sent) {
      expect(mail.kind).toBe('COMPLETED');
      expect(mail.attachment).toEqual({
        fileName: `${stored.documentName.replace(/\.pdf$/i, '')}-signed.pdf`,
        contentType: 'application/pdf',
        bytes,
      });
      expect(mail.text).toContain('The signed document is attached');
    }
    expect(mailCap.batches.reduce((sum, batch) => sum + batch.taken, 0)).toBe(sent.length);
  });

  it('over 10 MiB attaches nothing: signers get their own link, the sender the route that serves it', async () => {
    const { request, store, sent, deps } = setup();
    const stored = completedWith(request, MAX_ATTACHED_SIGNED_DOCUMENT_BYTES + 1);
    store.put(stored);
    const bucket = bucketWith(stored.signedDocument!.key, new Uint8Array(1));
    const event = ready(stored, stored.signedDocument!.size);
    expect(await sendMailForEvent({ ...deps, documents: bucket.documents }, event, context)).toBe('done');
    expect(bucket.reads).toEqual([]);
    expect(sent).toHaveLength(3);
    for (const mail of sent) {
      expect(mail.attachment).toBeUndefined();
      if (mail.signerId) expect(mail.text).toContain(deps.linkFor(stored.id, mail.signerId));
      else expect(mail.text).toContain(`GET /v1/sign-requests/${stored.id}/signed-document`);
    }
  });

  it('retries when the recorded signed document is missing from the bucket, sending nothing', async () => {
    const { request, store, sent, deps } = setup();
    const stored = completedWith(request, 1000);
    store.put(stored);
    const bucket = bucketWith('another key', new Uint8Array(1));
    await expect(
      sendMailForEvent({ ...deps, documents: bucket.documents }, ready(stored, 1000), context),
    ).rejects.toThrow(/missing from the bucket/);
    expect(sent).toEqual([]);
  });
});
