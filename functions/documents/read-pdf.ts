import { PDFDocument } from 'pdf-lib';
import { invalid, tooLarge, type PdfReadLimits, type PdfReading } from './document-check.ts';
import { watchObjectStreams } from './bounded-object-streams.ts';
import { nestsDeeperThan } from './nesting.ts';
import { countPages } from './page-tree.ts';
import { namesEncrypt } from './pdf-bytes.ts';

const ENCRYPTED = invalid(
  'The PDF is encrypted (even one that opens without a password is refused): send it without encryption.',
);

/**
 * Reads the bytes with pdf-lib, within the limits, and answers the page count or why the document is refused.
 * Runs in a worker of its own (read-pdf-worker.ts), which bounds what this cannot: time, heap and stack.
 *
 * What is accepted: a PDF every object of which pdf-lib parses (`throwOnInvalidObject`: an object it could only
 * skip is one the service could not seal faithfully), that names no encryption, and whose page tree holds at least
 * one page. pdf-lib reads a file from start to end and never uses its cross-reference data, so a broken
 * cross-reference table, which readers repair, is no reason to refuse.
 */
export const readPdf = async (bytes: Uint8Array, limits: PdfReadLimits): Promise<PdfReading> => {
  if (namesEncrypt(bytes)) return ENCRYPTED;

  const watch = watchObjectStreams(limits.maxInflatedBytes);
  let document: PDFDocument | undefined;
  try {
    document = await PDFDocument.load(bytes, {
      ignoreEncryption: true,
      throwOnInvalidObject: true,
      updateMetadata: false,
      parseSpeed: Infinity,
    });
  } catch {
    // Judged below: pdf-lib's own messages name offsets and internals, so the caller gets a sentence of ours.
  } finally {
    watch.release();
  }
  // pdf-lib catches what the object-stream wrap throws and throws its own error instead: the watch says why.
  const failure = watch.failure();
  if (failure === 'over-budget') {
    return tooLarge(`The PDF's object streams inflate to more than ${limits.maxInflatedBytes / 1024 / 1024} MiB.`);
  }
  if (failure === 'unreadable') return invalid('The PDF has an object stream that cannot be read.');
  if (document === undefined) return invalid('The PDF cannot be parsed.');

  // The scan of the raw bytes above finds /Encrypt however it is spelt, but looks for its value only 256 bytes
  // on: pdf-lib's own view of the trailer covers one further away.
  if (document.context.trailerInfo.Encrypt !== undefined) return ENCRYPTED;
  if (nestsDeeperThan(document.context, limits.maxNesting)) {
    return invalid(`The PDF nests arrays or dictionaries more than ${limits.maxNesting} deep.`);
  }
  const counted = countPages(document.context, limits.maxPages, limits.maxPageTreeDepth);
  if (!counted.ok) return counted;
  // The walk above proved the tree finite and acyclic; pdf-lib's own count must then agree with it, since the
  // pages the service seals later are the ones pdf-lib finds.
  if (document.getPageCount() !== counted.pages) return invalid('The PDF has a page tree that cannot be read.');
  return counted;
};
