import type { DocumentBucket } from '../documents/document-bucket.ts';
import type { Environment } from '../runtime/environment.ts';
import type { s3DocumentStore } from './s3-documents.ts';

/** What the functions that take or serve a document are given: the bucket. */
export interface DocumentDependencies {
  documents: DocumentBucket;
}

interface S3DocumentsModule {
  s3DocumentStore: typeof s3DocumentStore;
}

/**
 * Where s3-documents.ts is, from this module: beside it when the functions run from their sources (npm start,
 * the tests); `s3-documents.mjs` beside the function's index.mjs once bundled, where CDK puts it
 * (infra/bundling/side-files.ts). A specifier esbuild cannot read is one it leaves alone, so the S3 SDK stays out
 * of index.mjs: most calls of these functions carry no document and never load it.
 */
const S3_DOCUMENTS_MODULE = import.meta.url.endsWith('.ts') ? './s3-documents.ts' : './s3-documents.mjs';

/**
 * The bucket, its S3 client loaded and built on the first call that needs it (once per container), so a cold
 * start pays nothing for it. A failed load is not kept: the next call tries again.
 */
export class LazyDocumentBucket implements DocumentBucket {
  private store: Promise<DocumentBucket> | undefined;

  constructor(private readonly load: () => Promise<DocumentBucket>) {}

  private bucket(): Promise<DocumentBucket> {
    this.store ??= this.load().catch((error: unknown) => {
      this.store = undefined;
      throw error;
    });
    return this.store;
  }

  async putPending(...args: Parameters<DocumentBucket['putPending']>): ReturnType<DocumentBucket['putPending']> {
    return (await this.bucket()).putPending(...args);
  }

  async keep(...args: Parameters<DocumentBucket['keep']>): ReturnType<DocumentBucket['keep']> {
    return (await this.bucket()).keep(...args);
  }

  async read(...args: Parameters<DocumentBucket['read']>): ReturnType<DocumentBucket['read']> {
    return (await this.bucket()).read(...args);
  }

  async readAtMost(...args: Parameters<DocumentBucket['readAtMost']>): ReturnType<DocumentBucket['readAtMost']> {
    return (await this.bucket()).readAtMost(...args);
  }

  async presignUpload(
    ...args: Parameters<DocumentBucket['presignUpload']>
  ): ReturnType<DocumentBucket['presignUpload']> {
    return (await this.bucket()).presignUpload(...args);
  }

  async presignDownload(
    ...args: Parameters<DocumentBucket['presignDownload']>
  ): ReturnType<DocumentBucket['presignDownload']> {
    return (await this.bucket()).presignDownload(...args);
  }
}

/** The documents bucket (DOCUMENTS_BUCKET), its S3 client loaded when first used. */
export const documentDependencies = (env: Environment): DocumentDependencies => {
  const bucket = env.DOCUMENTS_BUCKET;
  if (!bucket) throw new Error('Invalid configuration: DOCUMENTS_BUCKET must name the documents bucket');
  return {
    documents: new LazyDocumentBucket(async () => {
      const module = (await import(S3_DOCUMENTS_MODULE)) as S3DocumentsModule;
      return module.s3DocumentStore(env, bucket);
    }),
  };
};
