import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../functions/core/events.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import type { EventSink } from '../../functions/events/sink.ts';
import { republishCompletions, type RepublishedLine } from '../../functions/workflows/republish-completions.ts';
import { freshRequest } from '../support/requests.ts';

const AT = '2030-06-12T10:00:00.000Z';

/** A request signed by its one signer: CREATED, SIGNED, COMPLETED (position 2). */
const completed = (requestNo: string): SignRequest => {
  const { request } = freshRequest(1);
  const [signerId] = Object.keys(request.signers);
  return {
    ...request,
    requestNo,
    status: 'COMPLETED',
    signedCount: 1,
    history: [
      ...request.history,
      { at: AT, event: 'SIGNED', signerId: signerId ?? '' },
      { at: AT, event: 'COMPLETED' },
    ],
  };
};

async function* pagesOf(...pages: SignRequest[][]) {
  for (const page of pages) yield await Promise.resolve(page);
}

/** A sink that records each publish call's events, or refuses them all. */
const recordingSink = (refuse = false) => {
  const calls: DomainEvent[][] = [];
  const sink: EventSink = {
    publish: (events) => {
      if (refuse) return Promise.reject(new Error('the bus refused'));
      calls.push([...events]);
      return Promise.resolve();
    },
  };
  return { sink, calls };
};

describe('republishCompletions', () => {
  it('publishes each page’s completions, with the eventId of their COMPLETED entry, and reports them', async () => {
    const [first, second, third] = [completed('R-1'), completed('R-2'), completed('R-3')];
    const { sink, calls } = recordingSink();
    const lines: RepublishedLine[] = [];
    const summary = await republishCompletions(pagesOf([first, second], [third]), sink, (line) => lines.push(line));
    expect(calls.map((events) => events.map((event) => [event.type, event.eventId, event.status]))).toEqual([
      [
        ['SignRequestCompleted', `${first.id}.2`, 'COMPLETED'],
        ['SignRequestCompleted', `${second.id}.2`, 'COMPLETED'],
      ],
      [['SignRequestCompleted', `${third.id}.2`, 'COMPLETED']],
    ]);
    expect(lines.map((line) => [line.RequestNo, line.Done, line.EventId])).toEqual([
      ['R-1', 'republished', `${first.id}.2`],
      ['R-2', 'republished', `${second.id}.2`],
      ['R-3', 'republished', `${third.id}.2`],
    ]);
    expect(summary).toEqual({ Found: 3, Republished: 3, DryRun: false });
  });

  it('lists only, without a sink', async () => {
    const request = completed('R-4');
    const lines: RepublishedLine[] = [];
    const summary = await republishCompletions(pagesOf([request]), undefined, (line) => lines.push(line));
    expect(lines).toEqual([
      { SignRequestId: request.id, RequestNo: 'R-4', AppId: request.appId, Done: 'listed', EventId: `${request.id}.2` },
    ]);
    expect(summary).toEqual({ Found: 1, Republished: 0, DryRun: true });
  });

  it('skips a request whose history holds no completion, and publishes nothing for it', async () => {
    const odd = { ...completed('R-5'), history: completed('R-5').history.slice(0, 2) };
    const { sink, calls } = recordingSink();
    const lines: RepublishedLine[] = [];
    const summary = await republishCompletions(pagesOf([odd]), sink, (line) => lines.push(line));
    expect(calls).toEqual([]);
    expect(lines.map((line) => [line.Done, line.EventId])).toEqual([
      ['skipped: no completion in its history', undefined],
    ]);
    expect(summary).toEqual({ Found: 1, Republished: 0, DryRun: false });
  });

  it('reports no line of a page the sink refused, and throws', async () => {
    const lines: RepublishedLine[] = [];
    const run = republishCompletions(pagesOf([completed('R-6')]), recordingSink(true).sink, (line) => lines.push(line));
    await expect(run).rejects.toThrow('the bus refused');
    expect(lines).toEqual([]);
  });
});
