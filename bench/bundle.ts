import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The same banner infra/constructs/project-function.ts gives NodejsFunction (copied: importing the construct
 * would load aws-cdk-lib). ESM output has no `require`, which some CommonJS dependencies still call.
 */
const CJS_REQUIRE_SHIM =
  "import { createRequire as __esignCreateRequire } from 'node:module'; const require = __esignCreateRequire(import.meta.url);";

/**
 * Bundles one handler the way CDK's NodejsFunction does with this project's bundling options: ESM, minified,
 * node22, external source map without sources, and the AWS SDK bundled in (bundleAwsSDK: true), so nothing is
 * external and the bundle imports on its own. Written to a temporary folder, not the work tree.
 */
export const bundleHandler = async (handler: string, outDir?: string): Promise<string> => {
  const dir = outDir ?? (await mkdtemp(join(tmpdir(), 'esign-recall-bench-')));
  const outfile = join(dir, `${handler}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'functions', 'handlers', `${handler}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: CJS_REQUIRE_SHIM },
    logLevel: 'error',
  });
  return outfile;
};
