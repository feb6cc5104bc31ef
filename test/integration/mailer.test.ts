import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { notices, signRequests, unlimitedSendRate, mailLinks, mailCap, documents } from '../support/dependencies.ts';
import { asDeliveredEvent } from '../../functions/events/event-bridge.ts';
import type { Mail } from '../../functions/notifications/mail.ts';
import { NotificationRefused, type Notifier } from '../../functions/notifications/notifier.ts';
import { recipientOf } from '../../functions/workflows/send-mail.ts';
import { SendRate } from '../../functions/notifications/send-rate.ts';
import { DEFAULT_SES_MESSAGES_PER_SECOND } from '../../functions/notifications/mailer-limits.ts';
import { OutboxNotifier } from '../../functions/notifications/outbox-notifier.ts';
import { createMailerHandler } from '../../functions/handlers/mailer.ts';
import { LocalEventBus } from '../../infra/local/event-bus.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { sqsRecord } from '../../infra/local/sqs-record.ts';
import { storedEventOf } from '../support/domain-events.ts';
import { captureWrites } from '../support/log-guard.ts';
import {
  initiate,
  newApp,
  recallBody,
  signingPath,
  startService,
  type Created,
  type Service,
} from '../support/service.ts';

let service: Service;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());

const logger = new Logger({ serviceName: 'mailer-test' });

/** Rule (recalls only) -> queue -> mailer, as the CDK construct wires it, retrying fast. */
const busWithMailer = (notifier: Notifier) =>
  new LocalEventBus([
    {
      name: 'mail',
      matches: (event) => event.type === 'SignRequestRecalled',
      consumer: createMailerHandler({
        signRequests,
        notices,
        notifier,
        sendRate: unlimitedSendRate,
        logger,
        linkFor: mailLinks,
        mailCap,
        documents,
      }),
      maxReceiveCount: 3,
      backoffBaseMs: 1,
    },
  ]);

/** A request for `signerCount` signers, the first `signedCount` of whom signed before it was recalled. */
const recalledRequest = async (signerCount: number, signedCount: number) => {
  const app = await newApp();
  const created = await initiate(service, app.token, signerCount);
  for (const signer of created.Signers.slice(0, signedCount)) {
    const signed = await service.post(`${signingPath(signer.SigningUrl)}/sign`);
    expect(signed.status).toBe(200);
  }
  const recall = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
  expect(recall.Data).toBe(true);
  return { app, created, recalled: await storedEventOf(created.SignRequestId, 'SignRequestRecalled') };
};

/** Every secret a signing link carries: none may appear in a notification. */
const linkSecrets = (created: Created) =>
  created.Signers.flatMap((signer) => [signer.SigningUrl, signingPath(signer.SigningUrl).split('/').at(-1)!]);

describe('a recall tells every signer', () => {
  it('sends one notification per signer, and tells those who had signed that their signature will not be used', async () => {
    const { created, recalled } = await recalledRequest(4, 2);
    const outbox = new OutboxNotifier();
    const bus = busWithMailer(outbox);
    await bus.publish([recalled]);
    await bus.idle();

    expect(outbox.sent.map((notification) => notification.to.email)).toEqual(
      created.Signers.map((signer) => signer.Email),
    );
    expect(outbox.sent.map((notification) => notification.signerId)).toEqual(
      created.Signers.map((signer) => signer.SignerId),
    );
    const signed = outbox.sent.map((notification) => notification.text.includes('Your signature will not be used'));
    expect(signed).toEqual([true, true, false, false]);
    expect(outbox.sent.every((notification) => notification.kind === 'RECALLED')).toBe(true);
    expect(bus.deadLetters).toEqual([]);
  });

  it('says which document was recalled, by whom, why and when, and that the link no longer works', async () => {
    const { created, recalled } = await recalledRequest(1, 0);
    const outbox = new OutboxNotifier();
    const bus = busWithMailer(outbox);
    await bus.publish([recalled]);
    await bus.idle();

    const [notification] = outbox.sent as [Mail & { sentAt: string }];
    expect(notification).toMatchObject({
      eventId: recalled.eventId,
      signRequestId: created.SignRequestId,
      to: { name: created.Signers[0]!.Name, email: created.Signers[0]!.Email },
    });
    expect(notification.subject).toContain('Contract.pdf');
    expect(notification.text).toContain('"Contract.pdf"');
    expect(notification.text).toContain(created.RequestNo);
    expect(notification.text).toContain('Mohit Bansal');
    expect(notification.text).toContain('Request raised mistakenly');
    expect(notification.text).toContain(new Date(recalled.recall.at).toUTCString());
    expect(notification.text).toContain('signing link for this document no longer works');
  });

  it('never puts a signing link or token in a notification', async () => {
    const { created, recalled } = await recalledRequest(3, 1);
    const outbox = new OutboxNotifier();
    const bus = busWithMailer(outbox);
    await bus.publish([recalled]);
    await bus.idle();

    expect(outbox.sent).toHaveLength(3);
    const everything = JSON.stringify(outbox.sent);
    for (const secret of linkSecrets(created)) expect(everything).not.toContain(secret);
    expect(everything).not.toContain('/v1/signing/');
    expect(everything).not.toMatch(/https?:\/\//);
  });

  it('tells the signer left and the one who had signed, each in their own words', async () => {
    const { created, recalled } = await recalledRequest(2, 1);
    const outbox = new OutboxNotifier();
    const bus = busWithMailer(outbox);
    await bus.publish([recalled]);
    await bus.idle();
    expect(outbox.sent.map((notification) => notification.to.email)).toEqual(
      created.Signers.map((signer) => signer.Email),
    );
    expect(outbox.sent[0]!.text).toContain('You had already signed it. Your signature will not be used');
    expect(outbox.sent[1]!.text).toContain('Your signing link for this document no longer works');
  });

  it('hands each notification to the outbox callback, as npm start prints them', async () => {
    const { recalled } = await recalledRequest(2, 0);
    const printed: string[] = [];
    const bus = busWithMailer(new OutboxNotifier((notification) => printed.push(notification.to.email)));
    await bus.publish([recalled]);
    await bus.idle();
    expect(printed).toEqual(['signer1@example.com', 'signer2@example.com']);
  });
});

describe('the mailer as a queue consumer', () => {
  const batchOf = (...bodies: string[]): SQSEvent => ({
    Records: bodies.map((body, index) => sqsRecord(`m${index}`, body)),
  });

  it('takes other events and unknown requests off the queue without telling anyone', async () => {
    const { created, recalled } = await recalledRequest(2, 1);
    const outbox = new OutboxNotifier();
    const consumer = createMailerHandler({
      signRequests,
      notices,
      notifier: outbox,
      sendRate: unlimitedSendRate,
      logger,
      linkFor: mailLinks,
      mailCap,
      documents,
    });
    const createdEvent = await storedEventOf(created.SignRequestId, 'SignerSigned');
    const unknownRequest = { ...recalled, signRequestId: '01HV6MEARQD3X8ZXXX5FR3YDB8' };
    const answer = await consumer(
      batchOf(JSON.stringify(asDeliveredEvent(createdEvent)), JSON.stringify(asDeliveredEvent(unknownRequest))),
      localLambdaContext('mailer'),
    );
    expect(answer.batchItemFailures).toEqual([]);
    expect(outbox.sent).toEqual([]);
  });

  it('reports only the failed message of a batch, so the others are not sent again', async () => {
    const first = await recalledRequest(1, 0);
    const second = await recalledRequest(1, 0);
    const failing = second.created.Signers[0]!.Email;
    const sent: string[] = [];
    const notifier: Notifier = {
      send: (notification) => {
        if (notification.to.email === failing && notification.signRequestId === second.created.SignRequestId)
          return Promise.reject(new Error('mail service down'));
        sent.push(notification.signRequestId);
        return Promise.resolve();
      },
    };
    const consumer = createMailerHandler({
      signRequests,
      notices,
      notifier,
      sendRate: unlimitedSendRate,
      logger,
      linkFor: mailLinks,
      mailCap,
      documents,
    });
    const answer = await consumer(
      batchOf(
        JSON.stringify(asDeliveredEvent(first.recalled)),
        JSON.stringify(asDeliveredEvent(second.recalled)),
        'not json',
      ),
      localLambdaContext('mailer'),
    );
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }]);
    expect(sent).toEqual([first.created.SignRequestId]);
  });

  it('retries a notification that failed, then delivers it; one that keeps failing ends as a dead letter', async () => {
    const { recalled } = await recalledRequest(1, 0);
    let calls = 0;
    const flaky = new OutboxNotifier();
    const recovering: Notifier = {
      send: (notification) => (++calls === 1 ? Promise.reject(new Error('throttled')) : flaky.send(notification)),
    };
    const recoveringBus = busWithMailer(recovering);
    await recoveringBus.publish([recalled]);
    await recoveringBus.idle();
    expect(calls).toBe(2);
    expect(flaky.sent).toHaveLength(1);
    expect(recoveringBus.deadLetters).toEqual([]);

    // Another recall: this one's recipient was told above, and is never told twice.
    const { recalled: another } = await recalledRequest(1, 0);
    const brokenBus = busWithMailer({ send: () => Promise.reject(new Error('down')) });
    await brokenBus.publish([another]);
    await brokenBus.idle();
    expect(brokenBus.deadLetters).toEqual([{ subscription: 'mail', event: another, attempts: 3 }]);
  });
});

describe('every recipient on its own', () => {
  it('sends to the 1st once, never retries the 2nd (refused for good), retries only the 3rd, and nobody twice', async () => {
    const { created, recalled } = await recalledRequest(3, 0);
    const [first, second, third] = created.Signers.map((signer) => signer.Email) as [string, string, string];
    const attempts: string[] = [];
    const delivered: string[] = [];
    let thirdFailures = 0;
    const notifier: Notifier = {
      send: (notification) => {
        const to = notification.to.email;
        attempts.push(to);
        if (to === second) return Promise.reject(new NotificationRefused('MessageRejected'));
        if (to === third && thirdFailures++ === 0) return Promise.reject(new Error('Throttling'));
        delivered.push(to);
        return Promise.resolve();
      },
    };
    // Every line the test's functions log, stdout and stderr alike.
    const lines = captureWrites();
    try {
      const bus = busWithMailer(notifier);
      await bus.publish([recalled]);
      await bus.idle();
      expect(attempts).toEqual([first, second, third, third]);
      expect(delivered).toEqual([first, third]);
      expect(bus.deadLetters).toEqual([]);

      // The same event again (a redelivered or redriven message): everyone's outcome is recorded, nobody is told twice.
      await bus.publish([recalled]);
      await bus.idle();
      expect(attempts).toEqual([first, second, third, third]);
    } finally {
      vi.restoreAllMocks();
    }
    const logged = lines.join('');
    expect(logged).toContain('notification refused for good: not retried');
    expect(logged).toContain(recipientOf({ to: { name: '', email: second } } as Mail));
    for (const email of [first, second, third]) expect(logged).not.toContain(email);
  });

  it('records each outcome by event and recipient hash, never the address', async () => {
    const { created, recalled } = await recalledRequest(2, 0);
    const bus = busWithMailer({
      send: (notification) =>
        notification.to.email === created.Signers[1]!.Email
          ? Promise.reject(new NotificationRefused('BadRequestException'))
          : Promise.resolve(),
    });
    await bus.publish([recalled]);
    await bus.idle();
    const recipients = created.Signers.map((signer) =>
      recipientOf({ to: { name: signer.Name, email: signer.Email } } as Mail),
    );
    expect(await notices.outcomeOf(recalled.eventId, recipients[0]!)).toBe('sent');
    expect(await notices.outcomeOf(recalled.eventId, recipients[1]!)).toBe('refused');
    expect(recipients[0]).not.toContain('@');
  });

  it('stops at the message deadline when the send rate has no token left in time, and goes on from there on the retry', async () => {
    const { created, recalled } = await recalledRequest(3, 0);
    const sent: string[] = [];
    let tokens = 1;
    const consumer = createMailerHandler({
      signRequests,
      notices,
      notifier: { send: (notification) => (sent.push(notification.to.email), Promise.resolve()) },
      // One token now, then none before the deadline: as a bucket that a busy account has emptied.
      sendRate: { take: () => Promise.resolve(tokens-- > 0) },
      logger,
      linkFor: mailLinks,
      mailCap,
      documents,
    });
    const body = JSON.stringify(asDeliveredEvent(recalled));
    const firstTry = await consumer({ Records: [sqsRecord('m0', body)] }, localLambdaContext('mailer'));
    expect(firstTry.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(sent).toEqual([created.Signers[0]!.Email]);
    tokens = 10;
    const secondTry = await consumer(
      { Records: [sqsRecord('m0', body, { receiveCount: 2 })] },
      localLambdaContext('mailer'),
    );
    expect(secondTry.batchItemFailures).toEqual([]);
    expect(sent).toEqual(created.Signers.map((signer) => signer.Email));
  });
});

describe('many recalls at the SES send rate', () => {
  it('ten recalls of 50 signers, each with one address SES refuses, reach the other 490 exactly once, never above 14 a second', async () => {
    const recalls = [];
    for (let round = 0; round < 10; round++) recalls.push(await recalledRequest(50, 0));
    // Time as the send rate sees it: it moves only when the rate waits, so the limit is proven without timing.
    let now = 0;
    const sendRate = new SendRate(DEFAULT_SES_MESSAGES_PER_SECOND, {
      now: () => now,
      sleep: (ms) => ((now += ms), Promise.resolve()),
    });
    const sentAt: number[] = [];
    const delivered = new Map<string, number>();
    let throttled = 0;
    // SES as the finding met it: the 2nd signer of each request unverified (sandbox), and a throttle above 14 a second.
    const ses: Notifier = {
      send: (notification) => {
        if (notification.to.email === 'signer2@example.com')
          return Promise.reject(new NotificationRefused('MessageRejected'));
        if (sentAt.filter((at) => at > now - 1000).length >= DEFAULT_SES_MESSAGES_PER_SECOND) {
          throttled++;
          return Promise.reject(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }));
        }
        sentAt.push(now);
        const key = `${notification.eventId}/${notification.to.email}`;
        delivered.set(key, (delivered.get(key) ?? 0) + 1);
        return Promise.resolve();
      },
    };
    const bus = new LocalEventBus([
      {
        name: 'mail',
        matches: (event) => event.type === 'SignRequestRecalled',
        consumer: createMailerHandler({
          signRequests,
          notices,
          notifier: ses,
          sendRate,
          logger,
          linkFor: mailLinks,
          mailCap,
          documents,
        }),
        maxReceiveCount: 3,
        backoffBaseMs: 1,
      },
    ]);
    await bus.publish(recalls.map(({ recalled }) => recalled));
    await bus.idle();

    expect(throttled).toBe(0);
    expect(bus.deadLetters).toEqual([]);
    expect(delivered.size).toBe(490);
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
    for (const { recalled } of recalls) expect(delivered.has(`${recalled.eventId}/signer2@example.com`)).toBe(false);
  });
});
