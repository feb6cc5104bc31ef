import { newId } from '../core/ids.ts';
import { sealedSignedDocument } from '../documents/evidence-pdfs.ts';
import { createLogger } from '../logger.ts';
import type { Environment } from '../runtime/environment.ts';
import { SEALING_SERVICE_NAME } from '../sealing-key-settings.ts';
import type { ReadSecret } from '../signing-key.ts';
import { AppStore } from '../store/apps.ts';
import { SignRequestStore } from '../store/sign-requests.ts';
import type { SealSignedDocument, SignedDocumentMakerDependencies } from '../workflows/make-signed-document.ts';
import { documentDependencies, type DocumentDependencies } from './documents.ts';
import { sealingKeySource, type SealingKeySource } from './sealing-key.ts';
import { openStore, type StoreAccess } from './store-access.ts';

/** Seals with the service's sealing key, loaded at the first make (a refusal throws SEALING_UNAVAILABLE). */
export const signedDocumentSealer =
  (sealingKey: SealingKeySource): SealSignedDocument =>
  async (original, facts, at) =>
    sealedSignedDocument(original, facts, { serviceName: SEALING_SERVICE_NAME, key: await sealingKey(), now: at });

/**
 * The signed document maker's dependencies: the table, the documents bucket, and the sealing key (loaded on the
 * first make, refused with SEALING_UNAVAILABLE, so retried, while none is in place: wiring/sealing-key.ts).
 */
export const signedDocumentMakerDependencies = (
  env: Environment,
  store: StoreAccess = openStore(env),
  documents: DocumentDependencies = documentDependencies(env),
  readSecret?: ReadSecret,
): SignedDocumentMakerDependencies => {
  const logger = createLogger(env);
  const apps = new AppStore(store.documentClient, store.config.tableName);
  return {
    signRequests: new SignRequestStore(store.documentClient, store.config.tableName),
    documents: documents.documents,
    appNameOf: (appId) => apps.nameOf(appId),
    seal: signedDocumentSealer(sealingKeySource(env, logger, readSecret)),
    newId,
    logger,
    now: () => new Date(),
  };
};
