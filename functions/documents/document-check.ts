/**
 * What the service's own check of a document's bytes answers (issue 18 item 1: it never trusts a declared hash
 * or the store's word). A refusal carries a reason written for the caller: never a stack trace, never a
 * library's own message (which may name files or internals).
 */
type DocumentRefusalCode = 'DOCUMENT_INVALID' | 'DOCUMENT_TOO_LARGE' | 'DOCUMENT_HASH_MISMATCH';

export interface DocumentRefusal {
  readonly ok: false;
  readonly code: DocumentRefusalCode;
  readonly reason: string;
}

interface AcceptedDocument {
  readonly ok: true;
  /** SHA-256 of the exact bytes, lower-case hex. */
  readonly sha256: string;
  readonly size: number;
  readonly pages: number;
}

export type DocumentCheck = AcceptedDocument | DocumentRefusal;

export const invalid = (reason: string): DocumentRefusal => ({ ok: false, code: 'DOCUMENT_INVALID', reason });

export const tooLarge = (reason: string): DocumentRefusal => ({ ok: false, code: 'DOCUMENT_TOO_LARGE', reason });

/** What reading the bytes as a PDF found: its page count, or why it is refused. */
export type PdfReading = { readonly ok: true; readonly pages: number } | DocumentRefusal;

/**
 * The bounds the reading runs within. Every one is far above what a real document needs (docs/design.md,
 * "Checking a document's bytes") and far below what would take a function down.
 */
export interface PdfReadLimits {
  /** Bytes all object streams together may inflate to: a small stream can inflate to gigabytes. */
  readonly maxInflatedBytes: number;
  /** Pages a document may have. */
  readonly maxPages: number;
  /** Arrays and dictionaries inside one another, within one object. */
  readonly maxNesting: number;
  /** Levels of the page tree, root included. */
  readonly maxPageTreeDepth: number;
}

export const DEFAULT_PDF_READ_LIMITS: PdfReadLimits = {
  maxInflatedBytes: 64 * 1024 * 1024,
  maxPages: 10_000,
  maxNesting: 256,
  maxPageTreeDepth: 64,
};
