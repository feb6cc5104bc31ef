/**
 * `npm run bench`: every benchmark in one run, on one fresh in-memory embedded store, printed as one table and
 * written to bench/results/latest.json. BENCH_QUICK=1 shrinks every benchmark for a smoke run of about a minute.
 * BENCH_ONLY=coldStart (names, comma-separated) runs only those and prints them, writing no results file.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
// The env comes first: everything that reaches functions/ is imported dynamically below, so the functions read
// this configuration at their "cold start", as they would in Lambda.
import { setBenchEnv, setStoreEndpoint } from './env.ts';

const started = performance.now();
const startedAt = new Date().toISOString();
const { tableName, quick } = setBenchEnv();
const { startEmbeddedStore, ensureLocalTable } = await import('../infra/local/embedded-store.ts');
const store = await startEmbeddedStore({ port: 0 });
setStoreEndpoint(store.endpoint);

await ensureLocalTable(store.endpoint, tableName, process.env.AWS_REGION);

const { documentClient } = (await import('../functions/wiring/http-api.ts')).sharedHttpApiDependencies();
const { registerBenchApp } = await import('./app.ts');
const ctx = { quick, tableName, endpoint: store.endpoint, app: await registerBenchApp(), client: documentClient };

const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
const benchmarks = [
  (await import('./overhead.ts')).overheadOverStore,
  (await import('./store-calls.ts')).storeCallsPerOperation,
  (await import('./http.ts')).overHttp,
  (await import('./growth.ts')).growth,
  (await import('./cold-start.ts')).coldStart,
  (await import('./rate-limit.ts')).rateLimitCost,
  (await import('./sealing.ts')).sealing,
].filter((benchmark) => !only || only.includes(benchmark.name));
const { failedSection, printSections, writeResults } = await import('./report.ts');

try {
  const sections = [];
  for (const benchmark of benchmarks) {
    const t = performance.now();
    // One broken benchmark (say, a handler mid-refactor) must not hide the others' figures.
    sections.push(await benchmark(ctx).catch((error: unknown) => failedSection(benchmark.name, error)));
    console.error(`  (${benchmark.name} took ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  const wallSeconds = Math.round((performance.now() - started) / 100) / 10;
  console.log(`\nesign-recall benchmarks${quick ? ' (BENCH_QUICK=1)' : ''}, ${startedAt}, wall ${wallSeconds} s\n`);
  console.log(printSections(sections));
  // A partial run would overwrite the whole run's figures with a part of them.
  if (!only) {
    const file = await writeResults(
      { startedAt, wallSeconds, quick, node: process.version, cpus: availableParallelism() },
      sections,
    );
    console.log(`\nwritten to ${file}`);
  }
} finally {
  documentClient.destroy();
  await store.close();
}
