// What every page carries once the body is laid out: the rating key along the top, so a
// printed page read on its own still says what each colour means, and "Page N of M" at the
// foot. Both are page furniture, marked as artifacts outside the structure tree.
import { keyLabel, type RatingKeyEntry } from '../../../domain/ratings.ts';
import { asArtifact, COLOURS, FONT, MARGINS } from './board-pdf-writer.ts';

const FURNITURE_SIZE = 8;
const SWATCH = 9;
const KEY_TOP = 22;
const KEY_ROW = 13;

export function writePageFurniture(doc: PDFKit.PDFDocument, key: RatingKeyEntry[], title: string): void {
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i += 1) {
    doc.switchToPage(range.start + i);
    // Text below the bottom margin would make pdfkit start a page of its own.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    asArtifact(doc, () => {
      drawKey(doc, key);
      drawFooter(doc, title, `Page ${i + 1} of ${range.count}`);
    });
    doc.page.margins.bottom = bottom;
  }
}

/** "Key:" then a swatch and its words for each rating, wrapping onto a second line if needed. */
function drawKey(doc: PDFKit.PDFDocument, key: RatingKeyEntry[]): void {
  const left = MARGINS.left;
  const right = doc.page.width - MARGINS.right;
  doc.font(FONT.bold).fontSize(FURNITURE_SIZE).fillColor(COLOURS.text);
  doc.text('Key:', left, KEY_TOP + 1, { lineBreak: false });
  let x = left + doc.widthOfString('Key:') + 8;
  let y = KEY_TOP;
  doc.font(FONT.regular);
  for (const entry of key) {
    const words = keyLabel(entry);
    const width = SWATCH + 4 + doc.widthOfString(words) + 12;
    if (x + width > right) {
      x = left + doc.widthOfString('Key:') + 8;
      y += KEY_ROW;
    }
    doc.save().lineWidth(0.5).rect(x, y, SWATCH, SWATCH).fillAndStroke(entry.colour, COLOURS.text).restore();
    doc.fillColor(COLOURS.text).text(words, x + SWATCH + 4, y + 1, { lineBreak: false });
    x += width;
  }
  const ruleY = MARGINS.top - 14;
  doc.save().lineWidth(0.5).moveTo(left, ruleY).lineTo(right, ruleY).stroke(COLOURS.border).restore();
}

function drawFooter(doc: PDFKit.PDFDocument, title: string, pageWords: string): void {
  const left = MARGINS.left;
  const width = doc.page.width - MARGINS.left - MARGINS.right;
  const y = doc.page.height - MARGINS.bottom + 18;
  doc
    .save()
    .lineWidth(0.5)
    .moveTo(left, y - 8)
    .lineTo(left + width, y - 8)
    .stroke(COLOURS.border)
    .restore();
  doc.font(FONT.regular).fontSize(FURNITURE_SIZE).fillColor(COLOURS.secondary);
  doc.text(fitted(doc, title, width - 90), left, y, { lineBreak: false });
  doc.text(pageWords, left + width - 80, y, { width: 80, align: 'right', lineBreak: false });
}

/** The title as it fits on one line, cut at a space and ended with "…" when it is too long. */
function fitted(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  const words = text.split(' ');
  while (words.length > 1 && doc.widthOfString(`${words.join(' ')}…`) > width) words.pop();
  return `${words.join(' ')}…`;
}
