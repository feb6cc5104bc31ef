import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING, type FunctionBundling } from '../infra/bundling/function-bundling.ts';

/** What a function ships: its code (every .mjs file, chunks included) and its source map, in bytes. */
export interface Bundle {
  /** The file Lambda imports: `index.mjs`, as CDK's NodejsFunction names it. */
  entry: string;
  codeBytes: number;
  gzipCodeBytes: number;
  mapBytes: number;
}

/**
 * Bundles one entry point exactly as CDK's NodejsFunction does for infra/constructs/project-function.ts: the same
 * options object (infra/bundling/function-bundling.ts), written to `<outDir>/index.mjs`, nothing external.
 * The yardstick passes SDK_FUNCTION_BUNDLING instead: the same options without this project's own choices.
 */
export const bundleFunction = async (
  entryPoint: string,
  outDir: string,
  options: FunctionBundling = FUNCTION_BUNDLING,
): Promise<Bundle> => {
  const entry = join(outDir, 'index.mjs');
  await build({ ...options, entryPoints: [entryPoint], outfile: entry, bundle: true, logLevel: 'error' });
  let codeBytes = 0;
  let gzipCodeBytes = 0;
  let mapBytes = 0;
  for (const name of await readdir(outDir)) {
    const file = join(outDir, name);
    if (name.endsWith('.map')) mapBytes += (await stat(file)).size;
    else {
      const code = await readFile(file);
      codeBytes += code.byteLength;
      gzipCodeBytes += gzipSync(code).byteLength;
    }
  }
  return { entry, codeBytes, gzipCodeBytes, mapBytes };
};
