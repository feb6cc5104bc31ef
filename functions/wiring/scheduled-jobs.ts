import type { Logger } from '@aws-lambda-powertools/logger';
import { createLogger } from '../logger.ts';
import { MailCapStore } from '../store/mail-cap.ts';
import { SignRequestStore } from '../store/sign-requests.ts';
import type { ExpiryDependencies } from '../workflows/expire-due.ts';
import type { ReminderRunDependencies } from '../workflows/remind-due.ts';
import type { Environment } from '../runtime/environment.ts';
import { openStore, type StoreAccess } from './store-access.ts';

/** The scheduled jobs function: expiry, then the automatic reminders, on one store adapter. */
export interface ScheduledJobsDependencies {
  signRequests: ExpiryDependencies['signRequests'] & ReminderRunDependencies['signRequests'];
  maxPerRun?: number;
  mailCap: ReminderRunDependencies['mailCap'];
  logger: Logger;
}

export const scheduledJobsDependencies = (
  env: Environment,
  store: StoreAccess = openStore(env),
): ScheduledJobsDependencies => ({
  signRequests: new SignRequestStore(store.documentClient, store.config.tableName),
  mailCap: new MailCapStore(store.documentClient, store.config.tableName, store.config.mailDailyCap),
  logger: createLogger(env),
});
