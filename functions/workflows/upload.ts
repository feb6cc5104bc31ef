import { MAX_UPLOADED_DOCUMENT_BYTES } from '../core/document-limits.ts';
import { refusals } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { newUpload, UPLOAD_URL_SECONDS, type Upload } from '../core/upload.ts';
import { uploadKey } from '../documents/document-keys.ts';
import type { DocumentBucket } from '../documents/document-bucket.ts';
import type { UploadStore } from '../store/uploads.ts';
import { systemClock, type Clock } from './clock.ts';

export interface UploadCommand {
  appId: string;
  fileName: string;
  size: number;
  sha256: string;
}

/** Refused from the declaration alone, before anything is written: as an inline document over its limit is. */
export const refuseOversizedUpload = ({ size }: Pick<UploadCommand, 'size'>): void => {
  if (size > MAX_UPLOADED_DOCUMENT_BYTES)
    throw refusals.documentRefused(
      'DOCUMENT_TOO_LARGE',
      `The document is ${size} bytes; the most accepted here is ${MAX_UPLOADED_DOCUMENT_BYTES} bytes.`,
      'size',
    );
};

/** Records a new upload under a fresh id: what initiate will hold the bytes PUT to its URL to. */
export const createUpload = async (
  deps: { uploads: Pick<UploadStore, 'create'>; clock?: Clock },
  command: UploadCommand,
): Promise<Upload> => {
  refuseOversizedUpload(command);
  const upload = newUpload({ ...command, documentId: newId() }, new Date((deps.clock ?? systemClock)()));
  await deps.uploads.create(upload);
  return upload;
};

/**
 * The upload's URL: a presigned PUT of exactly its size to uploads/<appId>/<documentId>.pdf, signed as at its
 * creation so that it expires at its `expiresAt` whenever it is signed (a replay signs a URL for the same object, size and expiry). Signing
 * writes nothing, so the record exists before any URL does, and a failure here leaves only a record nobody uses.
 */
export const uploadUrlOf = (
  documents: Pick<DocumentBucket, 'presignUpload'>,
  upload: Pick<Upload, 'appId' | 'documentId' | 'size' | 'expiresAt'>,
): Promise<string> =>
  documents.presignUpload({
    key: uploadKey(upload.appId, upload.documentId),
    size: upload.size,
    signedAt: new Date(Date.parse(upload.expiresAt) - UPLOAD_URL_SECONDS * 1000),
    expiresInSeconds: UPLOAD_URL_SECONDS,
  });
