import { Logger } from '@aws-lambda-powertools/logger';
import { createMailerHandler } from '../../functions/handlers/mailer.ts';
import { createSignedDocumentMaker } from '../../functions/handlers/signed-document-maker.ts';
import { SIGNED_DOCUMENT_MAX_RECEIVE_COUNT } from '../../functions/workflows/make-signed-document.ts';
import { MAIL_MAX_RECEIVE_COUNT, MAILER_MAX_CONCURRENCY } from '../../functions/notifications/mailer-limits.ts';
import { signingLinks } from '../../functions/notifications/signing-links.ts';
import { MAILED_EVENT_TYPES } from '../../functions/workflows/send-mail.ts';
import { LocalMailbox, MAILBOX_PATHS } from '../../infra/local/mailbox.ts';
import {
  documents,
  httpDependencies,
  mailCap,
  notices,
  signedDocumentMaker,
  signRequests,
  unlimitedSendRate,
} from './dependencies.ts';
import { startEventPipeline } from './event-pipeline.ts';
import { startService } from './service.ts';

export interface MailboxEntry {
  To: string;
  Subject: string;
  Text: string;
  Html: string;
  SentAt: string;
  SignRequestId: string;
  Kind: string;
  Attachments: { FileName: string; ContentType: string; Size: number; ContentBase64: string }[];
}

/**
 * The service over real HTTP with the mail pipeline as npm start wires it: every write becomes events, the
 * signed document maker seals each completed request's document, the mailer (as its Lambda runs) sends what
 * they ask for to the local mailbox, and the tests read the mailbox
 * as a developer does, at GET /local/mail.json. Links in mail point at this server.
 */
export const startMailService = async (
  options: {
    /** Awaited before each delivery to the mailer: a test holds mail back, as a queue backlog would. */
    beforeDelivery?: () => Promise<void>;
  } = {},
) => {
  const mailbox = new LocalMailbox();
  // The code route mails its one-time codes straight to this mailbox, as npm start wires it.
  const service = await startService({ ...httpDependencies, codeMail: mailbox }, (method, path) =>
    mailbox.answer(method, path),
  );
  const links = signingLinks(httpDependencies.secretFor, service.baseUrl);
  const mailer = createMailerHandler({
    signRequests,
    notices,
    notifier: mailbox,
    sendRate: unlimitedSendRate,
    logger: new Logger({ serviceName: 'mail-test' }),
    linkFor: links,
    mailCap,
    documents,
  });
  const { beforeDelivery } = options;
  const pipeline = startEventPipeline([
    {
      name: 'mail',
      matches: (event) => (MAILED_EVENT_TYPES as readonly string[]).includes(event.type),
      consumer: beforeDelivery
        ? async (event, context) => {
            await beforeDelivery();
            return mailer(event, context);
          }
        : mailer,
      maxReceiveCount: MAIL_MAX_RECEIVE_COUNT,
      backoffBaseMs: 1,
      maxConcurrency: MAILER_MAX_CONCURRENCY,
    },
    {
      // The completion notice waits for the signed document, as npm start runs it.
      name: 'signed-documents',
      matches: (event) => event.type === 'SignRequestCompleted',
      consumer: createSignedDocumentMaker(signedDocumentMaker),
      maxReceiveCount: SIGNED_DOCUMENT_MAX_RECEIVE_COUNT,
      backoffBaseMs: 1,
    },
  ]);
  /** Every mail so far (after the pipeline settled), newest first, read through HTTP; for one request if named. */
  const mail = async (signRequestId?: string): Promise<MailboxEntry[]> => {
    await pipeline.settle();
    const response = await fetch(`${service.baseUrl}${MAILBOX_PATHS.json}`);
    const body = (await response.json()) as { Data: MailboxEntry[] };
    return body.Data.filter((entry) => !signRequestId || entry.SignRequestId === signRequestId);
  };
  return {
    ...service,
    mailbox,
    pipeline,
    mail,
    close: async () => {
      pipeline.stop();
      await service.close();
    },
  };
};

export type MailService = Awaited<ReturnType<typeof startMailService>>;
