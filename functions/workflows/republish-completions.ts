import { eventsOfChange } from '../core/events.ts';
import type { SignRequest } from '../core/sign-request.ts';
import type { EventSink } from '../events/sink.ts';

/** One request the backfill found, as `npm run app -- make-signed-documents` prints it. */
export interface RepublishedLine {
  SignRequestId: string;
  RequestNo: string;
  AppId: string;
  /** `republished` (its SignRequestCompleted is on the bus again), `listed` (a dry run), or why it was skipped. */
  Done: 'republished' | 'listed' | 'skipped: no completion in its history';
  EventId?: string;
}

export interface RepublishSummary {
  Found: number;
  Republished: number;
  DryRun: boolean;
}

/**
 * The backfill of signed documents: each completed request without one (`pages`, from the store) gets its
 * SignRequestCompleted published again, derived from its stored history exactly as the stream publisher derives
 * it (core/events.ts), so with the same eventId. The maker then makes the document as it would have; it records
 * once, so a request made meanwhile is left as it is, and a second run publishes nothing for it. Every consumer of
 * the bus takes the event again: webhooks dedupe on eventId (docs/events-and-webhooks.md). Without a sink, a dry
 * run: the requests are listed only. A page's lines are reported once the sink took its events.
 */
export const republishCompletions = async (
  pages: AsyncIterable<SignRequest[]>,
  sink: EventSink | undefined,
  report: (line: RepublishedLine) => void,
): Promise<RepublishSummary> => {
  const summary: RepublishSummary = { Found: 0, Republished: 0, DryRun: sink === undefined };
  for await (const page of pages) {
    const found = page.map((request) => ({
      request,
      event: eventsOfChange(undefined, request).find((event) => event.type === 'SignRequestCompleted'),
    }));
    const events = found.flatMap(({ event }) => (event ? [event] : []));
    if (sink && events.length > 0) await sink.publish(events);
    for (const { request, event } of found) {
      summary.Found++;
      if (event && sink) summary.Republished++;
      report({
        SignRequestId: request.id,
        RequestNo: request.requestNo,
        AppId: request.appId,
        Done: !event ? 'skipped: no completion in its history' : sink ? 'republished' : 'listed',
        ...(event ? { EventId: event.eventId } : {}),
      });
    }
  }
  return summary;
};
