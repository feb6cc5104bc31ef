/**
 * A lever experiment for cold starts, outside `npm run bench`: bundles entry points with the yardstick's esbuild
 * options plus per-variant overrides, then times a fresh `node` importing each, interleaved (A B C, C B A, ...).
 *
 *   npx tsx bench/compare-bundles.ts <rounds> <name>=<entry>[:<JSON overrides>] ...
 *
 * Overrides are esbuild options, plus `env` for the child's extra environment (default: NODE_OPTIONS with
 * source maps, as deployed; `"env":{}` leaves them off). The first variant is the base of the ratios. Example,
 * the env-only credential provider's effect on the yardstick:
 *
 *   npx tsx bench/compare-bundles.ts 15 sdk=bench/fixtures/sdk-only.ts \
 *     'sdk-env=bench/fixtures/sdk-only.ts:{"alias":{"@aws-sdk/credential-provider-node":"./infra/bundling/env-credentials.ts"}}'
 *
 * With ANALYZE=1 it also prints each bundle's bytes by package.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { FUNCTION_NODE_OPTIONS, SDK_FUNCTION_BUNDLING } from '../infra/bundling/function-bundling.ts';
import { median } from './stats.ts';

interface Variant {
  name: string;
  outfile: string;
  bytes: number;
  env: Record<string, string>;
}

const BASE_ENV = {
  PATH: process.env.PATH ?? '',
  TABLE_NAME: 'esign-recall-bench',
  DOCUMENTS_BUCKET: 'esign-recall-bench-documents',
  LINK_SIGNING_KEY: 'a'.repeat(43),
  WEBHOOK_SIGNING_KEY: 'b'.repeat(43),
  LIST_CURSOR_KEY: 'c'.repeat(43),
  SIGNER_PASS_KEY: 'd'.repeat(43),
  SIGNING_BASE_URL: 'https://api.example.com',
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'esign-recall-bench',
  AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_SERVICE_NAME: 'esign-recall',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  EVENT_BUS_NAME: 'esign-recall-bench',
  NOTIFY_FROM_ADDRESS: 'notifications@example.com',
};

const bytesByPackage = (metafile: Metafile): [string, number][] => {
  const totals = new Map<string, number>();
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.replace(/\/[^/]+$/, '');
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
};

const coldProcess = (variant: Variant): Promise<number> =>
  new Promise((done, fail) => {
    const started = performance.now();
    const code = `await import(${JSON.stringify(pathToFileURL(variant.outfile).href)})`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      env: { ...BASE_ENV, ...variant.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (exit) => (exit === 0 ? done(performance.now() - started) : fail(new Error(err))));
  });

const [roundsArg, ...specs] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!Number.isInteger(rounds) || rounds < 1 || specs.length === 0) {
  console.error('usage: npx tsx bench/compare-bundles.ts <rounds> <name>=<entry>[:<JSON overrides>] ...');
  process.exit(2);
}
const dir = await mkdtemp(join(tmpdir(), 'esign-recall-compare-'));
try {
  const variants: Variant[] = [];
  for (const spec of specs) {
    const [, name = '', entry = '', json] = /^([^=]+)=([^:]+)(?::(.*))?$/.exec(spec) ?? [];
    const { env, ...overrides } = (json ? JSON.parse(json) : {}) as BuildOptions & { env?: Record<string, string> };
    const outfile = join(dir, name, 'index.mjs');
    const result = await build({
      ...SDK_FUNCTION_BUNDLING,
      ...overrides,
      entryPoints: [resolve(entry)],
      outfile,
      bundle: true,
      metafile: true,
      logLevel: 'error',
    });
    const packages = bytesByPackage(result.metafile);
    variants.push({
      name,
      outfile,
      bytes: packages.reduce((sum, [, bytes]) => sum + bytes, 0),
      env: env ?? { NODE_OPTIONS: FUNCTION_NODE_OPTIONS },
    });
    if (process.env.ANALYZE === '1')
      console.log(
        `${name}:\n${packages.map(([p, b]) => `  ${(b / 1024).toFixed(1).padStart(7)} KiB  ${p}`).join('\n')}`,
      );
  }
  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of round % 2 === 0 ? variants : [...variants].reverse())
      times.get(variant.name)?.push(await coldProcess(variant));
  }
  const [base] = variants;
  const baseMs = median(times.get(base?.name ?? '') ?? []);
  for (const v of variants) {
    const ms = median(times.get(v.name) ?? []);
    console.log(
      `${v.name.padEnd(24)} ${(v.bytes / 1024).toFixed(0).padStart(5)} KiB  x${(v.bytes / (base?.bytes ?? 1)).toFixed(2)}` +
        `  ${ms.toFixed(1).padStart(7)} ms  x${(ms / baseMs).toFixed(2)}`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
