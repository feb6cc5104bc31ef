import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { CertificateFacts } from './certificate-facts.ts';
import { certificateContent, type Section } from './certificate-content.ts';
import { fontSafeText } from './font-safe-text.ts';
import { wrapText } from './text-wrap.ts';

/** A4 in points, with the margins a printed record needs. */
const PAGE = { width: 595.28, height: 841.89, margin: 50, footer: 30 } as const;
const LABEL_WIDTH = 130;
const SIZE = { title: 18, subtitle: 10, heading: 11.5, text: 9.5, footer: 8 } as const;
const LEADING = 1.35;
const GREY = rgb(0.35, 0.35, 0.35);
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;

interface Fonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly encodable: ReadonlySet<number>;
}

/** Draws top to bottom, starting a new page whenever the next block would cross the bottom margin. */
class Flow {
  private page: PDFPage;
  private y = 0;

  constructor(
    private readonly document: PDFDocument,
    private readonly fonts: Fonts,
  ) {
    this.page = this.newPage();
  }

  private newPage(): PDFPage {
    this.page = this.document.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
    return this.page;
  }

  /** Moves to a new page unless `height` points still fit on this one. */
  keep(height: number): void {
    if (this.y - height < PAGE.margin + PAGE.footer) this.newPage();
  }

  lines(text: string, font: PDFFont, size: number, width: number): string[] {
    return wrapText(fontSafeText(text, this.fonts.encodable), width, (line) => font.widthOfTextAtSize(line, size));
  }

  paragraph(text: string, font: PDFFont, size: number, color = rgb(0, 0, 0)): void {
    for (const line of this.lines(text, font, size, CONTENT_WIDTH)) {
      this.keep(size * LEADING);
      this.y -= size * LEADING;
      this.page.drawText(line, { x: PAGE.margin, y: this.y, size, font, color });
    }
  }

  /** A label and its value side by side; a long value wraps in its column and may go on over a page break. */
  row(label: string, value: string): void {
    const { regular, bold } = this.fonts;
    const lineHeight = SIZE.text * LEADING;
    const valueLines = this.lines(value, regular, SIZE.text, CONTENT_WIDTH - LABEL_WIDTH);
    // A label with its first three lines together; only a very long value is split from its label.
    this.keep(lineHeight * Math.min(valueLines.length, 3));
    valueLines.forEach((line, index) => {
      this.keep(lineHeight);
      this.y -= lineHeight;
      if (index === 0) this.page.drawText(label, { x: PAGE.margin, y: this.y, size: SIZE.text, font: bold });
      this.page.drawText(line, { x: PAGE.margin + LABEL_WIDTH, y: this.y, size: SIZE.text, font: regular });
    });
  }

  /** Paragraphs kept together on one page (the notes: read as one). */
  block(texts: readonly string[], font: PDFFont, size: number, color = GREY): void {
    const count = texts.reduce((sum, text) => sum + this.lines(text, font, size, CONTENT_WIDTH).length, 0);
    this.keep(count * size * LEADING);
    for (const text of texts) this.paragraph(text, font, size, color);
  }

  gap(points: number): void {
    this.y -= points;
  }

  section(section: Section): void {
    // A heading never ends a page: it keeps its summary line or first row.
    this.keep(SIZE.heading * LEADING + 14 + SIZE.text * LEADING * 2);
    this.gap(14);
    this.paragraph(section.heading, this.fonts.bold, SIZE.heading);
    this.gap(3);
    if (section.summary !== undefined) this.paragraph(section.summary, this.fonts.regular, SIZE.text);
    for (const { label, value } of section.rows) this.row(label, value);
  }
}

/** Every page gets the request number and "page i of n", so a loose printed page still says what it belongs to. */
const drawFooters = (document: PDFDocument, fonts: Fonts, label: string): void => {
  const pages = document.getPages();
  pages.forEach((page, index) => {
    const text = fontSafeText(`${label} · Page ${index + 1} of ${pages.length}`, fonts.encodable);
    page.drawText(text, { x: PAGE.margin, y: PAGE.margin - 10, size: SIZE.footer, font: fonts.regular, color: GREY });
  });
};

export interface CertificateOptions {
  /** Shown as the issuer and written as the PDF's author and producer. */
  readonly serviceName: string;
}

/**
 * The certificate as a new PDF document, not yet saved (`sealPdf` adds its signature, or `combinedDocument`
 * takes its pages). Standard fonts only (font-safe-text.ts says why); every fact is drawn as text, so it can be
 * searched, copied and read by `pdftotext`. Signers flow over as many pages as they need.
 */
export const certificatePdf = async (facts: CertificateFacts, options: CertificateOptions): Promise<PDFDocument> => {
  const document = await PDFDocument.create();
  const regular = await document.embedFont(StandardFonts.Helvetica);
  const fonts: Fonts = {
    regular,
    bold: await document.embedFont(StandardFonts.HelveticaBold),
    encodable: new Set(regular.getCharacterSet()),
  };
  const content = certificateContent(facts, options.serviceName);
  const flow = new Flow(document, fonts);
  flow.paragraph(content.title, fonts.bold, SIZE.title);
  flow.gap(4);
  flow.paragraph(content.subtitle, fonts.regular, SIZE.subtitle, GREY);
  for (const section of content.sections) flow.section(section);
  flow.gap(16);
  flow.block(content.notes, fonts.regular, SIZE.footer);
  drawFooters(document, fonts, `${content.title}, ${content.subtitle}`);
  // Metadata strings are UTF-16 in the file, so they keep what the drawn text had to spell as code points.
  document.setTitle(`${content.title}: ${content.subtitle}`);
  document.setAuthor(options.serviceName);
  document.setCreator(options.serviceName);
  document.setProducer(options.serviceName);
  document.setSubject(`Evidence of sign request ${facts.signRequestId}`);
  document.setCreationDate(new Date(facts.issuedAt));
  document.setModificationDate(new Date(facts.issuedAt));
  return document;
};
