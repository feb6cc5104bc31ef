import type { ScheduledEvent } from 'aws-lambda';
import { readEnvironment } from '../runtime/environment.ts';
import { scheduledJobsDependencies, type ScheduledJobsDependencies } from '../wiring/scheduled-jobs.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { expireDueRequests, type ExpiryRun } from '../workflows/expire-due.ts';
import { remindDueRequests, type ReminderRun } from '../workflows/remind-due.ts';

/**
 * (primary adapter) The scheduled jobs, run on a schedule (an EventBridge rule every few minutes): expires what
 * is due by then, then sends the automatic reminders due by then (a request expired first is not reminded).
 */
export const createScheduledJobsHandler =
  (deps: ScheduledJobsDependencies) =>
  async (event: ScheduledEvent): Promise<ExpiryRun & { reminders: ReminderRun }> => {
    // A rule's event delivered late still expires by this clock's time, never by an earlier one.
    const now = event.time ? new Date(Math.max(Date.parse(event.time), Date.now())) : new Date();
    const result = await expireDueRequests(deps, now.toISOString());
    if (result.due > 0) deps.logger.info('expiry run', { ...result });
    const reminders = await remindDueRequests(deps, now.toISOString());
    if (reminders.due > 0) deps.logger.info('reminder run', { ...reminders });
    return { ...result, reminders };
  };

export const handler = await lambdaHandler(() =>
  createScheduledJobsHandler(scheduledJobsDependencies(readEnvironment())),
);
