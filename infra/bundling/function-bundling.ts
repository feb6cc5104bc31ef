import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/**
 * esbuild's ESM output has no `require`, but some CommonJS dependencies still call it (for Node built-ins).
 * The alias keeps the banner's import from clashing with any `createRequire` inside the bundle.
 */
const CJS_REQUIRE_SHIM =
  "import { createRequire as __esignCreateRequire } from 'node:module'; const require = __esignCreateRequire(import.meta.url);";

/**
 * How esbuild bundles a Node.js Lambda function here, in esbuild's own terms, before this project's own
 * choices (below). Nothing is external: the AWS SDK is bundled (CDK's bundleAwsSDK), so a function ships the
 * SDK version the tests ran against, not whatever the runtime happens to carry this month. The cold-start
 * yardstick (bench/fixtures/sdk-only.ts) is bundled with exactly this.
 */
export const SDK_FUNCTION_BUNDLING = {
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // ESM entry points first: they are what lets esbuild drop the parts of a package a function never uses.
  mainFields: ['module', 'main'],
  banner: { js: CJS_REQUIRE_SHIM },
  minify: true,
  sourcemap: true,
  // Stack traces need file and line numbers only; embedding the sources would only make the zip bigger.
  sourcesContent: false,
} as const satisfies BuildOptions;

/**
 * How every function of this project is bundled: the options above, plus the credential provider that is all
 * Lambda needs in place of the SDK's whole default chain (env-credentials.ts says why). The one definition
 * infra/constructs/project-function.ts (through CDK's NodejsFunction) and bench/bundle.ts (through esbuild's
 * API) both use, so what the benchmark measures is what is deployed.
 */
export const FUNCTION_BUNDLING = {
  ...SDK_FUNCTION_BUNDLING,
  alias: {
    '@aws-sdk/credential-provider-node': fileURLToPath(new URL('./env-credentials.ts', import.meta.url)),
  },
} as const satisfies BuildOptions;

export type FunctionBundling = typeof SDK_FUNCTION_BUNDLING | typeof FUNCTION_BUNDLING;

/**
 * The environment every function starts with, besides its own settings. Source maps turn a minified stack trace
 * in a log line into file:line of the TypeScript source. They cost each cold process 10-25% here (Node reads and
 * parses the .map at import; bench/README.md has the figures) and are kept anyway: both cold-start targets are
 * met with them, and the one log line that carries a stack (an unhandled error) is the one an operator must read.
 */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';
