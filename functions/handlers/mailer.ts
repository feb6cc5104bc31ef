import { domainEventQueueHandler, type DomainEventQueueHandler } from '../consumers/domain-event-queue.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { mailerDependencies } from '../wiring/mailer.ts';
import { sendMailForEvent, type MailerDependencies } from '../workflows/send-mail.ts';

/**
 * (primary adapter) The mailer: SQS (filled by an EventBridge rule with the events that make mail: creation,
 * reminders, recall, decline, completion) -> the service's mail to signers and senders alike, through SES.
 */
export const createMailerHandler = (deps: MailerDependencies): DomainEventQueueHandler =>
  domainEventQueueHandler((event, context) => sendMailForEvent(deps, event, context), deps.logger);

export const handler = await lambdaHandler(async () =>
  createMailerHandler(await mailerDependencies(readEnvironment())),
);
