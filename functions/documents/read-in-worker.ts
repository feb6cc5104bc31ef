import { Worker } from 'node:worker_threads';
import { invalid, tooLarge, type PdfReadLimits, type PdfReading } from './document-check.ts';
import type { ReadRequest } from './read-pdf-worker.ts';

/**
 * Where the worker's code is by default: read-pdf-worker.mjs beside the bundled function, which must ship it as
 * an entry point of its own (bundled with the function's esbuild options). The tests and the local server run
 * from the sources, where Node 20 cannot start a TypeScript worker (a worker gets none of tsx's loader hooks):
 * they bundle read-pdf-worker.ts the same way and pass the file (test/support/pdf-reader-worker.ts).
 */
const BUNDLED_WORKER_FILE = new URL('./read-pdf-worker.mjs', import.meta.url);

export interface WorkerBounds {
  /** The worker's V8 heap (old generation), in MiB: a document whose objects need more is refused. */
  readonly heapMb: number;
  /** How long the reading may take before the worker is stopped and the document refused. */
  readonly timeoutMs: number;
  /** The worker's code: a bundled read-pdf-worker.ts. */
  readonly workerFile: URL;
}

export const DEFAULT_WORKER_BOUNDS: WorkerBounds = { heapMb: 256, timeoutMs: 10_000, workerFile: BUNDLED_WORKER_FILE };

const isReading = (message: unknown): message is PdfReading =>
  typeof message === 'object' && message !== null && 'ok' in message && typeof message.ok === 'boolean';

/**
 * Reads the bytes with pdf-lib in a worker of its own, started for this document and stopped after it: pdf-lib
 * cannot be interrupted, and some hostile files make it loop for minutes or build millions of objects, so time
 * and heap are bounded where only a worker can bound them. A worker that runs out of either is a refusal; one
 * that fails otherwise (it could not start, say) is the service's fault and rejects.
 */
export const readInWorker = (bytes: Uint8Array, limits: PdfReadLimits, bounds: WorkerBounds): Promise<PdfReading> =>
  new Promise<PdfReading>((resolve, reject) => {
    const request: ReadRequest = { bytes, limits };
    const worker = new Worker(bounds.workerFile, {
      workerData: request,
      resourceLimits: { maxOldGenerationSizeMb: bounds.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () => settle(() => resolve(tooLarge('The PDF takes too long to read: it is too large or too complex.'))),
      bounds.timeoutMs,
    );
    worker.once('message', (message: unknown) =>
      settle(() => resolve(isReading(message) ? message : invalid('The PDF cannot be parsed.'))),
    );
    worker.once('error', (error: Error & { code?: unknown }) =>
      settle(() =>
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? resolve(tooLarge('The PDF needs more memory to read than the service allows.'))
          : reject(new Error('The PDF reader worker failed', { cause: error })),
      ),
    );
    worker.once('exit', (exitCode) =>
      settle(() => reject(new Error(`The PDF reader worker exited with ${exitCode} before answering`))),
    );
  });
