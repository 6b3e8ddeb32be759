// The PDF writer's page: the tagged document, its fonts and the text blocks every part of the
// board report is made of. Every block is a structure element (H1–H3, P) so screen readers
// and reflow read the report as a document, not as loose text (PDF/UA, ISO 14289-1 7.1).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Palette } from './board-pdf-blocks-base.ts';

export const FONT = { regular: 'Arimo', bold: 'Arimo-Bold' } as const;

export const COLOURS = {
  text: '#212b32',
  secondary: '#4c6272',
  border: '#aeb7bd',
  headerFill: '#e8edee',
  noticeFill: '#fff9c4',
  noticeBorder: '#ffb81c',
} as const;

export const BODY_SIZE = 10;
export const LINE_GAP = 2;
const HEADING_SIZES = { 1: 20, 2: 15, 3: 12 } as const;
const SPACE_BEFORE_HEADING = { 1: 0, 2: 16, 3: 10 } as const;
const SPACE_AFTER_HEADING = { 1: 8, 2: 4, 3: 4 } as const;
/** Room for two lines of body text: the least a heading keeps with it when nothing else is known. */
export const TWO_LINES = 30;

/** Margins leave room for the key above and the page number below (board-pdf-furniture.ts). */
export const MARGINS = { top: 84, bottom: 54, left: 50, right: 50 } as const;

export interface PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  /** The Document structure element every tagged block belongs to. */
  readonly root: PDFKit.PDFStructureElement;
  /** The outline items of the current H1 and H2, so lower headings nest under them. */
  readonly outline: { h1: PDFKit.PDFOutline | null; h2: PDFKit.PDFOutline | null };
  readonly palette: Palette;
}

let fontData: { regular: Buffer; bold: Buffer } | undefined;

/** Arimo covers en dashes, curly quotes and accented names; the 14 standard PDF fonts do not. */
function arimo(): { regular: Buffer; bold: Buffer } {
  if (!fontData) {
    const require = createRequire(import.meta.url);
    fontData = {
      regular: readFileSync(require.resolve('@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf')),
      bold: readFileSync(require.resolve('@expo-google-fonts/arimo/700Bold/Arimo_700Bold.ttf')),
    };
  }
  return fontData;
}

export function createPdfWriter(meta: { title: string; subject: string; at: Date }, palette: Palette): PdfWriter {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { ...MARGINS },
    bufferPages: true,
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
    // Fixed dates make the same report give the same bytes (the file ID is a hash of these).
    info: { Title: meta.title, Subject: meta.subject, Creator: 'Clasp', CreationDate: meta.at, ModDate: meta.at },
  });
  const fonts = arimo();
  doc.registerFont(FONT.regular, fonts.regular);
  doc.registerFont(FONT.bold, fonts.bold);
  doc.font(FONT.regular).fontSize(BODY_SIZE).fillColor(COLOURS.text);
  const root = doc.struct('Document');
  doc.addStructure(root);
  return { doc, root, outline: { h1: null, h2: null }, palette };
}

export function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

export function pageBottom(doc: PDFKit.PDFDocument): number {
  return doc.page.height - doc.page.margins.bottom;
}

export function atPageTop(doc: PDFKit.PDFDocument): boolean {
  return doc.y <= doc.page.margins.top + 0.5;
}

export function newPage(w: PdfWriter): void {
  w.doc.addPage();
  w.doc.x = w.doc.page.margins.left;
  w.doc.y = w.doc.page.margins.top;
}

/** Starts a new page unless `height` points still fit on this one. */
export function ensureSpace(w: PdfWriter, height: number): void {
  if (w.doc.y + height > pageBottom(w.doc) && !atPageTop(w.doc)) newPage(w);
}

export function moveDown(w: PdfWriter, points: number): void {
  if (!atPageTop(w.doc)) w.doc.y += points;
}

/** The height a heading takes, space before and after included. */
export function headingHeight(doc: PDFKit.PDFDocument, level: 1 | 2 | 3, text: string): number {
  doc.font(FONT.bold).fontSize(HEADING_SIZES[level]);
  const height = doc.heightOfString(text, { width: contentWidth(doc) });
  doc.font(FONT.regular).fontSize(BODY_SIZE);
  return SPACE_BEFORE_HEADING[level] + height + SPACE_AFTER_HEADING[level];
}

/** `keepWith` is the height of what must follow on the same page, so a heading is never left alone at a page's foot. */
export function writeHeading(w: PdfWriter, level: 1 | 2 | 3, text: string, keepWith = TWO_LINES): void {
  const { doc } = w;
  const width = contentWidth(doc);
  doc.font(FONT.bold).fontSize(HEADING_SIZES[level]);
  moveDown(w, SPACE_BEFORE_HEADING[level]);
  ensureSpace(w, doc.heightOfString(text, { width }) + SPACE_AFTER_HEADING[level] + keepWith);
  addOutlineItem(w, level, text);
  w.root.add(
    doc.struct(`H${level}`, {}, () => doc.fillColor(COLOURS.text).text(text, doc.page.margins.left, doc.y, { width })),
  );
  doc.y += SPACE_AFTER_HEADING[level];
  doc.font(FONT.regular).fontSize(BODY_SIZE);
}

/** Bookmarks mirror the headings: the title at the top, sections under it, their parts under those. */
function addOutlineItem(w: PdfWriter, level: 1 | 2 | 3, text: string): void {
  const { outline } = w.doc;
  if (level === 1) {
    w.outline.h1 = outline.addItem(text, { expanded: true });
    w.outline.h2 = null;
  } else if (level === 2) {
    w.outline.h2 = (w.outline.h1 ?? outline).addItem(text);
  } else {
    (w.outline.h2 ?? w.outline.h1 ?? outline).addItem(text);
  }
}

export interface ParagraphOptions {
  bold?: boolean;
  size?: number;
  colour?: string;
  /** The height of what must follow on the same page: a caption stays with its table. */
  keepWith?: number;
}

export function paragraphHeight(doc: PDFKit.PDFDocument, text: string, options: ParagraphOptions = {}): number {
  doc.font(options.bold ? FONT.bold : FONT.regular).fontSize(options.size ?? BODY_SIZE);
  const height = doc.heightOfString(text, { width: contentWidth(doc), lineGap: LINE_GAP });
  doc.font(FONT.regular).fontSize(BODY_SIZE);
  return height;
}

export function writeParagraph(w: PdfWriter, text: string, options: ParagraphOptions = {}): void {
  const { doc } = w;
  const width = contentWidth(doc);
  // Two lines at least on this page, so a paragraph never starts with a lone line at the foot.
  const height = paragraphHeight(doc, text, options);
  ensureSpace(w, options.keepWith ? height + options.keepWith : Math.min(height, TWO_LINES));
  doc.font(options.bold ? FONT.bold : FONT.regular).fontSize(options.size ?? BODY_SIZE);
  w.root.add(
    doc.struct('P', {}, () =>
      doc
        .fillColor(options.colour ?? COLOURS.text)
        .text(text, doc.page.margins.left, doc.y, { width, lineGap: LINE_GAP }),
    ),
  );
  doc.y += 5;
  doc.font(FONT.regular).fontSize(BODY_SIZE);
}

/** A boxed, bold paragraph: the notice that the data is illustrative must not be missed. */
export function writeNotice(w: PdfWriter, text: string): void {
  const { doc } = w;
  const padding = 8;
  const width = contentWidth(doc) - 2 * padding;
  doc.font(FONT.bold).fontSize(BODY_SIZE);
  const height = doc.heightOfString(text, { width, lineGap: LINE_GAP }) + 2 * padding;
  ensureSpace(w, height);
  const top = doc.y;
  const left = doc.page.margins.left;
  w.root.add(
    doc.struct('P', {}, () => {
      doc
        .save()
        .rect(left, top, width + 2 * padding, height)
        .fillAndStroke(COLOURS.noticeFill, COLOURS.noticeBorder)
        .restore();
      doc.fillColor(COLOURS.text).text(text, left + padding, top + padding, { width, lineGap: LINE_GAP });
    }),
  );
  doc.x = left;
  doc.y = top + height + 8;
  doc.font(FONT.regular);
}

/** Content outside the structure tree (page furniture, repeated table headers) is an artifact. */
export function asArtifact(doc: PDFKit.PDFDocument, draw: () => void): void {
  doc.markContent('Artifact', { type: 'Pagination' });
  draw();
  doc.endMarkedContent();
}

/** The PDF's bytes, once pdfkit has written them all. */
export function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
