import { PDFDocument } from 'pdf-lib';

/**
 * The signed document: the original's pages, then the certificate's, in one new PDF. A new document rather than
 * the original with pages appended: the original's form fields and any signatures it already carried (which a
 * rewrite would break) stay out, so the one signature a reader finds is the service's seal; the pages themselves,
 * with their content and annotations, are copied unchanged. Throws on an original pdf-lib cannot read (upload
 * checks refuse those long before).
 */
export const combinedDocument = async (
  original: Uint8Array,
  certificate: PDFDocument,
  title: string,
): Promise<PDFDocument> => {
  const source = await PDFDocument.load(original, { updateMetadata: false });
  const combined = await PDFDocument.create();
  for (const page of await combined.copyPages(source, source.getPageIndices())) combined.addPage(page);
  for (const page of await combined.copyPages(certificate, certificate.getPageIndices())) combined.addPage(page);
  combined.setTitle(title);
  for (const [set, value] of [
    [(v: string) => combined.setAuthor(v), certificate.getAuthor()],
    [(v: string) => combined.setCreator(v), certificate.getCreator()],
    [(v: string) => combined.setProducer(v), certificate.getProducer()],
    [(v: string) => combined.setSubject(v), certificate.getSubject()],
  ] as const)
    if (value !== undefined) set(value);
  return combined;
};
