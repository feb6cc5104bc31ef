import { domainEventQueueHandler, type DomainEventQueueHandler } from '../consumers/domain-event-queue.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { signedDocumentMakerDependencies } from '../wiring/signed-document-maker.ts';
import {
  keepOriginalDocument,
  makeSignedDocument,
  type SignedDocumentMakerDependencies,
} from '../workflows/make-signed-document.ts';

/**
 * (primary adapter) SQS (filled by an EventBridge rule with SignRequestCreated and SignRequestCompleted) -> a new
 * request's original marked kept; a completed request's signed document, sealed, stored and recorded once
 * (workflows/make-signed-document.ts). A failure is reported failed, so SQS delivers it again; after the last try
 * it waits in the dead-letter queue, which is alarmed.
 */
export const createSignedDocumentMaker = (deps: SignedDocumentMakerDependencies): DomainEventQueueHandler =>
  domainEventQueueHandler(
    (event) =>
      event.type === 'SignRequestCreated' ? keepOriginalDocument(deps, event) : makeSignedDocument(deps, event),
    deps.logger,
  );

export const handler = await lambdaHandler(() =>
  createSignedDocumentMaker(signedDocumentMakerDependencies(readEnvironment())),
);
