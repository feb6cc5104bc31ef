import { DomainError } from '../core/errors.ts';
import type { SignRequest } from '../core/sign-request.ts';
import { signerDocumentOf, type SignerDocument } from '../core/signer-document.ts';
import type { SigningToken } from '../core/signing-token.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';

export interface SignerDocumentDependencies {
  signRequests: Pick<SignRequestStore, 'get'>;
  documents: { read(key: string): Promise<Uint8Array | undefined> };
  clock?: Clock;
}

/** The file, or the refusal with the request it was decided on (the page shows that request's state). */
export type SignerDocumentAnswer =
  | { ok: true; document: SignerDocument; bytes: Uint8Array }
  | { ok: false; refusal: DomainError; request: SignRequest | undefined; now: string };

/**
 * A signer opens the document behind their link (core/signer-document.ts decides which, if any): one read of the
 * request, then its bytes from the bucket. Nothing is written.
 */
export const openSignerDocument = async (
  deps: SignerDocumentDependencies,
  token: SigningToken,
): Promise<SignerDocumentAnswer> => {
  const now = (deps.clock ?? systemClock)();
  const request = await deps.signRequests.get(token.signRequestId);
  let document: SignerDocument;
  try {
    document = signerDocumentOf(request, token, now);
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, refusal: error, request, now };
    throw error;
  }
  const bytes = await deps.documents.read(document.key);
  // The original is put before its request exists, the signed document before it is recorded, and neither is
  // ever removed while the request exists: a missing object is the service's fault, not the signer's.
  if (!bytes) throw new Error(`the ${document.kind} document of sign request ${token.signRequestId} is missing`);
  return { ok: true, document, bytes };
};
