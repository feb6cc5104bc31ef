/**
 * How many bytes a document may have, by the way it is given: apart from the contracts (whose schemas a module
 * builds when it loads), so the workflows and infra name them without loading a schema.
 */

/** The most PDF bytes a request may carry inline: the whole call, base64 and all, stays under Lambda's 6 MB. */
export const MAX_INLINE_DOCUMENT_BYTES = 4 * 1024 * 1024;

/**
 * The most PDF bytes an upload may declare (and initiate reads from it): what one initiate can read, hash, check
 * and put again well inside its memory and timeout (infra/constructs/route-functions.ts).
 */
export const MAX_UPLOADED_DOCUMENT_BYTES = 25 * 1024 * 1024;
