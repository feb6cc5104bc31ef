import type { TestProject } from 'vitest/node';
import { startEmbeddedStore } from '../../infra/local/embedded-store.ts';
import { startEmbeddedS3 } from '../../infra/local/embedded-s3.ts';
import { bundlePdfReaderWorker } from '../../infra/bundling/pdf-reader-worker.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    s3Endpoint: string;
    pdfReaderWorker: string;
  }
}

/**
 * One embedded store and one embedded S3 server for the whole run; each test file gets a table and a bucket of
 * its own (per-file-table.ts). The PDF reader's worker is bundled once, for every file's initiate function.
 */
export default async function setup(project: TestProject) {
  const [store, s3, worker] = await Promise.all([
    startEmbeddedStore({ port: 0 }),
    startEmbeddedS3({ port: 0 }),
    bundlePdfReaderWorker(),
  ]);
  project.provide('dynamodbEndpoint', store.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('pdfReaderWorker', worker.href);
  return async () => {
    await Promise.all([store.close(), s3.close()]);
  };
}
