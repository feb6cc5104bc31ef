import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../functions/core/events.ts';
import type { Mail } from '../../functions/notifications/mail.ts';
import { itemKindOf, mailCapKey } from '../../functions/store/keys.ts';
import { MailCapStore } from '../../functions/store/mail-cap.ts';
import { recipientOf, sendMailForEvent } from '../../functions/workflows/send-mail.ts';
import {
  config,
  documentClient,
  documents,
  logger,
  mailLinks,
  notices,
  signRequests,
  unlimitedSendRate,
} from '../support/dependencies.ts';
import { freshRequest } from '../support/requests.ts';

/** The UpdateItem calls sent to the daily mail cap's items (`MAILCAP#…`), counted on the client itself. */
let capWrites = 0;
documentClient.middlewareStack.add(
  (next, context) => (args) => {
    const pk = (args.input as { Key?: { pk?: unknown } }).Key?.pk;
    if (context.commandName === 'UpdateItemCommand' && typeof pk === 'string' && itemKindOf(pk) === 'mailCap')
      capWrites++;
    return next(args);
  },
  { step: 'initialize', name: 'countMailCapWrites' },
);

const NOW = new Date().toISOString();

/** A recalled request of `signers` signers for a new app, stored, and the event that tells of its recall. */
const recalledRequestOf = async (signers: number) => {
  const { request } = freshRequest(signers, {
    appId: ulid(),
    status: 'CANCELLED',
    recall: { reason: 'Wrong file', by: 'Ops', at: NOW },
  });
  await signRequests.create(request);
  const event: DomainEvent = {
    schemaVersion: 1,
    eventId: `${request.id}.1`,
    occurredAt: NOW,
    signRequestId: request.id,
    requestNo: request.requestNo,
    appId: request.appId,
    status: 'CANCELLED',
    type: 'SignRequestRecalled',
    recall: { reason: 'Wrong file', by: 'Ops', at: NOW },
  };
  return { request, event };
};

/** The mailer as wired, on this file's table, with a cap of `dailyCap` and a mail service that keeps what it gets. */
const mailerWith = (dailyCap: number) => {
  const sent: Mail[] = [];
  const mailCap = new MailCapStore(documentClient, config.tableName, dailyCap);
  const deps = {
    signRequests,
    notices,
    notifier: { send: (mail: Mail) => Promise.resolve(void sent.push(mail)) },
    sendRate: unlimitedSendRate,
    logger,
    linkFor: mailLinks,
    mailCap,
    documents,
    now: () => new Date(NOW),
  };
  return { sent, mailCap, deps };
};

const context = { attempt: 1, messageId: 'M1', deadline: Date.now() + 600_000 };

const countOf = async (appId: string) =>
  (
    (
      await documentClient.send(
        new GetCommand({ TableName: config.tableName, Key: mailCapKey(appId, NOW.slice(0, 10)), ConsistentRead: true }),
      )
    ).Item as { n?: number } | undefined
  )?.n ?? 0;

describe('the daily mail cap, counted per notice batch', () => {
  it('counts a recall notice to 1,000 signers with one write to the cap item, not 1,000', async () => {
    const { request, event } = await recalledRequestOf(1_000);
    const { sent, deps } = mailerWith(10_000);
    capWrites = 0;
    expect(await sendMailForEvent(deps, event, context)).toBe('done');
    expect(sent).toHaveLength(1_000);
    expect(capWrites).toBe(1);
    expect(await countOf(request.appId)).toBe(1_000);
  }, 120_000);

  it('sends as many as still fit when the batch does not, in a few writes, and drops the rest', async () => {
    const { request, event } = await recalledRequestOf(1_000);
    const { sent, mailCap, deps } = mailerWith(700);
    expect(await mailCap.take(request.appId, 100, NOW)).toBe(true);
    capWrites = 0;
    expect(await sendMailForEvent(deps, event, context)).toBe('done');
    expect(sent).toHaveLength(600);
    // The first 600 in the order they go out; the other 400 recorded as capped (a retry skips them).
    const order = Object.values(request.signers).sort((a, b) => a.order - b.order);
    expect(sent.map((mail) => mail.to.email)).toEqual(order.slice(0, 600).map((signer) => signer.email));
    const lastRecipient = recipientOf({ to: { email: order.at(-1)!.email } } as Mail);
    expect(await notices.outcomeOf(event.eventId, lastRecipient)).toBe('capped');
    // The batch of 700 refused (100 used), the count read by an ADD 0, then the 600 left taken: three writes.
    expect(capWrites).toBe(3);
    expect(await countOf(request.appId)).toBe(700);
  }, 120_000);

  it('never passes the cap when batches race for it, and fills it', async () => {
    const appId = ulid();
    const mailCap = new MailCapStore(documentClient, config.tableName, 100);
    const taken = await Promise.all(Array.from({ length: 10 }, () => mailCap.takeUpTo(appId, 30, NOW)));
    // At most three batches of 30 fit whole; the room left (10) goes whole to one of the others, whatever the order.
    expect(taken.reduce((sum, each) => sum + each, 0)).toBe(100);
    expect(taken.filter((each) => each === 30)).toHaveLength(3);
    expect(await countOf(appId)).toBe(100);
    expect(await mailCap.takeUpTo(appId, 1, NOW)).toBe(0);
  });
});
