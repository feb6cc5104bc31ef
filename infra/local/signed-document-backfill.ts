import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventSink } from '../../functions/events/sink.ts';
import { completedWithoutSignedDocument } from '../../functions/store/unmade-signed-documents.ts';
import {
  republishCompletions,
  type RepublishedLine,
  type RepublishSummary,
} from '../../functions/workflows/republish-completions.ts';

export interface BackfillOptions {
  appId?: string;
  dryRun: boolean;
}

/** What `make-signed-documents` answers: a line per request found, and the counts. */
export interface BackfillAnswer {
  Lines: RepublishedLine[];
  Summary: RepublishSummary;
}

/**
 * `npm run app -- make-signed-documents` on npm start's own store: its completed requests with no signed document,
 * their completions published again through `sink` (npm start's bus, where its maker takes them).
 */
export const localSignedDocumentBackfill =
  (documentClient: DynamoDBDocumentClient, tableName: string, sink: EventSink) =>
  async ({ appId, dryRun }: BackfillOptions): Promise<BackfillAnswer> => {
    const lines: RepublishedLine[] = [];
    const summary = await republishCompletions(
      completedWithoutSignedDocument(documentClient, tableName, appId),
      dryRun ? undefined : sink,
      (line) => lines.push(line),
    );
    return { Lines: lines, Summary: summary };
  };
