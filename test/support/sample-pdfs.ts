import { randomBytes } from 'node:crypto';
import {
  PDFDocument,
  StandardFonts,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';

/** The text on page `n` of a sample original, so a test can find each page in the combined document. */
export const originalPageText = (page: number, pages: number): string => `Original agreement page ${page} of ${pages}`;

/**
 * An original document as an app would upload it: `pages` pages of text and, with `imageBytesPerPage`, a random
 * grey image on each page (incompressible, like a scan) so the file reaches a realistic size.
 */
export const sampleOriginal = async (pages: number, imageBytesPerPage = 0): Promise<Uint8Array> => {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.TimesRoman);
  for (let n = 1; n <= pages; n++) {
    const page = document.addPage([595.28, 841.89]);
    page.drawText(originalPageText(n, pages), { x: 72, y: 760, size: 14, font });
    page.drawText('The parties agree to the terms set out below.', { x: 72, y: 730, size: 11, font });
    if (imageBytesPerPage > 0) {
      const side = Math.ceil(Math.sqrt(imageBytesPerPage));
      const image = document.context.register(
        document.context.stream(randomBytes(side * side), {
          Type: 'XObject',
          Subtype: 'Image',
          Width: side,
          Height: side,
          ColorSpace: 'DeviceGray',
          BitsPerComponent: 8,
        }),
      );
      const name = page.node.newXObject('Scan', image);
      page.pushOperators(
        pushGraphicsState(),
        concatTransformationMatrix(300, 0, 0, 300, 150, 300),
        drawObject(name),
        popGraphicsState(),
      );
    }
  }
  return document.save();
};
