import { refusals, type DomainError } from '../core/errors.ts';
import { MAX_UPLOADED_DOCUMENT_BYTES } from '../core/document-limits.ts';
import { claimOldEnoughToBeAbandoned, type Upload } from '../core/upload.ts';
import type { DocumentCheck } from '../documents/document-check.ts';
import { uploadKey } from '../documents/document-keys.ts';
import type { DocumentBucket } from '../documents/document-bucket.ts';
import { checkDeclaredSha256 } from '../documents/inspect-pdf.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import type { UploadStore } from '../store/uploads.ts';

export interface UploadedDocumentDependencies {
  uploads: Pick<UploadStore, 'get' | 'use'>;
  /** To tell a claim whose request exists from an abandoned one (core/upload.ts). */
  signRequests: Pick<SignRequestStore, 'get'>;
  documents: Pick<DocumentBucket, 'readAtMost'>;
  inspectDocument: (bytes: Uint8Array, maxBytes: number) => Promise<DocumentCheck>;
}

/** An uploaded document that passed every check: its bytes as read, what the service found, and its upload. */
export interface CheckedUpload {
  name: string;
  bytes: Uint8Array;
  sha256: string;
  size: number;
  pages: number;
  /** The upload, `usedBy` the request that holds it, unless its claim was abandoned. */
  upload: Upload;
  /** The request an abandoned claim names: this request may take the upload over from it. */
  abandonedClaim?: string;
}

/**
 * Who holds an upload now: the request its claim names, unless that claim is old enough to be abandoned and its
 * request does not exist (one read, only then). Answers the upload as this request sees it.
 */
const holderOf = async (
  deps: Pick<UploadedDocumentDependencies, 'signRequests'>,
  upload: Upload,
  now: string,
): Promise<{ upload: Upload; abandonedClaim?: string }> => {
  if (!upload.usedBy || !claimOldEnoughToBeAbandoned(upload, now)) return { upload };
  if (await deps.signRequests.get(upload.usedBy)) return { upload };
  const { usedBy, usedAt: _usedAt, ...free } = upload;
  return { upload: free, abandonedClaim: usedBy };
};

/**
 * The checks of an initiate's `documentId`, in the order a caller can act on, each before anything is written:
 * the app's own upload (another app's reads as unknown), unused and in time, then its bytes: there, no larger
 * than declared (never read beyond that), hashing to the declared SHA-256 (computed here, from the bytes read),
 * and a PDF the service can read. `keyed`: the call carries an Idempotency-Key, so an upload this very request
 * already used (an earlier attempt of it) is not refused here; the caller compares `usedBy` with its id.
 */
export const checkUploadedDocument = async (
  deps: UploadedDocumentDependencies,
  { appId, documentId, now, keyed }: { appId: string; documentId: string; now: string; keyed: boolean },
): Promise<CheckedUpload> => {
  const found = await deps.uploads.get(appId, documentId);
  if (!found) throw refusals.uploadNotFound();
  const { upload, abandonedClaim } = await holderOf(deps, found, now);
  if (upload.usedBy !== undefined && !keyed) throw refusals.uploadAlreadyUsed(upload.usedBy);
  if (upload.usedBy === undefined && Date.parse(now) > Date.parse(upload.useBy))
    throw refusals.uploadExpired(upload.useBy);
  const read = await deps.documents.readAtMost(uploadKey(appId, documentId), upload.size);
  if (read.state === 'missing') throw refusals.uploadMissing();
  if (read.state === 'too-large') {
    throw refusals.documentRefused(
      'DOCUMENT_TOO_LARGE',
      `The uploaded document is ${read.size} bytes; ${upload.size} were declared for it.`,
      'documentId',
    );
  }
  const { bytes } = read;
  if (bytes.byteLength !== upload.size) {
    throw refusals.documentRefused(
      'DOCUMENT_HASH_MISMATCH',
      `The uploaded document is ${bytes.byteLength} bytes, not the ${upload.size} declared for it.`,
      'documentId',
    );
  }
  const hashed = checkDeclaredSha256(upload.sha256, bytes);
  if (!hashed.ok) throw refusals.documentRefused(hashed.code, hashed.reason, 'documentId');
  const check = await deps.inspectDocument(bytes, MAX_UPLOADED_DOCUMENT_BYTES);
  if (!check.ok) throw refusals.documentRefused(check.code, check.reason, 'documentId');
  return {
    name: upload.fileName,
    bytes,
    sha256: check.sha256,
    size: check.size,
    pages: check.pages,
    upload,
    ...(abandonedClaim ? { abandonedClaim } : {}),
  };
};

/**
 * The one-use rule: one conditional write makes the upload request `signRequestId`'s. Answers the refusal when
 * it was not: another request has it (409), or the item went between the check and the claim (its TTL), which
 * answers as unknown. A store failure throws: the write may have landed.
 */
export const useUpload = async (
  deps: Pick<UploadedDocumentDependencies, 'uploads'>,
  upload: Upload,
  signRequestId: string,
  at: string,
  abandonedClaim?: string,
): Promise<DomainError | undefined> => {
  const used = await deps.uploads.use(upload.appId, upload.documentId, signRequestId, at, abandonedClaim);
  if (used.ok) return undefined;
  return used.usedBy === undefined ? refusals.uploadNotFound() : refusals.uploadAlreadyUsed(used.usedBy);
};
