import { randomBytes } from 'node:crypto';
import { createDeflate } from 'node:zlib';
import { PDFDocument, PDFHexString, PDFName, StandardFonts } from 'pdf-lib';

/**
 * PDFs for the tests of the document check (test/integration/document-check.test.ts), generated, never stored:
 * good ones through pdf-lib, hostile ones written byte by byte (pdf-lib will not write a broken file).
 */

export interface ValidPdfOptions {
  readonly pages: number;
  /** pdf-lib's default: objects in compressed object streams, a cross-reference stream. */
  readonly objectStreams?: boolean;
  /** Random, incompressible bytes added as an unused stream, to reach a size. */
  readonly paddingBytes?: number;
}

export const validPdf = async ({ pages, objectStreams = true, paddingBytes = 0 }: ValidPdfOptions) => {
  const document = await PDFDocument.create({ updateMetadata: false });
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let index = 0; index < pages; index += 1) {
    document.addPage([595, 842]).drawText(`Page ${index + 1} of ${pages}`, { x: 72, y: 770, size: 14, font });
  }
  if (paddingBytes > 0) document.context.register(document.context.stream(randomBytes(paddingBytes)));
  return document.save({ useObjectStreams: objectStreams });
};

/** A valid PDF whose trailer names a standard-security encryption dictionary (an owner password only, say). */
export const pdfNamingEncryption = async (objectStreams: boolean) => {
  const document = await PDFDocument.create({ updateMetadata: false });
  document.addPage();
  const { context } = document;
  const encryption = context.obj({ Filter: 'Standard', V: 1, R: 2, P: -4 });
  encryption.set(PDFName.of('O'), PDFHexString.of('00'.repeat(32)));
  encryption.set(PDFName.of('U'), PDFHexString.of('00'.repeat(32)));
  context.trailerInfo.Encrypt = context.register(encryption);
  return document.save({ useObjectStreams: objectStreams });
};

const latin1 = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/** One indirect object: its body as text, or a stream (dictionary text and raw data). */
export type RawObject = string | { readonly dict: string; readonly data: Uint8Array };

/**
 * A PDF written byte by byte: the header, objects 1..n in order, a cross-reference table with their true
 * offsets, and a trailer whose dictionary is `trailer` (Size is added). Object 1 is the catalog by convention.
 */
export const rawPdf = (objects: readonly RawObject[], trailer = '/Root 1 0 R'): Uint8Array => {
  const parts: Uint8Array[] = [latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let length = parts[0]!.byteLength;
  const offsets: number[] = [];
  const push = (part: Uint8Array): void => {
    parts.push(part);
    length += part.byteLength;
  };
  objects.forEach((object, index) => {
    offsets.push(length);
    if (typeof object === 'string') push(latin1(`${index + 1} 0 obj\n${object}\nendobj\n`));
    else {
      push(latin1(`${index + 1} 0 obj\n<< ${object.dict} /Length ${object.data.byteLength} >>\nstream\n`));
      push(object.data);
      push(latin1('\nendstream\nendobj\n'));
    }
  });
  const xrefAt = length;
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  push(latin1(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}`));
  push(latin1(`trailer\n<< /Size ${objects.length + 1} ${trailer} >>\nstartxref\n${xrefAt}\n%%EOF\n`));
  return Buffer.concat(parts);
};

/** A catalog (object 1) and a page tree (object 2) of one page (object 3), then `more` objects from 4 on. */
export const onePagePdf = (more: readonly RawObject[] = [], trailer?: string): Uint8Array =>
  rawPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
      ...more,
    ],
    trailer,
  );

/**
 * `megabytes` MiB of zeros, deflated as they stream through zlib (never held whole): about a thousandth of that
 * in bytes. `deflateSync` it again for a second layer of a few kilobytes.
 */
export const deflatedZeros = async (megabytes: number): Promise<Buffer> => {
  const deflate = createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < megabytes; written += 1) {
    if (!deflate.write(zeros)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(chunks);
};
