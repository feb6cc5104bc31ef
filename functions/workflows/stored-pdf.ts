import { MAX_INLINE_DOCUMENT_BYTES } from '../core/document-limits.ts';
import type { DocumentBucket } from '../documents/document-bucket.ts';

/**
 * The largest stored PDF a function answers as its bytes: an inline document's limit, whose base64 (5.6 MB) stays
 * inside Lambda's 6 MB response. A larger one (an upload of up to 25 MiB, or a signed document that grew past it)
 * is answered 303, to a presigned GET of its object that S3 serves.
 */
export const MAX_ANSWERED_PDF_BYTES = MAX_INLINE_DOCUMENT_BYTES;
/** Long enough to follow the redirect and fetch 25 MiB; short, as the URL is a credential. */
const DOWNLOAD_URL_SECONDS = 5 * 60;

/** A PDF kept in the documents bucket, as a request records it. */
export interface StoredPdf {
  key: string;
  size: number;
}

/** The PDF's bytes, or where S3 serves them when they are too large for a function's answer. */
export type StoredPdfBody = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'redirect'; location: string };

/**
 * What a route answers for a stored PDF: its bytes, read from the bucket, or a presigned GET that S3 answers with
 * the same type and `contentDisposition`. `what` names the file in the error of an object missing from the bucket:
 * every object is put before it is recorded and never removed while its request exists, so that is the service's
 * fault, never the caller's.
 */
export const storedPdfBody = async (
  documents: Pick<DocumentBucket, 'read' | 'presignDownload'>,
  pdf: StoredPdf,
  contentDisposition: string,
  what: string,
): Promise<StoredPdfBody> => {
  if (pdf.size > MAX_ANSWERED_PDF_BYTES) {
    const headers = { contentType: 'application/pdf', contentDisposition };
    return { kind: 'redirect', location: await documents.presignDownload(pdf.key, headers, DOWNLOAD_URL_SECONDS) };
  }
  const bytes = await documents.read(pdf.key);
  if (!bytes) throw new Error(`${what} is missing from the bucket`);
  return { kind: 'bytes', bytes };
};
