import { createLogger } from '../logger.ts';
import { SendRate } from '../notifications/send-rate.ts';
import { sendRatePerContainer } from '../notifications/mailer-limits.ts';
import { signingLinks } from '../notifications/signing-links.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { signingSecrets } from '../signing-key.ts';
import { MailCapStore } from '../store/mail-cap.ts';
import { NoticeStore } from '../store/notices.ts';
import { SignRequestTable } from '../store/sign-request-table.ts';
import type { MailerDependencies } from '../workflows/send-mail.ts';
import type { Environment } from '../runtime/environment.ts';
import { documentDependencies, type DocumentDependencies } from './documents.ts';
import { signingKeyFrom } from './signing-keys.ts';
import { sesMailer } from './ses-mailer.ts';
import { openStore, type StoreAccess } from './store-access.ts';

/**
 * The mailer's dependencies: its mail leaves through SES from NOTIFY_FROM_ADDRESS in AWS (checked first, so a
 * missing sender fails the start, not each message), or through the `notifier` given (the local mailbox). It holds
 * the link signing key, to derive the links invitations and reminders carry, and needs SIGNING_BASE_URL, the base
 * those links live under; and it reads the documents bucket, as the completion notice attaches the signed document.
 */
export const mailerDependencies = async (
  env: Environment,
  store: StoreAccess = openStore(env),
  notifier?: Notifier,
  documents: DocumentDependencies = documentDependencies(env),
): Promise<MailerDependencies> => {
  const mailer = notifier ?? sesMailer(env);
  const baseUrl = store.config.signingBaseUrl;
  if (!baseUrl) throw new Error('Invalid configuration: SIGNING_BASE_URL must be the URL signing links start with');
  return {
    // The mailer only reads requests: the table's read alone, so its bundle carries none of the store's writes.
    signRequests: new SignRequestTable(store.documentClient, store.config.tableName),
    notices: new NoticeStore(store.documentClient, store.config.tableName),
    notifier: mailer,
    sendRate: new SendRate(sendRatePerContainer(env)),
    logger: createLogger(env),
    mailCap: new MailCapStore(store.documentClient, store.config.tableName, store.config.mailDailyCap),
    linkFor: signingLinks(signingSecrets(await signingKeyFrom('link', env)), baseUrl),
    documents: documents.documents,
  };
};
