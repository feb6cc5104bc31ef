/**
 * `tsx infra/bundling/bundle-pdf-reader-worker.ts <dir>`: writes read-pdf-worker.mjs into <dir>. CDK runs it
 * after bundling a function that checks PDFs (pdfReaderWorkerHooks), so the worker ships beside index.mjs.
 */
import { buildPdfReaderWorker } from './pdf-reader-worker.ts';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: tsx infra/bundling/bundle-pdf-reader-worker.ts <output directory>');
  process.exit(2);
}
console.log(`wrote ${(await buildPdfReaderWorker(outDir)).pathname}`);
