import { PDFDict, PDFDocument, PDFName, type PDFPage } from 'pdf-lib';

const SIG = PDFName.of('Sig');

/** The field a widget belongs to: the widget itself when merged with its field, else its /Parent chain. */
const isSignatureWidget = (widget: PDFDict): boolean => {
  for (
    let node: PDFDict | undefined = widget;
    node !== undefined;
    node = node.lookupMaybe(PDFName.of('Parent'), PDFDict)
  )
    if (node.lookupMaybe(PDFName.of('FT'), PDFName) === SIG) return true;
  return false;
};

/** The entries that make a widget (part of) a form field. */
const FIELD_ENTRIES = ['Parent', 'FT', 'T', 'TU', 'TM', 'V', 'DV', 'Ff', 'Lock', 'SV', 'Kids'];

/**
 * Signature widgets copied from the original become stamp annotations: the same appearance stream, so a visible
 * signature still shows, but no longer a signature field. The rewrite has broken every signature the original
 * carried, and a reader finding them on the pages would list them, invalid or unsigned, beside the seal.
 */
const withoutOldSignatures = (page: PDFPage): void => {
  for (const annotation of page.node.Annots()?.asArray() ?? []) {
    const widget = page.doc.context.lookupMaybe(annotation, PDFDict);
    if (widget === undefined || !isSignatureWidget(widget)) continue;
    for (const key of FIELD_ENTRIES) widget.delete(PDFName.of(key));
    // A widget outside any form is an invalid field to readers; a stamp annotation shows the same appearance.
    widget.set(PDFName.of('Subtype'), PDFName.of('Stamp'));
  }
};

/**
 * The signed document: the original's pages, then the certificate's, in one new PDF. A new document rather than
 * the original with pages appended: the original's form and outline stay out, and signatures it already carried
 * are removed (withoutOldSignatures), so the one signature a reader finds is the service's seal; the pages
 * themselves, with their content and annotations, are copied unchanged. Throws on an original pdf-lib cannot
 * read (upload checks refuse those long before).
 */
export const combinedDocument = async (
  original: Uint8Array,
  certificate: PDFDocument,
  title: string,
): Promise<PDFDocument> => {
  const source = await PDFDocument.load(original, { updateMetadata: false });
  const combined = await PDFDocument.create();
  for (const page of await combined.copyPages(source, source.getPageIndices())) {
    withoutOldSignatures(page);
    combined.addPage(page);
  }
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
