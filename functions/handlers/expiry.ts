import type { ScheduledEvent } from 'aws-lambda';
import { readEnvironment } from '../wiring/environment.ts';
import { expiryDependencies, type ExpiryFunctionDependencies } from '../wiring/expiry.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { expireDueRequests, type ExpiryRun } from '../workflows/expire-due.ts';

/** (primary adapter) Run on a schedule (an EventBridge rule every few minutes): expires what is due by then. */
export const createExpiryHandler =
  (deps: ExpiryFunctionDependencies) =>
  async (event: ScheduledEvent): Promise<ExpiryRun> => {
    // A rule's event delivered late still expires by this clock's time, never by an earlier one.
    const now = event.time ? new Date(Math.max(Date.parse(event.time), Date.now())) : new Date();
    const result = await expireDueRequests(deps, now.toISOString());
    if (result.due > 0) deps.logger.info('expiry run', { ...result });
    return result;
  };

export const handler = await lambdaHandler(() => createExpiryHandler(expiryDependencies(readEnvironment())));
