import type { DocumentStore } from './document-store.ts';

/**
 * The documents bucket as workflows and routes see it: DocumentStore's calls, whoever built it. A type only, so
 * naming it never loads the S3 SDK (wiring/documents.ts loads that on first use).
 */
export type DocumentBucket = Pick<DocumentStore, keyof DocumentStore>;
