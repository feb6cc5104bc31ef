import {
  AccountSuspendedException,
  BadRequestException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SendingPausedException,
  TooManyRequestsException,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import type { Mail } from '../../functions/notifications/mail.ts';
import { NotificationRefused } from '../../functions/notifications/notifier.ts';
import { fromAddressOf, SES_SEND_ERRORS, sesNotifier } from '../../functions/notifications/ses-notifier.ts';
import { sendRatePerContainer } from '../../functions/notifications/mailer-limits.ts';

const notification: Mail = {
  kind: 'RECALLED',
  appId: 'APP1',
  html: '<p>Hello &ldquo;<span class="data">Ben Okafor</span>&rdquo;, …</p>',
  eventId: 'SR1.3',
  signRequestId: 'SR1',
  signerId: 'S1',
  to: { name: 'Ben Okafor', email: 'ben@example.com' },
  subject: 'Signature request recalled: Contract.pdf',
  text: 'Hello Ben Okafor, …',
};

describe('sesNotifier', () => {
  it('sends one UTF-8 email, text and HTML, to the recipient, from the configured address', async () => {
    const sent: SendEmailCommandInput[] = [];
    await sesNotifier((input) => {
      sent.push(input);
      return Promise.resolve({});
    }, 'no-reply@example.com').send(notification);
    expect(sent).toEqual([
      {
        FromEmailAddress: 'no-reply@example.com',
        Destination: { ToAddresses: ['ben@example.com'] },
        EmailTags: [
          { Name: 'app-id', Value: 'APP1' },
          { Name: 'mail-kind', Value: 'RECALLED' },
        ],
        Content: {
          Simple: {
            Subject: { Data: notification.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: notification.text, Charset: 'UTF-8' },
              Html: { Data: notification.html, Charset: 'UTF-8' },
            },
          },
        },
      },
    ]);
  });

  it('names the configuration set it is given (bounces and complaints suppress the address)', async () => {
    const sent: SendEmailCommandInput[] = [];
    await sesNotifier(
      (input) => {
        sent.push(input);
        return Promise.resolve({});
      },
      'no-reply@example.com',
      'esign-mail',
    ).send(notification);
    expect(sent[0]?.ConfigurationSetName).toBe('esign-mail');
  });

  it('leaves out a tag SES would refuse the whole send for, rather than lose the mail', async () => {
    const sent: SendEmailCommandInput[] = [];
    await sesNotifier((input) => {
      sent.push(input);
      return Promise.resolve({});
    }, 'no-reply@example.com').send({ ...notification, appId: 'app with spaces' });
    expect(sent[0]?.EmailTags).toEqual([{ Name: 'mail-kind', Value: 'RECALLED' }]);
  });

  it('fails when SES refuses, so the message is retried', async () => {
    const refusing = sesNotifier(() => Promise.reject(new Error('Throttling')), 'no-reply@example.com');
    await expect(refusing.send(notification)).rejects.toThrow('Throttling');
  });
});

describe('sesNotifier: refusals for good', () => {
  // The SDK's own exception classes, as the client throws them: a renamed or removed class fails this file.
  const sdkErrors = {
    MessageRejected,
    BadRequestException,
    AccountSuspendedException,
    SendingPausedException,
    MailFromDomainNotVerifiedException,
    NotFoundException,
    LimitExceededException,
    TooManyRequestsException,
  };
  const thrown = (name: keyof typeof sdkErrors) =>
    new sdkErrors[name]({ message: 'Email address is not verified: ben@example.com', $metadata: {} });

  it('maps every error SendEmail can throw, and nothing else', () => {
    expect(Object.keys(SES_SEND_ERRORS).sort()).toEqual(Object.keys(sdkErrors).sort());
  });

  it('turns MessageRejected and BadRequestException (this recipient, for good) into a refusal that names the error only, never the address', async () => {
    for (const name of ['MessageRejected', 'BadRequestException'] as const) {
      const error = thrown(name);
      const refusal = await sesNotifier(() => Promise.reject(error), 'no-reply@example.com')
        .send(notification)
        .catch((caught: unknown) => caught);
      expect(refusal).toBeInstanceOf(NotificationRefused);
      expect((refusal as NotificationRefused).reason).toBe(name);
      expect(String((refusal as Error).message)).not.toContain('ben@example.com');
    }
  });

  it('leaves throttling, the quota, a paused or suspended account, an unverified MAIL FROM domain and a missing configuration set as failures to retry', async () => {
    const retried = [
      'TooManyRequestsException',
      'LimitExceededException',
      'SendingPausedException',
      'AccountSuspendedException',
      'MailFromDomainNotVerifiedException',
      'NotFoundException',
    ] as const;
    for (const name of retried) {
      const error = thrown(name);
      const failure = await sesNotifier(() => Promise.reject(error), 'no-reply@example.com')
        .send(notification)
        .catch((caught: unknown) => caught);
      expect(failure).toBe(error);
    }
    expect(retried.length + 2).toBe(Object.keys(SES_SEND_ERRORS).length);
  });

  it('retries an error it does not know (a network failure, a new SES error), and nothing inherited passes for a known error', async () => {
    const unknown = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const failure = await sesNotifier(() => Promise.reject(unknown), 'no-reply@example.com')
      .send(notification)
      .catch((caught: unknown) => caught);
    expect(failure).toBe(unknown);
    const inherited = Object.assign(new Error('x'), { name: 'toString' });
    const notARefusal = await sesNotifier(() => Promise.reject(inherited), 'no-reply@example.com')
      .send(notification)
      .catch((caught: unknown) => caught);
    expect(notARefusal).toBe(inherited);
  });
});

describe('sendRatePerContainer', () => {
  it('shares the account rate (14 a second by default) among the containers that may run at once', () => {
    expect(sendRatePerContainer({})).toBe(7);
    expect(sendRatePerContainer({ SES_MESSAGES_PER_SECOND: '50', MAILER_MAX_CONCURRENCY: '5' })).toBe(10);
    expect(() => sendRatePerContainer({ SES_MESSAGES_PER_SECOND: '0' })).toThrow(/SES_MESSAGES_PER_SECOND/);
  });
});

describe('fromAddressOf', () => {
  it('reads NOTIFY_FROM_ADDRESS, and fails at cold start when it is missing or not an address', () => {
    expect(fromAddressOf({ NOTIFY_FROM_ADDRESS: 'no-reply@example.com' })).toBe('no-reply@example.com');
    expect(() => fromAddressOf({})).toThrow(/NOTIFY_FROM_ADDRESS/);
    expect(() => fromAddressOf({ NOTIFY_FROM_ADDRESS: 'nobody' })).toThrow(/NOTIFY_FROM_ADDRESS/);
  });
});
