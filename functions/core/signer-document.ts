import { signedDocumentFileName } from '../documents/document-keys.ts';
import { refusals } from './errors.ts';
import { refusalOf } from './guards.ts';
import { linkOpenRule } from './rules.ts';
import { SignRequestStatus, statusAt, type SignRequest } from './sign-request.ts';
import { openSigningLink } from './signing.ts';
import type { SigningToken } from './signing-token.ts';

/** The file a signer's document link serves: where its bytes are, what it is called, and its hash (the ETag). */
export interface SignerDocument {
  kind: 'original' | 'signed';
  key: string;
  fileName: string;
  sha256: string;
  size: number;
}

/**
 * What `<signing link>/document` serves the signer, decided from the request as read at `now`. The token is
 * checked first (a wrong one is the link's 404). A completed request serves its signed document, which holds the
 * certificate even when there was no original, or SIGNED_DOCUMENT_NOT_READY (409 with Retry-After) until the
 * completion's consumer has recorded it. Otherwise the link's own refusals come first (recalled, declined,
 * expired: 410, each with the sentence opening the link answers); an open request serves its original, or 404
 * DOCUMENT_NOT_FOUND when it carries none. Opening the document records nothing: the first view is the page's.
 */
export const signerDocumentOf = (
  request: SignRequest | undefined,
  token: SigningToken,
  now: string,
): SignerDocument => {
  const { request: current } = openSigningLink(request, token);
  // Before the link's refusals: a completed request is never expired, whatever its deadline says since.
  if (statusAt(current, now) === SignRequestStatus.Completed) {
    const signed = current.signedDocument;
    if (!signed) throw refusals.signedDocumentNotReady();
    return {
      kind: 'signed',
      key: signed.key,
      fileName: signedDocumentFileName(current.documentName),
      sha256: signed.sha256,
      size: signed.size,
    };
  }
  const refusal = refusalOf(linkOpenRule({ signerId: token.signerId, at: now }), current);
  if (refusal) throw refusal;
  const original = current.document;
  if (!original) throw refusals.documentNotFound();
  return {
    kind: 'original',
    key: original.key,
    fileName: original.name,
    sha256: original.sha256,
    size: original.size,
  };
};
