import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING, type FunctionBundling } from '../infra/bundling/function-bundling.ts';
import { buildSideFile, SIDE_FILES, type SideFile } from '../infra/bundling/side-files.ts';

/** What a function ships, in bytes: the code a cold start loads, its side files, their source maps. */
export interface Bundle {
  /** The file Lambda imports: `index.mjs`, as CDK's NodejsFunction names it. */
  entry: string;
  /** index.mjs: what every cold start loads. */
  codeBytes: number;
  gzipCodeBytes: number;
  /** The side files (infra/bundling/side-files.ts): loaded on a call's first use of them, if ever. */
  sideFileBytes: number;
  mapBytes: number;
}

/**
 * Bundles one entry point exactly as CDK's NodejsFunction does for infra/constructs/project-function.ts: the same
 * options object (infra/bundling/function-bundling.ts), written to `<outDir>/index.mjs`, nothing external, and
 * the side files its code names (infra/bundling/side-files.ts) beside it, as its afterBundling hook writes them.
 * The yardstick passes SDK_FUNCTION_BUNDLING instead: the same options without this project's own choices.
 */
export const bundleFunction = async (
  entryPoint: string,
  outDir: string,
  options: FunctionBundling = FUNCTION_BUNDLING,
): Promise<Bundle> => {
  const entry = join(outDir, 'index.mjs');
  await build({ ...options, entryPoints: [entryPoint], outfile: entry, bundle: true, logLevel: 'error' });
  const code = await readFile(entry);
  const text = code.toString('utf8');
  for (const name of Object.keys(SIDE_FILES) as SideFile[])
    if (text.includes(SIDE_FILES[name].file)) await buildSideFile(name, outDir);
  let sideFileBytes = 0;
  let mapBytes = 0;
  for (const name of await readdir(outDir)) {
    const file = join(outDir, name);
    if (name.endsWith('.map')) mapBytes += (await stat(file)).size;
    else if (file !== entry) sideFileBytes += (await stat(file)).size;
  }
  return { entry, codeBytes: code.byteLength, gzipCodeBytes: gzipSync(code).byteLength, sideFileBytes, mapBytes };
};
