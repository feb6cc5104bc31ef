import type { StoredPdfBody } from '../workflows/stored-pdf.ts';

/** A route's answer for a stored PDF: the file with `headers`, or 303 to where S3 serves it (never cached). */
export const storedPdfAnswer = (body: StoredPdfBody, headers: Record<string, string>) =>
  body.kind === 'bytes'
    ? { statusCode: 200, data: true, file: body.bytes, headers }
    : { statusCode: 303, data: true, headers: { location: body.location, 'cache-control': 'no-store' } };
