import { createHash } from 'node:crypto';
import {
  DEFAULT_PDF_READ_LIMITS,
  invalid,
  tooLarge,
  type DocumentCheck,
  type DocumentRefusal,
  type PdfReadLimits,
} from './document-check.ts';
import { hasPdfHeader } from './pdf-bytes.ts';
import { DEFAULT_WORKER_BOUNDS, readInWorker, type WorkerBounds } from './read-in-worker.ts';

export interface InspectOptions {
  /** The most bytes this way of giving a document accepts (4 MiB inline, 25 MiB uploaded). */
  readonly maxBytes: number;
  readonly limits?: Partial<PdfReadLimits>;
  readonly bounds?: Partial<WorkerBounds>;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The service's own check of a document's bytes (issue 18 item 1): its size, that it is a PDF the service can
 * read faithfully, its SHA-256 and its page count; or why it is refused. The cheap checks come first, on the raw
 * bytes; only a document that passes them starts a worker (read-in-worker.ts). Never throws for the bytes'
 * sake: it rejects only when the service itself fails.
 */
export const inspectPdf = async (bytes: Uint8Array, options: InspectOptions): Promise<DocumentCheck> => {
  const size = bytes.byteLength;
  if (size === 0) return invalid('The document is empty.');
  if (size > options.maxBytes) {
    return tooLarge(`The document is ${size} bytes; the most accepted here is ${options.maxBytes} bytes.`);
  }
  if (!hasPdfHeader(bytes)) return invalid('The document is not a PDF: it has no %PDF- header.');
  const sha256 = sha256Hex(bytes);
  const reading = await readInWorker(
    bytes,
    { ...DEFAULT_PDF_READ_LIMITS, ...options.limits },
    { ...DEFAULT_WORKER_BOUNDS, ...options.bounds },
  );
  return reading.ok ? { ok: true, sha256, size, pages: reading.pages } : reading;
};

/**
 * Compares the SHA-256 a client declared (hex, either case) with the bytes it sent: the store's word that an
 * upload matches is never taken (s3rver checks no checksum at all).
 */
export const checkDeclaredSha256 = (
  declared: string,
  bytes: Uint8Array,
): { readonly ok: true; readonly sha256: string } | DocumentRefusal => {
  const sha256 = sha256Hex(bytes);
  return declared.toLowerCase() === sha256
    ? { ok: true, sha256 }
    : {
        ok: false,
        code: 'DOCUMENT_HASH_MISMATCH',
        reason: 'The document does not hash to the SHA-256 declared for it.',
      };
};
