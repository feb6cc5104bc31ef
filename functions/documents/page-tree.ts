import { PDFArray, PDFDict, PDFName, PDFNumber, PDFPageLeaf, PDFPageTree, type PDFContext } from 'pdf-lib';
import { invalid, tooLarge, type PdfReading } from './document-check.ts';

const KIDS = PDFName.of('Kids');
const COUNT = PDFName.of('Count');
const PAGES = PDFName.of('Pages');

/**
 * Counts the pages of the document's page tree without trusting it: pdf-lib walks the tree recursively and
 * without noticing a node it has seen, so a loop (a node among its own kids) never ends and a node listed twice
 * at each of 30 levels makes a billion pages. Here the walk keeps its own stack, refuses a node reached twice (a
 * page tree is a tree), a tree deeper than the limit and more pages than the limit, and a root whose /Count
 * disagrees with the pages it holds (readers that trust /Count would show another number of pages than the one
 * the service records). After this, pdf-lib's own walk is safe.
 */
export const countPages = (context: PDFContext, maxPages: number, maxDepth: number): PdfReading => {
  const catalog = context.lookup(context.trailerInfo.Root);
  if (!(catalog instanceof PDFDict)) return invalid('The PDF has no document catalog.');
  const root = catalog.lookup(PAGES);
  if (!(root instanceof PDFPageTree)) return invalid('The PDF has no page tree.');

  const seen = new Set<PDFDict>([root]);
  const pending: { node: PDFPageTree; depth: number }[] = [{ node: root, depth: 1 }];
  let pages = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const kids = next.node.lookup(KIDS);
    if (!(kids instanceof PDFArray)) return invalid('A node of the page tree has no list of kids.');
    for (let index = 0; index < kids.size(); index += 1) {
      const kid = kids.lookup(index);
      if (!(kid instanceof PDFPageLeaf) && !(kid instanceof PDFPageTree)) {
        return invalid('The page tree holds an entry that is not a page.');
      }
      if (seen.has(kid)) return invalid('The page tree reaches the same node twice.');
      seen.add(kid);
      if (kid instanceof PDFPageLeaf) {
        pages += 1;
        if (pages > maxPages) return tooLarge(`The PDF has more than ${maxPages} pages.`);
      } else {
        if (next.depth + 1 > maxDepth) return invalid(`The page tree is more than ${maxDepth} levels deep.`);
        pending.push({ node: kid, depth: next.depth + 1 });
      }
    }
  }

  if (pages === 0) return invalid('The PDF has no pages.');
  const count = root.lookup(COUNT);
  if (!(count instanceof PDFNumber) || count.asNumber() !== pages) {
    return invalid(`The page tree holds ${pages} pages but says otherwise in its /Count.`);
  }
  return { ok: true, pages };
};
