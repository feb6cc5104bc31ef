import { MAX_INLINE_DOCUMENT_BYTES } from '../contracts/initiate.ts';
import type { DocumentCheck } from '../documents/document-check.ts';
import { inspectPdf } from '../documents/inspect-pdf.ts';
import { InitiateClaimStore } from '../store/initiate-claims.ts';
import type { SecretFor } from '../core/initiate.ts';
import { signingSecrets } from '../signing-key.ts';
import type { Environment } from '../runtime/environment.ts';
import { documentDependencies, type DocumentDependencies } from './documents.ts';
import type { HttpApiDependencies } from './http-api.ts';
import { signingKeyFrom } from './signing-keys.ts';

/**
 * Initiate also derives each signer's secret from the link signing key (no other HTTP function loads a key), and
 * checks and stores an inline document.
 */
export interface InitiateFunctionDependencies extends HttpApiDependencies, DocumentDependencies {
  secretFor: SecretFor;
  initiateClaims: InitiateClaimStore;
  /** The service's own check of inline bytes (4 MiB at most): functions/documents/inspect-pdf.ts. */
  inspectDocument: (bytes: Uint8Array) => Promise<DocumentCheck>;
}

/**
 * PDF_READER_WORKER names the PDF reader's bundled worker (a file URL) when it is not beside the function, as
 * when the functions run from their sources (npm start and the tests bundle it: infra/local/pdf-reader-worker.ts).
 */
export const initiateDependencies = async (
  env: Environment,
  base: HttpApiDependencies,
): Promise<InitiateFunctionDependencies> => {
  const workerFile = env.PDF_READER_WORKER ? new URL(env.PDF_READER_WORKER) : undefined;
  return {
    ...base,
    ...documentDependencies(env),
    secretFor: signingSecrets(await signingKeyFrom('link', env)),
    initiateClaims: new InitiateClaimStore(base.documentClient, base.config.tableName),
    inspectDocument: (bytes) =>
      inspectPdf(bytes, { maxBytes: MAX_INLINE_DOCUMENT_BYTES, ...(workerFile ? { bounds: { workerFile } } : {}) }),
  };
};
