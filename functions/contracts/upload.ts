import * as z from '../zod.ts';
import { pdfFileName } from './fields.ts';
import { MAX_UPLOADED_DOCUMENT_BYTES } from '../core/document-limits.ts';

/**
 * POST /v1/documents: what the app will PUT. A size above MAX_UPLOADED_DOCUMENT_BYTES is not a malformed field
 * but a document too large, so it is refused as the inline one is (400 DOCUMENT_TOO_LARGE), by the route's
 * precheck, not here.
 */
export const UploadInput = z.strictObject({
  fileName: pdfFileName('fileName'),
  size: z
    .number({ error: 'size must be a number' })
    .check(
      z.int('size must be a whole number of bytes'),
      z.gte(1, 'size must be at least 1'),
      z.describe(`The PDF's exact size in bytes: 1 to ${MAX_UPLOADED_DOCUMENT_BYTES} (25 MiB)`),
    ),
  sha256: z
    .string({ error: 'sha256 must be a string' })
    .check(
      z.regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be the SHA-256 of the PDF in hex: 64 characters 0-9, a-f'),
      z.describe("The SHA-256 of the PDF's exact bytes, 64 hex characters (either case)"),
    ),
});
