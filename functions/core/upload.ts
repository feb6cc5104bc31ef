/**
 * An upload (POST /v1/documents): what an app declared it will PUT through its upload URL, and which request
 * used it. Initiate takes its `documentId`, reads the bytes, checks them against what was declared, and lets
 * ONE request use it (store/uploads.ts claims it with one conditional write).
 */
export interface Upload {
  appId: string;
  /** A ULID drawn by the service: the id an app passes to initiate as `documentId`. */
  documentId: string;
  fileName: string;
  /** The exact byte count declared, and signed into the upload URL. */
  size: number;
  /** The SHA-256 declared for the bytes, lower-case hex: initiate refuses bytes that hash otherwise. */
  sha256: string;
  createdAt: string;
  /** When the upload URL stops working (a PUT started before then completes). */
  expiresAt: string;
  /** After this, no request may use it: the bucket's lifecycle may remove its bytes from a day after their put. */
  useBy: string;
  /** The request that used it, set once by initiate's claim. */
  usedBy?: string;
  usedAt?: string;
}

/** How long an upload URL works: long enough to PUT 25 MiB on a slow link, short enough to leak little. */
export const UPLOAD_URL_SECONDS = 15 * 60;

/**
 * How long an upload may be used by an initiate. Its bytes are PUT after the upload is made, and the bucket's
 * lifecycle removes objects under uploads/ only once they are a day old: within this, the bytes are still there.
 */
const UPLOAD_USE_SECONDS = 24 * 60 * 60;

/** A new upload at `now`; nothing used it yet. */
export const newUpload = (
  declared: Pick<Upload, 'appId' | 'documentId' | 'fileName' | 'size' | 'sha256'>,
  now: Date,
): Upload => ({
  ...declared,
  sha256: declared.sha256.toLowerCase(),
  createdAt: now.toISOString(),
  expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
  useBy: new Date(now.getTime() + UPLOAD_USE_SECONDS * 1000).toISOString(),
});

/**
 * How long after its claim an upload still held by a request that does not exist is taken as that request's own
 * creation in flight: longer than any initiate runs (its function stops at 28 s). Past it, the claim is abandoned
 * (the initiate that made it failed after claiming, with no Idempotency-Key to finish it) and another request may
 * take the upload over, so a failed call never burns an upload for good.
 */
export const ABANDONED_CLAIM_MS = 60_000;

/** The claim may be abandoned: old enough that its request, if it does not exist now, never will. */
export const claimOldEnoughToBeAbandoned = (upload: Pick<Upload, 'usedBy' | 'usedAt'>, now: string): boolean =>
  upload.usedBy !== undefined &&
  upload.usedAt !== undefined &&
  Date.parse(now) - Date.parse(upload.usedAt) > ABANDONED_CLAIM_MS;
