import * as z from '../zod.ts';

/** POST /v1/verify: the PDF is the body itself, so no field is taken. */
export const VerifyInput = z.strictObject({});

/**
 * The largest PDF verify reads, in bytes: Lambda takes at most 6 MB of request, and API Gateway hands a PDF over
 * base64-encoded (4 bytes for every 3), so 4 MiB of PDF is what surely fits.
 */
export const VERIFY_MAX_BYTES = 4 * 1024 * 1024;

/** A sealed file whose request this service no longer holds: intact, but evidence of nothing it can name. */
export const REQUEST_NOT_HELD = 'The file was sealed by this service for a request it does not hold.';
