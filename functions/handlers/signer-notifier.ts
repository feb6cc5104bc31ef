import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { logger, signRequests } from '../dependencies.ts';
import { fromAddressOf, sesNotifier } from '../notifications/ses-notifier.ts';
import { createSignerNotifier } from '../notifications/signer-notifier.ts';

const ses = new SESv2Client({});
const fromAddress = fromAddressOf(process.env);

/** SQS (filled by an EventBridge rule with SignRequestRecalled events) -> an email to each unsigned signer. */
export const handler = createSignerNotifier({
  signRequests,
  notifier: sesNotifier((input) => ses.send(new SendEmailCommand(input)), fromAddress),
  logger,
});
