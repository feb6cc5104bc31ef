import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { stat, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { routes } from '../functions/routes.ts';
import { bundleHandler } from './bundle.ts';
import type { BenchContext, Section } from './context.ts';
import { interleaved } from './load.ts';
import { median, round } from './stats.ts';

/** Times the child itself reports: its import alone, measured inside it, after Node has started. */
const IMPORT_AND_REPORT =
  'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

/**
 * The environment a Lambda function of this project starts with (see project-function.ts), minus anything
 * of this machine's: source maps enabled, a table name for the config check at import, logs as in AWS.
 */
const lambdaLikeEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  NODE_OPTIONS: '--enable-source-maps',
  TABLE_NAME: 'esign-recall-bench',
  // In AWS the keys come from Secrets Manager (*_SIGNING_KEY_SECRET_ARN); a cold start here must not call AWS.
  LINK_SIGNING_KEY: randomBytes(32).toString('base64url'),
  WEBHOOK_SIGNING_KEY: randomBytes(32).toString('base64url'),
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_SERVICE_NAME: 'esign-recall',
  POWERTOOLS_LOG_LEVEL: 'INFO',
});

/** Spawn to exit of one fresh `node`, in ms, and what it printed (the import time, for an import). */
const timeNode = (args: string[]): Promise<{ wall: number; printed: string }> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: lambdaLikeEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = performance.now() - started;
      if (code === 0) resolve({ wall, printed: out.trim() });
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${err}`));
    });
  });

/**
 * Benchmark 5: what a cold start adds to Node's own start. Each handler is bundled as CDK bundles it, then
 * imported by fresh processes, interleaved with bare `node -e ''` spawns, so both see the same machine load.
 */
export const coldStart = async (ctx: BenchContext): Promise<Section> => {
  const spawns = ctx.quick ? 5 : 15;
  const handlers = [...new Set(routes.map((route) => route.handler))];
  const bundles: Record<string, string> = {};
  let dir: string | undefined;
  for (const handler of handlers) {
    bundles[handler] = await bundleHandler(handler, dir);
    dir = dirname(bundles[handler]);
  }
  try {
    const variants = ['bare', ...handlers];
    const results = await interleaved(variants, spawns, (variant) =>
      variant === 'bare'
        ? timeNode(['-e', ''])
        : timeNode(['--input-type=module', '-e', IMPORT_AND_REPORT, pathToFileURL(bundles[variant] ?? '').href]),
    );
    const bare = median((results.bare ?? []).map((run) => run.wall));
    const rows: (string | number)[][] = [["bare node -e ''", '', '', round(bare, 1), '', '1.00', '']];
    for (const handler of handlers) {
      const file = bundles[handler] ?? '';
      const runs = results[handler] ?? [];
      const wall = median(runs.map((run) => run.wall));
      const importOnly = median(runs.map((run) => Number(run.printed)));
      rows.push([
        handler,
        round((await stat(file)).size / 1024, 0),
        round(gzipSync(await readFile(file)).byteLength / 1024, 0),
        round(wall, 1),
        round(importOnly, 1),
        round(wall / bare),
        round(importOnly / bare),
      ]);
    }
    return {
      id: 'cold-start',
      title: `5. Cold start: esbuild bundle (ESM, minified, node22, AWS SDK bundled), median of ${spawns} spawns`,
      columns: ['function', 'KiB', 'gzip KiB', 'spawn-to-exit ms', 'import ms', 'exit ratio', 'import ratio'],
      rows,
      targets: [],
      notes: [
        "exit ratio: a fresh `node` that imports the bundle, spawn to exit, over a bare `node -e ''` (the whole cold process vs Node alone).",
        "import ratio: the import alone, timed inside that process, over the bare `node -e ''` (what the bundle adds, in units of Node's own start).",
        'Both run with NODE_OPTIONS=--enable-source-maps, as the functions do in Lambda. The AWS SDK is bundled (bundleAwsSDK: true in project-function.ts).',
      ],
    };
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
};
