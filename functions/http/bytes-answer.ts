import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A file a route answers with instead of the envelope (a route's `answer`, http/route.ts). */
export interface FileBytes {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** The name a browser saves it under: anything but printable ASCII, quotes and backslashes becomes `_`. */
  readonly fileName: string;
  /** `attachment` (saved) or `inline` (shown). */
  readonly disposition: 'attachment' | 'inline';
}

/** A file name safe inside a quoted Content-Disposition parameter: printable ASCII without quotes or backslashes. */
const headerSafe = (fileName: string): string => fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');

/**
 * The answer of a file: API Gateway's HTTP API passes a body on as bytes only when the function says it is base64
 * (`isBase64Encoded`), and the local server decodes it the same way. Never cached: evidence is made per call and
 * belongs to one app.
 */
export const bytesAnswer = (file: FileBytes): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: {
    'content-type': file.contentType,
    'content-disposition': `${file.disposition}; filename="${headerSafe(file.fileName)}"`,
    'content-length': String(file.bytes.byteLength),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  },
  body: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength).toString('base64'),
  isBase64Encoded: true,
});
