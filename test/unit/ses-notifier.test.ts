import type { SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import type { Mail } from '../../functions/notifications/mail.ts';
import { NotificationRefused } from '../../functions/notifications/notifier.ts';
import { fromAddressOf, sesNotifier } from '../../functions/notifications/ses-notifier.ts';
import { sendRatePerContainer } from '../../functions/notifications/signer-notifier.ts';

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

  it('fails when SES refuses, so the message is retried', async () => {
    const refusing = sesNotifier(() => Promise.reject(new Error('Throttling')), 'no-reply@example.com');
    await expect(refusing.send(notification)).rejects.toThrow('Throttling');
  });
});

describe('sesNotifier: refusals for good', () => {
  const rejecting = (name: string, message: string) => {
    const error = new Error(message);
    error.name = name;
    return sesNotifier(() => Promise.reject(error), 'no-reply@example.com');
  };

  it('turns MessageRejected and BadRequestException into a refusal that names the error only, never the address', async () => {
    for (const name of ['MessageRejected', 'BadRequestException']) {
      const refusal = await rejecting(name, 'Email address is not verified: ben@example.com')
        .send(notification)
        .catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(NotificationRefused);
      expect((refusal as NotificationRefused).reason).toBe(name);
      expect(String((refusal as Error).message)).not.toContain('ben@example.com');
    }
  });

  it('leaves throttling and account-wide failures as failures to retry', async () => {
    for (const name of ['TooManyRequestsException', 'LimitExceededException', 'SendingPausedException']) {
      const failure = await rejecting(name, 'later')
        .send(notification)
        .catch((error: unknown) => error);
      expect(failure).not.toBeInstanceOf(NotificationRefused);
    }
  });
});

describe('sendRatePerContainer', () => {
  it('shares the account rate (14 a second by default) among the containers that may run at once', () => {
    expect(sendRatePerContainer({})).toBe(7);
    expect(sendRatePerContainer({ SES_MESSAGES_PER_SECOND: '50', NOTIFIER_MAX_CONCURRENCY: '5' })).toBe(10);
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
