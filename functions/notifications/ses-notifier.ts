import type { SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import * as z from '../zod.ts';
import { NotificationRefused, type Notifier } from './notifier.ts';

/** The one SES call the notifier makes; the handler binds it to a client built once per container. */
export type SendEmail = (input: SendEmailCommandInput) => Promise<unknown>;

/**
 * SES errors that say this recipient can never be sent this message: `MessageRejected` (in the sandbox, an
 * unverified recipient; or content SES will not send) and `BadRequestException` (a malformed address). Anything
 * else (throttling, a paused account, a network error) may pass, and is retried. An address on the suppression
 * list is no error at all: SES accepts the send and drops it itself, so it is recorded as sent.
 */
const PERMANENT_SES_ERRORS = new Set(['MessageRejected', 'BadRequestException']);

/** The notifier in AWS: one e-mail per mail, text and HTML alternatives, from a verified SES identity. */
export const sesNotifier = (sendEmail: SendEmail, fromAddress: string, configurationSet?: string): Notifier => ({
  send: async (mail) => {
    try {
      await sendEmail({
        FromEmailAddress: fromAddress,
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        Destination: { ToAddresses: [mail.to.email] },
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
          },
        },
      });
    } catch (error) {
      if (error instanceof Error && PERMANENT_SES_ERRORS.has(error.name)) throw new NotificationRefused(error.name);
      throw error;
    }
  },
});

/** NOTIFY_FROM_ADDRESS, checked at cold start, so a missing sender fails the container and not each message. */
export const fromAddressOf = (env: NodeJS.ProcessEnv): string => {
  const parsed = z.email().safeParse(env.NOTIFY_FROM_ADDRESS);
  if (!parsed.success)
    throw new Error('Invalid configuration: NOTIFY_FROM_ADDRESS must be the email address notifications come from');
  return parsed.data;
};
