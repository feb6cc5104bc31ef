import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSideFile } from './side-files.ts';

/**
 * The PDF reader's worker bundled into a directory of its own, removed when this process exits: for `npm start`
 * and the tests, which run the functions from their sources, where Node 20 cannot start a worker from TypeScript
 * (a worker gets none of tsx's loader hooks). About half a second of esbuild.
 */
export const bundlePdfReaderWorker = (): Promise<URL> => {
  const outDir = mkdtempSync(join(tmpdir(), 'esign-pdf-worker-'));
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  return buildSideFile('pdf-reader-worker', outDir);
};
