import type { SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { fromAddressOf, sesNotifier } from '../../functions/notifications/ses-notifier.ts';

const notification = {
  eventId: 'SR1.3',
  signRequestId: 'SR1',
  signerId: 'S1',
  to: { name: 'Ben Okafor', email: 'ben@example.com' },
  subject: 'Signature request recalled: Contract.pdf',
  text: 'Hello Ben Okafor, …',
};

describe('sesNotifier', () => {
  it('sends one plain-text UTF-8 email to the signer, from the configured address', async () => {
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
            Body: { Text: { Data: notification.text, Charset: 'UTF-8' } },
          },
        },
      },
    ]);
  });

  it('fails when SES refuses, so the message is retried', async () => {
    const refusing = sesNotifier(() => Promise.reject(new Error('Throttling')), 'no-reply@example.com');
    await expect(refusing.send(notification)).rejects.toThrow('Throttling');
  });
});

describe('fromAddressOf', () => {
  it('reads NOTIFY_FROM_ADDRESS, and fails at cold start when it is missing or not an address', () => {
    expect(fromAddressOf({ NOTIFY_FROM_ADDRESS: 'no-reply@example.com' })).toBe('no-reply@example.com');
    expect(() => fromAddressOf({})).toThrow(/NOTIFY_FROM_ADDRESS/);
    expect(() => fromAddressOf({ NOTIFY_FROM_ADDRESS: 'nobody' })).toThrow(/NOTIFY_FROM_ADDRESS/);
  });
});
