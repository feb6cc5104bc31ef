import type {
  AccountSuspendedException,
  BadRequestException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SendEmailCommandInput,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import * as z from '../zod.ts';
import type { Mail } from './mail.ts';
import { NotificationRefused, type Notifier } from './notifier.ts';

/** The one SES call the mailer makes; the handler binds it to a client built once per container. */
export type SendEmail = (input: SendEmailCommandInput) => Promise<unknown>;

type SesErrorName = InstanceType<
  | typeof AccountSuspendedException
  | typeof BadRequestException
  | typeof LimitExceededException
  | typeof MailFromDomainNotVerifiedException
  | typeof MessageRejected
  | typeof NotFoundException
  | typeof SendingPausedException
  | typeof TooManyRequestsException
>['name'];

/**
 * What each error SendEmail can throw means for this one mail (the SDK's list for SendEmailCommand).
 * `refuse`: this recipient can never be sent this message, so the mailer records it and never retries:
 * `MessageRejected` (in the sandbox an unverified recipient; or content SES will not send) and
 * `BadRequestException` (a malformed address). `retry`: nothing is wrong with the recipient; the message fails,
 * is retried, and after MAIL_MAX_RECEIVE_COUNT receives waits in the dead-letter queue (alarmed) to be
 * redriven once the cause is fixed: throttling and the daily quota; a paused or suspended account and an
 * unverified MAIL FROM domain (account-wide: every mail would be refused, and recording each as refused would
 * lose them all); a missing identity or configuration set (a deployment fault, same reasoning). An address on
 * the suppression list is no error at all: SES accepts the send and drops it itself (the bounce or complaint
 * event says `OnAccountSuppressionList`), so it is recorded as sent and nothing retries it.
 */
export const SES_SEND_ERRORS: Readonly<Record<SesErrorName, 'refuse' | 'retry'>> = {
  MessageRejected: 'refuse',
  BadRequestException: 'refuse',
  AccountSuspendedException: 'retry',
  SendingPausedException: 'retry',
  MailFromDomainNotVerifiedException: 'retry',
  NotFoundException: 'retry',
  LimitExceededException: 'retry',
  TooManyRequestsException: 'retry',
};

const isRefusal = (error: unknown): error is Error =>
  error instanceof Error && Object.hasOwn(SES_SEND_ERRORS, error.name)
    ? SES_SEND_ERRORS[error.name as SesErrorName] === 'refuse'
    : false;

/** SES refuses a whole send (BadRequestException) for a tag value outside these characters: such a tag is left out. */
const TAG_VALUE = /^[\w.-]{1,256}$/;

/**
 * The app and the kind of mail, as SES message tags: each bounce and complaint event on the feedback topic then
 * says which app's mail it was, without a lookup.
 */
const tagsOf = (mail: Mail) =>
  [
    { Name: 'app-id', Value: mail.appId },
    { Name: 'mail-kind', Value: mail.kind },
  ].filter((tag) => TAG_VALUE.test(tag.Value));

/** How the mailer's mail leaves in AWS: one e-mail per mail, text and HTML alternatives, from a verified SES identity. */
export const sesNotifier = (sendEmail: SendEmail, fromAddress: string, configurationSet?: string): Notifier => ({
  send: async (mail) => {
    try {
      await sendEmail({
        FromEmailAddress: fromAddress,
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        Destination: { ToAddresses: [mail.to.email] },
        EmailTags: tagsOf(mail),
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
            ...(mail.attachment
              ? {
                  Attachments: [
                    {
                      FileName: mail.attachment.fileName,
                      ContentType: mail.attachment.contentType,
                      ContentDisposition: 'ATTACHMENT' as const,
                      RawContent: mail.attachment.bytes,
                    },
                  ],
                }
              : {}),
          },
        },
      });
    } catch (error) {
      if (isRefusal(error)) throw new NotificationRefused(error.name);
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
