import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING } from '../bundling/function-bundling.ts';

/** The worker's file name beside a deployed function's index.mjs (functions/documents/read-in-worker.ts). */
export const PDF_READER_WORKER_FILE = 'read-pdf-worker.mjs';

/** The worker's entry point, for esbuild here and for CDK's second entry (infra/constructs/project-function.ts). */
export const PDF_READER_WORKER_ENTRY = new URL('../../functions/documents/read-pdf-worker.ts', import.meta.url)
  .pathname;

/**
 * The PDF reader's worker (functions/documents/read-pdf-worker.ts) bundled as a deployed function bundles it,
 * into a directory of its own removed when this process exits: Node 20 cannot start a worker from TypeScript
 * (a worker gets none of tsx's loader hooks), and the bundle is what runs in Lambda anyway. `npm start` and the
 * tests run it from here; about half a second of esbuild.
 */
export const bundlePdfReaderWorker = async (): Promise<URL> => {
  const outDir = mkdtempSync(join(tmpdir(), 'esign-pdf-worker-'));
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  const outfile = join(outDir, PDF_READER_WORKER_FILE);
  await build({
    ...FUNCTION_BUNDLING,
    entryPoints: [PDF_READER_WORKER_ENTRY],
    outfile,
    bundle: true,
    logLevel: 'error',
  });
  return pathToFileURL(outfile);
};
