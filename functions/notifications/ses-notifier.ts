import type { SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import * as z from '../zod.ts';
import type { Notifier } from './notifier.ts';

/** The one SES call the notifier makes; the handler binds it to a client built once per container. */
export type SendEmail = (input: SendEmailCommandInput) => Promise<unknown>;

/** The notifier in AWS: one plain-text email per notification, from a verified SES identity. */
export const sesNotifier = (sendEmail: SendEmail, fromAddress: string): Notifier => ({
  send: async (notification) => {
    await sendEmail({
      FromEmailAddress: fromAddress,
      Destination: { ToAddresses: [notification.to.email] },
      Content: {
        Simple: {
          Subject: { Data: notification.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: notification.text, Charset: 'UTF-8' } },
        },
      },
    });
  },
});

/** NOTIFY_FROM_ADDRESS, checked at cold start, so a missing sender fails the container and not each message. */
export const fromAddressOf = (env: NodeJS.ProcessEnv): string => {
  const parsed = z.email().safeParse(env.NOTIFY_FROM_ADDRESS);
  if (!parsed.success)
    throw new Error('Invalid configuration: NOTIFY_FROM_ADDRESS must be the email address notifications come from');
  return parsed.data;
};
