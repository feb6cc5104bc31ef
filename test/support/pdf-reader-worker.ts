import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING } from '../../infra/bundling/function-bundling.ts';

let bundled: Promise<URL> | undefined;

/**
 * The PDF reader's worker (functions/documents/read-pdf-worker.ts) bundled as a deployed function bundles it,
 * once per test process, into a directory removed when the process exits: Node 20 cannot start a worker from
 * TypeScript, and the bundle is what runs in Lambda anyway.
 */
export const pdfReaderWorker = (): Promise<URL> => {
  bundled ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'esign-pdf-worker-'));
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    const outfile = join(outDir, 'read-pdf-worker.mjs');
    await build({
      ...FUNCTION_BUNDLING,
      entryPoints: [new URL('../../functions/documents/read-pdf-worker.ts', import.meta.url).pathname],
      outfile,
      bundle: true,
      logLevel: 'error',
    });
    return pathToFileURL(outfile);
  })();
  return bundled;
};
