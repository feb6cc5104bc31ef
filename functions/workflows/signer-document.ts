import { DomainError } from '../core/errors.ts';
import type { SignRequest } from '../core/sign-request.ts';
import { signerDocumentOf, type SignerDocument } from '../core/signer-document.ts';
import type { SigningToken } from '../core/signing-token.ts';
import type { DocumentBucket } from '../documents/document-bucket.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { storedPdfBody, type StoredPdfBody } from './stored-pdf.ts';
import { proveSigner, resetAfterRightProof, type ProofDependencies, type SignerCredentials } from './signer-proof.ts';

export interface SignerDocumentDependencies {
  signRequests: Pick<SignRequestStore, 'get'> & ProofDependencies['signRequests'];
  documents: Pick<DocumentBucket, 'read' | 'presignDownload'>;
  /** The Content-Disposition S3 answers with when it serves a document too large for the function's answer. */
  contentDispositionOf: (document: SignerDocument) => string;
  clock?: Clock;
}

/** The file, or the refusal with the request it was decided on (the page shows that request's state). */
export type SignerDocumentAnswer =
  | { ok: true; document: SignerDocument; body: StoredPdfBody }
  | { ok: false; refusal: DomainError; request: SignRequest | undefined; now: string };

/**
 * A signer opens the document behind their link (core/signer-document.ts decides which, if any): one read of the
 * request, the signer's proof when they must give one (workflows/signer-proof.ts: a wrong one is counted), then
 * its bytes from the bucket. Nothing else is written.
 */
export const openSignerDocument = async (
  deps: SignerDocumentDependencies,
  token: SigningToken,
  credentials: SignerCredentials = {},
): Promise<SignerDocumentAnswer> => {
  const now = (deps.clock ?? systemClock)();
  const request = await deps.signRequests.get(token.signRequestId);
  let document: SignerDocument;
  try {
    const proof = await proveSigner(deps, token, request, credentials);
    if (request) await resetAfterRightProof(deps, token, request, proof);
    document = signerDocumentOf(request, token, now);
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, refusal: error, request, now };
    throw error;
  }
  const body = await storedPdfBody(
    deps.documents,
    document,
    deps.contentDispositionOf(document),
    `the ${document.kind} document of sign request ${token.signRequestId}`,
  );
  return { ok: true, document, body };
};
