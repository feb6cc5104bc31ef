import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventBridgeSink } from '../../functions/events/event-bridge-sink.ts';
import type { Environment } from '../../functions/runtime/environment.ts';
import { completedWithoutSignedDocument } from '../../functions/store/unmade-signed-documents.ts';
import { republishCompletions, type RepublishedLine } from '../../functions/workflows/republish-completions.ts';
import type { BackfillAnswer } from '../local/signed-document-backfill.ts';
import { adminClientConfig, onLocalServer } from './queue-commands.ts';

export interface MakeSignedDocumentsArgs {
  aws: boolean;
  appId?: string;
  dryRun: boolean;
  eventBus?: string;
}

/** What is wrong with the arguments, in one line; or undefined. The bus goes with the store: both in AWS, or neither. */
export const makeSignedDocumentsMistake = (args: MakeSignedDocumentsArgs): string | undefined => {
  if (args.appId === '') return '--app-id must not be empty.';
  if (args.eventBus !== undefined && !args.aws)
    return 'make-signed-documents --event-bus needs --aws (locally, the running npm start publishes on its own bus).';
  if (args.aws && !args.dryRun && !args.eventBus)
    return "make-signed-documents --aws needs --event-bus (the stack's EventBusName output), or --dry-run.";
  return undefined;
};

/** Where each line goes: one JSON line per request on stdout, then the summary's. */
const print = (line: object) => console.log(JSON.stringify(line));

/**
 * Locally: the running `npm start` scans its store and publishes on its bus (infra/local/local-admin.ts), and
 * answers what it did. Exit status 0, or 1 when no npm start answered.
 */
export const makeSignedDocumentsLocally = async (env: Environment, args: MakeSignedDocumentsArgs): Promise<number> => {
  const outcome = await onLocalServer(env, 'make-signed-documents', {
    ...(args.appId ? { 'app-id': args.appId } : {}),
    ...(args.dryRun ? { 'dry-run': 'true' } : {}),
  });
  if (!outcome.ok) {
    console.error(outcome.message);
    return 1;
  }
  const answer = outcome.printed as unknown as BackfillAnswer;
  answer.Lines.forEach(print);
  print(answer.Summary);
  return 0;
};

/** In AWS: DynamoDB scanned here (--aws, TABLE_NAME), the completions put on the bus (--event-bus) by PutEvents. */
export const makeSignedDocumentsInAws = async (
  store: { documentClient: DynamoDBDocumentClient; tableName: string },
  args: MakeSignedDocumentsArgs,
): Promise<void> => {
  const sink =
    args.dryRun || !args.eventBus
      ? undefined
      : eventBridgeSink(new EventBridgeClient(adminClientConfig()), args.eventBus);
  const summary = await republishCompletions(
    completedWithoutSignedDocument(store.documentClient, store.tableName, args.appId),
    sink,
    (line: RepublishedLine) => print(line),
  );
  print(summary);
};
