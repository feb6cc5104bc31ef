/**
 * `npx tsx bench/document-check.ts`: what the document check (functions/documents/inspect-pdf.ts) costs. Not part
 * of `npm run bench` yet (issue 18 adds the seal's figures there); printed only. Each figure is the median of
 * several runs on this machine, whose load moves absolute times by tens of percent: read them as orders of size.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { DEFAULT_PDF_READ_LIMITS } from '../functions/documents/document-check.ts';
import { inspectPdf } from '../functions/documents/inspect-pdf.ts';
import { readPdf } from '../functions/documents/read-pdf.ts';
import { FUNCTION_BUNDLING } from '../infra/bundling/function-bundling.ts';
import { deflatedZeros, onePagePdf, validPdf } from '../test/support/pdf-fixtures.ts';
import { pdfReaderWorker } from '../test/support/pdf-reader-worker.ts';

const MiB = 1024 * 1024;
const ROUNDS = 9;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const workerFile = await pdfReaderWorker();
const workerPath = fileURLToPath(workerFile);

/** A fresh `node` that imports the file and exits (the worker's code fails without its workerData: caught). */
const coldImportMs = (file?: string): number => {
  const code = file ? `import(${JSON.stringify(file)}).catch(() => {})` : '';
  const started = performance.now();
  spawnSync(process.execPath, ['-e', code], { stdio: 'ignore' });
  return performance.now() - started;
};

const timed = async (bytes: Uint8Array) => {
  const times: number[] = [];
  let peakGrowth = 0;
  let last;
  for (let round = 0; round < ROUNDS; round += 1) {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    const started = performance.now();
    last = await inspectPdf(bytes, { maxBytes: 25 * MiB, bounds: { workerFile } });
    times.push(performance.now() - started);
    clearInterval(sampler);
    peakGrowth = Math.max(peakGrowth, peak - before);
  }
  const outcome = last?.ok ? `ok, ${last.pages} pages` : `${last?.code}`;
  return { ms: median(times), peakRssGrowthMb: peakGrowth / MiB, outcome };
};

// What a function that takes documents loads itself: inspect-pdf.ts and its siblings, not pdf-lib.
const callerSide = await build({
  ...FUNCTION_BUNDLING,
  entryPoints: [fileURLToPath(new URL('../functions/documents/inspect-pdf.ts', import.meta.url))],
  bundle: true,
  write: false,
  sourcemap: false,
  logLevel: 'error',
});
const callerBytes = callerSide.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);

const bare = median(Array.from({ length: ROUNDS }, () => coldImportMs()));
const withWorker = median(Array.from({ length: ROUNDS }, () => coldImportMs(workerPath)));
const zeros = await deflatedZeros(1024);
const cases = {
  'one page, 1 KiB': onePagePdf(),
  '50 pages, 1 MiB': await validPdf({ pages: 50, paddingBytes: MiB - 20 * 1024 }),
  '50 pages, 1 MiB, classic xref': await validPdf({ pages: 50, objectStreams: false, paddingBytes: MiB - 20 * 1024 }),
  'object stream bomb (1 GiB inside)': onePagePdf([
    { dict: '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', data: zeros },
  ]),
  '100,000 nested arrays': onePagePdf([`${'['.repeat(100_000)}${']'.repeat(100_000)}`]),
};

console.log(`inspect-pdf.ts bundled alone: ${(callerBytes / 1024).toFixed(1)} KiB (no pdf-lib on the caller's side)`);
console.log(`worker bundle: ${(statSync(workerPath).size / 1024).toFixed(0)} KiB (pdf-lib and what it needs)`);
console.log(`cold node process: bare ${bare.toFixed(0)} ms, importing the worker bundle ${withWorker.toFixed(0)} ms`);
console.log('\ndocument                              bytes      median ms  peak RSS growth MB  outcome');
for (const [name, bytes] of Object.entries(cases)) {
  const { ms, peakRssGrowthMb, outcome } = await timed(bytes);
  console.log(
    `${name.padEnd(36)}  ${String(bytes.byteLength).padStart(9)}  ${ms.toFixed(0).padStart(9)}  ${peakRssGrowthMb.toFixed(0).padStart(18)}  ${outcome}`,
  );
}

// The same reading without a worker, for the worker's share (this thread then holds pdf-lib: not how it runs).
const oneMiB = cases['50 pages, 1 MiB'];
await readPdf(oneMiB, DEFAULT_PDF_READ_LIMITS);
const inThread: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  const started = performance.now();
  await readPdf(oneMiB, DEFAULT_PDF_READ_LIMITS);
  inThread.push(performance.now() - started);
}
console.log(
  `\n50 pages, 1 MiB, read in this thread (pdf-lib already loaded, no worker): ${median(inThread).toFixed(0)} ms`,
);
