import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { FUNCTION_BUNDLING } from './function-bundling.ts';

/** The worker's file name beside a deployed function's index.mjs (functions/documents/read-in-worker.ts). */
export const PDF_READER_WORKER_FILE = 'read-pdf-worker.mjs';

const WORKER_ENTRY = new URL('../../functions/documents/read-pdf-worker.ts', import.meta.url).pathname;

/**
 * The PDF reader's worker (functions/documents/read-pdf-worker.ts) bundled with the functions' own esbuild
 * options (FUNCTION_BUNDLING) into `outDir`: a second entry point of its own, since a worker is started from a
 * file, not imported.
 */
export const buildPdfReaderWorker = async (outDir: string): Promise<URL> => {
  const outfile = join(outDir, PDF_READER_WORKER_FILE);
  await build({ ...FUNCTION_BUNDLING, entryPoints: [WORKER_ENTRY], outfile, bundle: true, logLevel: 'error' });
  return pathToFileURL(outfile);
};

/**
 * The worker bundled into a directory of its own, removed when this process exits: for `npm start` and the
 * tests, which run the functions from their sources, where Node 20 cannot start a worker from TypeScript (a
 * worker gets none of tsx's loader hooks). About half a second of esbuild.
 */
export const bundlePdfReaderWorker = (): Promise<URL> => {
  const outDir = mkdtempSync(join(tmpdir(), 'esign-pdf-worker-'));
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  return buildPdfReaderWorker(outDir);
};

/**
 * CDK's command hooks for a function that checks PDFs (initiate): after NodejsFunction has bundled index.mjs,
 * the worker is bundled beside it, by the same esbuild and options (bundle-pdf-reader-worker.ts), so the asset
 * ships both. Run on this machine, as every bundling here (no Docker).
 */
export const pdfReaderWorkerHooks: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => [
    `cd "${inputDir}" && npx tsx infra/bundling/bundle-pdf-reader-worker.ts "${outputDir}"`,
  ],
};
