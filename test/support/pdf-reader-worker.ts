import { bundlePdfReaderWorker } from '../../infra/bundling/pdf-reader-worker.ts';

let bundled: Promise<URL> | undefined;

/** The PDF reader's worker bundled once per test process (infra/bundling/pdf-reader-worker.ts says why). */
export const pdfReaderWorker = (): Promise<URL> => (bundled ??= bundlePdfReaderWorker());
