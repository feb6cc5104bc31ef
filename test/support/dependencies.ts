import { signingLinks } from '../../functions/notifications/signing-links.ts';
import { NoticeStore } from '../../functions/store/notices.ts';
import { readEnvironment } from '../../functions/runtime/environment.ts';
import { sharedHttpApiDependencies } from '../../functions/wiring/http-api.ts';
import { localFunctionDependencies } from '../../infra/local/handlers.ts';
import { webhookDelivererDependencies } from '../../functions/wiring/webhook-deliverer.ts';
import { newId } from '../../functions/core/ids.ts';
import { signedDocumentSealer } from '../../functions/wiring/signed-document-maker.ts';
import type { SignedDocumentMakerDependencies } from '../../functions/workflows/make-signed-document.ts';

/**
 * This test file's functions, built by the factories Lambda uses, from the environment per-file-table.ts set
 * (imported after it): the process's shared HTTP dependencies, so the `handler` exports and the services the
 * tests start run on the one client the tests observe and fault.
 */
const env = readEnvironment();
export const httpDependencies = await localFunctionDependencies(env, sharedHttpApiDependencies());
export const { config, documentClient, signRequests, appStore, logger, mailCap, documents } = httpDependencies;
export const { webhooks } = await webhookDelivererDependencies(env, httpDependencies);
export const notices = new NoticeStore(documentClient, config.tableName);
/** A send rate no test waits on: the rate itself is proven with a clock of its own (test/unit/send-rate.test.ts). */
export const unlimitedSendRate = { take: () => Promise.resolve(true) };
/** Signing links as the mailer derives them (from this process's link key), under a base no test serves. */
export const mailLinks = signingLinks(httpDependencies.secretFor, 'http://signing.test');

/** The signed document maker as its Lambda is wired, on this file's table and bucket and the local sealing key. */
export const signedDocumentMaker: SignedDocumentMakerDependencies = {
  signRequests,
  documents,
  appNameOf: (appId) => appStore.nameOf(appId),
  seal: signedDocumentSealer(httpDependencies.sealingKey),
  newId,
  logger,
  now: () => new Date(),
};
