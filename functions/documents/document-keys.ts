/**
 * Where documents live in the bucket, apart from the S3 client (document-store.ts), so the workflow and CDK's
 * grants name them without loading the SDK.
 */

/** Every request's document object lives under this prefix, one folder per app: a function's grant names it. */
export const DOCUMENTS_PREFIX = 'documents/';

/**
 * Where apps PUT documents through an upload URL (POST /v1/documents), one folder per app. Never a request's
 * document itself: initiate reads the bytes from here, checks them and puts them under documents/, so the bucket's
 * lifecycle removes every object here a day after its put, used or not.
 */
export const UPLOADS_PREFIX = 'uploads/';

/** The bucket's folders, as the route table's grants name them (functions/routes.ts `documentAccess`). */
export const DOCUMENT_FOLDERS = { documents: DOCUMENTS_PREFIX, uploads: UPLOADS_PREFIX } as const;
export type DocumentFolder = keyof typeof DOCUMENT_FOLDERS;

/** Where a request's original lives: app-scoped, so a key never reaches across apps. */
export const originalDocumentKey = (appId: string, signRequestId: string): string =>
  `${DOCUMENTS_PREFIX}${appId}/${signRequestId}/original.pdf`;

/** Where an app's upload lands: app-scoped, and named by the upload's own id (a ULID the service drew). */
export const uploadKey = (appId: string, documentId: string): string => `${UPLOADS_PREFIX}${appId}/${documentId}.pdf`;

/** Every request's original, under its folder: the documents consumer may tag these, and nothing else of them. */
export const ORIGINAL_DOCUMENT_OBJECTS = `${DOCUMENTS_PREFIX}*/*/original.pdf`;

/** The file names of signed documents, under every request's folder: CDK grants PutObject on these alone. */
const SIGNED_DOCUMENT_FILE_PREFIX = 'signed-';
export const SIGNED_DOCUMENT_OBJECTS = `${DOCUMENTS_PREFIX}*/*/${SIGNED_DOCUMENT_FILE_PREFIX}*.pdf`;

/**
 * Where one make of a completed request's signed document (original pages, then the certificate, sealed) is
 * kept. Each make has its own key (`makeId`, a ULID), so two makes at once never overwrite each other's bytes:
 * the request records the key and hash of the one make whose record landed, and the bytes under that key are
 * exactly those (workflows/make-signed-document.ts).
 */
export const signedDocumentKey = (appId: string, signRequestId: string, makeId: string): string =>
  `${DOCUMENTS_PREFIX}${appId}/${signRequestId}/${SIGNED_DOCUMENT_FILE_PREFIX}${makeId}.pdf`;

/**
 * The tag a document's object carries from its put until the request that holds it exists. The bucket's
 * lifecycle rule (infra/constructs/document-bucket.ts) removes objects still tagged so a day later: the bytes of
 * a request whose create failed. Once the request exists the tag becomes `kept`, which no rule matches.
 */
export const LIFECYCLE_TAG = { key: 'lifecycle', pending: 'pending', kept: 'kept' } as const;

/** The signed document's file name, in the completion mail and at GET .../signed-document: `<name>-signed.pdf`. */
export const signedDocumentFileName = (documentName: string): string =>
  `${documentName.replace(/\.pdf$/i, '')}-signed.pdf`;
