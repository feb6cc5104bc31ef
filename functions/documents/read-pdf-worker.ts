import { parentPort, workerData } from 'node:worker_threads';
import { invalid, type PdfReadLimits, type PdfReading } from './document-check.ts';
import { readPdf } from './read-pdf.ts';

/**
 * The worker read-in-worker.ts starts for one document: it reads the bytes it is given and posts one PdfReading.
 * Whatever reading throws becomes a refusal here, so the only failures the parent sees are the worker's bounds
 * (heap, time) and the service's own faults.
 */
export interface ReadRequest {
  readonly bytes: Uint8Array;
  readonly limits: PdfReadLimits;
}

// pdf-lib tells the console what it skips or caps in a hostile document: noise for the function's log, not news.
console.warn = () => undefined;
console.log = () => undefined;

const { bytes, limits } = workerData as ReadRequest;
let reading: PdfReading;
try {
  reading = await readPdf(bytes, limits);
} catch {
  reading = invalid('The PDF cannot be parsed.');
}
parentPort?.postMessage(reading);
