import type { LocalAdmin } from './http-server.ts';
import { LOCAL_QUEUES } from './local-events.ts';
import type { LocalEventBus } from './event-bus.ts';
import type { BackfillAnswer, BackfillOptions } from './signed-document-backfill.ts';

export interface LocalAdminTargets {
  bus: Pick<LocalEventBus, 'redrive'>;
  replayUndelivered: () => Promise<{ replayed: number; duplicates: number }>;
  makeSignedDocuments: (options: BackfillOptions) => Promise<BackfillAnswer>;
}

/**
 * What `npm run app -- redrive --queue …`, `replay-events` and `make-signed-documents` do against a running
 * `npm start`, whose dead letters, undelivered events and bus live in its memory only:
 * `redrive?queue=webhooks|notifications|signed-documents` moves the queue's dead letters back, `redrive?queue=events`
 * and `replay-events` publish the kept events again, `make-signed-documents[?app-id=…][&dry-run=true]` publishes
 * the completions that have no signed document again.
 */
export const localAdmin =
  (targets: LocalAdminTargets): LocalAdmin =>
  (action, params) => {
    const queue = params.get('queue');
    if (action === 'replay-events' || (action === 'redrive' && queue === 'events'))
      return targets
        .replayUndelivered()
        .then(({ replayed, duplicates }) => ({ Replayed: replayed, Duplicates: duplicates }));
    if (action === 'redrive' && (queue === 'webhooks' || queue === 'notifications'))
      return Promise.resolve({ Moved: targets.bus.redrive(LOCAL_QUEUES[queue]) });
    if (action === 'redrive' && queue === 'signed-documents')
      return Promise.resolve({ Moved: targets.bus.redrive(LOCAL_QUEUES.signedDocuments) });
    if (action === 'make-signed-documents') {
      const appId = params.get('app-id');
      return targets.makeSignedDocuments({
        ...(appId ? { appId } : {}),
        dryRun: params.get('dry-run') === 'true',
      });
    }
    return undefined;
  };
