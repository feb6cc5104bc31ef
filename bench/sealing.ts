import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateLocalSealingKey } from '../functions/documents/local-sealing-key.ts';
import { sampleOriginal } from '../test/support/sample-pdfs.ts';
import { bundleFunction, type Bundle } from './bundle.ts';
import { type BenchContext, type Section } from './context.ts';
import { median, round } from './stats.ts';

const DOCUMENTS = fileURLToPath(new URL('../functions/documents/', import.meta.url));
const SEAL_RUN = fileURLToPath(new URL('./fixtures/seal-run.ts', import.meta.url));
/** The document: 1 MiB over 50 pages (a random grey image per page, incompressible like a scan). */
const PAGES = 50;
const IMAGE_BYTES_PER_PAGE = Math.ceil((1024 * 1024) / PAGES);

const IMPORT_AND_REPORT =
  'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

/** Runs `node args` to exit and returns what it printed. */
const runNode = (args: string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`node exited ${code}: ${err}`))));
  });

interface SealRun {
  sealMs: number;
  certificateMs: number;
  verifyMs: number;
  signedBytes: number;
  certificateBytes: number;
  rssBeforeKiB: number;
  maxRssKiB: number;
}

/**
 * Benchmark 6: the evidence PDFs. The sealing modules (functions/documents/evidence-pdfs.ts, which pulls in
 * pdf-lib and @signpdf) and the verifying one (verify-seal.ts: asn1js only) bundled as a function would bundle
 * them, with their size and import time in a fresh process; then, each round in a fresh process of its own, the
 * signed document of a 1 MiB, 50-page original with 10 signers sealed, its certificate sealed, the first verified:
 * times, the process's peak RSS, and the sizes of what was made.
 */
export const sealing = async (ctx: BenchContext): Promise<Section> => {
  const rounds = ctx.quick ? 3 : 7;
  const dir = await mkdtemp(join(tmpdir(), 'esign-recall-sealing-'));
  const bundleInto = async (name: string, entryPoint: string): Promise<Bundle> => {
    const outDir = join(dir, name);
    await mkdir(outDir);
    return bundleFunction(entryPoint, outDir);
  };
  try {
    const modules = {
      'evidence-pdfs (seal)': await bundleInto('seal', join(DOCUMENTS, 'evidence-pdfs.ts')),
      'verify-seal (verify)': await bundleInto('verify', join(DOCUMENTS, 'verify-seal.ts')),
    };
    const runner = await bundleInto('seal-run', SEAL_RUN);
    const originalFile = join(dir, 'original.pdf');
    const original = await sampleOriginal(PAGES, IMAGE_BYTES_PER_PAGE);
    await writeFile(originalFile, original);
    const keyFile = join(dir, 'key.json');
    await writeFile(keyFile, JSON.stringify(await generateLocalSealingKey('esign-recall')));

    const importMs = new Map<string, number[]>(Object.keys(modules).map((name) => [name, []]));
    const runs: SealRun[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const [name, bundle] of Object.entries(modules)) {
        const ms = Number(
          await runNode(['--input-type=module', '-e', IMPORT_AND_REPORT, pathToFileURL(bundle.entry).href]),
        );
        importMs.get(name)?.push(ms);
      }
      runs.push(JSON.parse(await runNode([runner.entry, originalFile, keyFile])) as SealRun);
    }
    const med = (pick: (run: SealRun) => number) => median(runs.map(pick));
    const kib = (bytes: number) => round(bytes / 1024, 0);
    return {
      id: 'sealing',
      title: `7. Evidence PDFs: sealing modules' size and import, and sealing a 1 MiB, ${PAGES}-page document with 10 signers (median of ${rounds} fresh processes)`,
      columns: ['measure', 'value'],
      rows: [
        ...Object.entries(modules).flatMap(([name, bundle]) => [
          [`${name}: bundle KiB`, kib(bundle.codeBytes)],
          [`${name}: import ms`, round(median(importMs.get(name) ?? []), 1)],
        ]),
        ['original KiB', kib(original.byteLength)],
        [
          'seal signed document ms',
          round(
            med((run) => run.sealMs),
            0,
          ),
        ],
        [
          'seal certificate alone ms',
          round(
            med((run) => run.certificateMs),
            0,
          ),
        ],
        [
          'verify signed document ms',
          round(
            med((run) => run.verifyMs),
            1,
          ),
        ],
        ['signed document KiB', kib(med((run) => run.signedBytes))],
        ['certificate KiB (10 signers)', kib(med((run) => run.certificateBytes))],
        ['RSS before sealing MiB', round(med((run) => run.rssBeforeKiB) / 1024, 0)],
        ['peak RSS MiB', round(med((run) => run.maxRssKiB) / 1024, 0)],
      ],
      targets: [],
      notes: [
        'The sealing modules load only in the functions that seal or verify: section 5 bundles every API function, and none imports functions/documents/.',
        'peak RSS: the whole process (Node itself, the bundle, the original, the documents made), as resourceUsage().maxRSS reports it.',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
