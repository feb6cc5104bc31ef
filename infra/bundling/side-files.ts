import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { routes } from '../../functions/routes.ts';
import { FUNCTION_BUNDLING } from './function-bundling.ts';

/**
 * The files some functions ship beside their index.mjs, each an entry point of its own bundled with the
 * functions' esbuild options (FUNCTION_BUNDLING):
 * - the PDF reader's worker (functions/documents/read-pdf-worker.ts): a worker is started from a file, not imported;
 * - the S3 documents module (functions/wiring/s3-documents.ts): imported on a call's first use of the documents
 *   bucket (wiring/documents.ts), so the S3 SDK is no part of a cold start.
 */
export const SIDE_FILES = {
  'pdf-reader-worker': { file: 'read-pdf-worker.mjs', entry: '../../functions/documents/read-pdf-worker.ts' },
  's3-documents': { file: 's3-documents.mjs', entry: '../../functions/wiring/s3-documents.ts' },
} as const;

export type SideFile = keyof typeof SIDE_FILES;

export const isSideFile = (name: string): name is SideFile => Object.hasOwn(SIDE_FILES, name);

/** Bundles one side file into `outDir`, under the name the function looks for it by. */
export const buildSideFile = async (name: SideFile, outDir: string): Promise<URL> => {
  const { file, entry } = SIDE_FILES[name];
  const outfile = join(outDir, file);
  await build({
    ...FUNCTION_BUNDLING,
    entryPoints: [new URL(entry, import.meta.url).pathname],
    outfile,
    bundle: true,
    logLevel: 'error',
  });
  return pathToFileURL(outfile);
};

/**
 * CDK's command hooks for a function that ships side files: after NodejsFunction has bundled index.mjs, each is
 * bundled beside it by the same esbuild and options (bundle-side-files.ts), so the asset ships them all. Run on
 * this machine, as every bundling here (no Docker).
 */
export const sideFileHooks = (names: readonly SideFile[]): ICommandHooks => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => [
    `cd "${inputDir}" && npx tsx infra/bundling/bundle-side-files.ts "${outputDir}" ${names.join(' ')}`,
  ],
});

/**
 * The side files the function serving a route handler asks for, from the route table: the PDF worker when its
 * routes check PDFs. (The S3 documents module comes with DOCUMENTS_BUCKET, in ProjectFunction.)
 */
export const routeHandlerSideFiles = (handler: string): SideFile[] =>
  routes.some((route) => route.handler === handler && 'checksPdfs' in route && route.checksPdfs)
    ? ['pdf-reader-worker']
    : [];
