import type { DocumentCheck } from '../documents/document-check.ts';
import { inspectPdf } from '../documents/inspect-pdf.ts';
import { InitiateClaimStore } from '../store/initiate-claims.ts';
import { UploadStore } from '../store/uploads.ts';
import type { SecretFor } from '../core/initiate.ts';
import { signingSecrets } from '../signing-key.ts';
import type { Environment } from '../runtime/environment.ts';
import { documentDependencies, type DocumentDependencies } from './documents.ts';
import type { HttpApiDependencies } from './http-api.ts';
import { signingKeyFrom } from './signing-keys.ts';

/** Initiate (and resend) also derive each signer's secret from the link signing key; no other HTTP function loads a key. */
export interface InitiateFunctionDependencies extends HttpApiDependencies {
  secretFor: SecretFor;
  initiateClaims: InitiateClaimStore;
}

export const initiateDependencies = async (
  env: Environment,
  base: HttpApiDependencies,
): Promise<InitiateFunctionDependencies> => ({
  ...base,
  secretFor: signingSecrets(await signingKeyFrom('link', env)),
  initiateClaims: new InitiateClaimStore(base.documentClient, base.config.tableName),
});

/**
 * Initiate alone takes a document, inline or uploaded (its `documentId`): it checks the bytes and stores them in
 * the documents bucket.
 */
export interface InlineDocumentDependencies extends DocumentDependencies {
  /** The service's own check of the bytes (4 MiB inline, 25 MiB uploaded): functions/documents/inspect-pdf.ts. */
  inspectDocument: (bytes: Uint8Array, maxBytes: number) => Promise<DocumentCheck>;
  /** The apps' uploads (POST /v1/documents), which initiate's one-use claim writes. */
  uploads: UploadStore;
}

/**
 * PDF_READER_WORKER names the PDF reader's bundled worker (a file URL) when it is not beside the function, as
 * when the functions run from their sources (npm start and the tests bundle it: infra/bundling/pdf-reader-worker.ts).
 */
export const inlineDocumentDependencies = (env: Environment, base: HttpApiDependencies): InlineDocumentDependencies => {
  const workerFile = env.PDF_READER_WORKER ? new URL(env.PDF_READER_WORKER) : undefined;
  return {
    ...documentDependencies(env),
    inspectDocument: (bytes, maxBytes) =>
      inspectPdf(bytes, { maxBytes, ...(workerFile ? { bounds: { workerFile } } : {}) }),
    uploads: new UploadStore(base.documentClient, base.config.tableName),
  };
};
