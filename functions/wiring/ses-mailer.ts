import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { Notifier } from '../notifications/notifier.ts';
import { fromAddressOf, sesNotifier } from '../notifications/ses-notifier.ts';
import { boundedAwsClientConfig } from '../runtime/aws-call-limits.ts';
import type { Environment } from '../runtime/environment.ts';

/** Mail through SES from NOTIFY_FROM_ADDRESS, on the stack's configuration set: the mailer's, and the code route's. */
export const sesMailer = (env: Environment): Notifier => {
  const fromAddress = fromAddressOf(env);
  const ses = new SESv2Client(boundedAwsClientConfig());
  // The stack's configuration set: bounces and complaints suppress the address (SES drops later sends to it).
  return sesNotifier((input) => ses.send(new SendEmailCommand(input)), fromAddress, env.MAIL_CONFIGURATION_SET);
};
