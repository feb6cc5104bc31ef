import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { localLambdaContext } from './lambda-context.ts';

/** A scheduled function's handler, as Lambda invokes it for its EventBridge rule. */
export type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

/**
 * The event an EventBridge schedule rule delivers to its target, for `time` (EventBridge gives whole seconds).
 * Account and region are placeholders: the scheduled function reads only `time`.
 */
const scheduledEvent = (ruleName: string, time: Date, region: string): ScheduledEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region,
  resources: [`arn:aws:events:${region}:000000000000:rule/${ruleName}`],
  detail: {},
});

/**
 * (local stand-in for a rate rule) Invokes a scheduled function's own handler every `everyMs` with the event its
 * rule would send, one run at a time: a tick that finds the last run still at work is skipped, so two runs never
 * race each other on the local store. `stop` clears the timer and waits for a run in progress.
 */
export const startLocalSchedule = (options: {
  functionName: string;
  handler: ScheduledHandler;
  everyMs: number;
  region: string;
  onError: (error: unknown) => void;
}): { stop: () => Promise<void> } => {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    const event = scheduledEvent(`${options.functionName}-schedule`, new Date(), options.region);
    running = options
      .handler(event, localLambdaContext(options.functionName))
      .then(() => undefined, options.onError)
      .finally(() => (running = undefined));
  }, options.everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
};
