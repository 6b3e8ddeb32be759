// Tables drawn as real text in ruled cells, tagged Table/TR/TH/TD. A table that runs onto a
// new page repeats its header row there as an artifact, so a reader of the printed page knows
// the columns while the structure tree keeps one header (PDF/UA, ISO 14289-1 7.5).
import type { Cell, Column, Palette } from './board-pdf-blocks-base.ts';
import {
  asArtifact,
  contentWidth,
  COLOURS,
  ensureSpace,
  FONT,
  newPage,
  pageBottom,
  type PdfWriter,
} from './board-pdf-writer.ts';

const TABLE_SIZE = 9;
const PADDING = 4;
const CELL_LINE_GAP = 1;

interface Slot {
  x: number;
  width: number;
  align: 'left' | 'right';
}

/** pdfkit accepts a table scope on a structure element; its type declarations lag behind. */
type HeaderCellOptions = PDFKit.Mixins.StructureElementOptions & { scope?: 'Column' };

function headerCells(columns: Column[]): Cell[] {
  return columns.map((c) =>
    c.rating ? { text: c.header, bold: true, rating: c.rating } : { text: c.header, bold: true },
  );
}

/** A row may start at a page's foot with this much room, cut there if it is taller than a page. */
const LEAST_ROOM_FOR_A_PIECE = 48;

/** The height of the header and the first row (or its start): a table never begins with its header alone. */
export function tableStartHeight(doc: PDFKit.PDFDocument, columns: Column[], rows: Cell[][]): number {
  const slots = placeColumns(doc, columns);
  const first = rows[0];
  const headerHeight = rowHeight(doc, headerCells(columns), slots);
  return headerHeight + (first ? Math.min(rowHeight(doc, first, slots), LEAST_ROOM_FOR_A_PIECE) : 0);
}

export function writeTable(w: PdfWriter, columns: Column[], rows: Cell[][]): void {
  const { doc } = w;
  const slots = placeColumns(doc, columns);
  const header = headerCells(columns);
  const headerHeight = rowHeight(doc, header, slots);
  const tallest = doc.page.height - doc.page.margins.top - doc.page.margins.bottom - headerHeight;
  ensureSpace(w, tableStartHeight(doc, columns, rows));

  const table = doc.struct('Table');
  w.root.add(table);
  writeTaggedRow(w, table, header, slots, headerHeight, 'TH');
  for (const row of rows) {
    let pending: Cell[] | null = row;
    while (pending) {
      const room = pageBottom(doc) - doc.y;
      const height = rowHeight(doc, pending, slots);
      if (height <= room) {
        writeTaggedRow(w, table, pending, slots, height, 'TD');
        pending = null;
      } else if (height <= tallest || room < LEAST_ROOM_FOR_A_PIECE) {
        continueOnNewPage(w, header, slots, headerHeight);
      } else {
        // Taller than a page: as much as fits here, the rest in a row of its own on the next page.
        const [part, rest] = splitRow(doc, pending, slots, room);
        writeTaggedRow(w, table, part, slots, rowHeight(doc, part, slots), 'TD');
        pending = rest;
      }
    }
  }
  table.end();
  doc.x = doc.page.margins.left;
  doc.y += 10;
  doc.font(FONT.regular);
}

function continueOnNewPage(w: PdfWriter, header: Cell[], slots: Slot[], headerHeight: number): void {
  const { doc } = w;
  newPage(w);
  const top = doc.y;
  asArtifact(doc, () => drawRow(doc, w.palette, header, slots, top, headerHeight, true));
  doc.y = top + headerHeight;
}

function placeColumns(doc: PDFKit.PDFDocument, columns: Column[]): Slot[] {
  const total = contentWidth(doc);
  let x = doc.page.margins.left;
  return columns.map((column) => {
    const slot: Slot = { x, width: column.width * total, align: column.align ?? 'left' };
    x += slot.width;
    return slot;
  });
}

/** The part of each cell's text that fits in `height`, and the row of what is left (null when nothing is). */
function splitRow(doc: PDFKit.PDFDocument, row: Cell[], slots: Slot[], height: number): [Cell[], Cell[] | null] {
  const split = row.map((cell, i): [string, string] => {
    const slot = slots[i];
    return slot ? splitText(doc, cell, slot, height - 2 * PADDING) : [cell.text, ''];
  });
  const part = row.map((cell, i) => ({ ...cell, text: split[i]?.[0] ?? '' }));
  const rest = row.map((cell, i) => ({ ...cell, text: split[i]?.[1] ?? '' }));
  return [part, rest.some((cell) => cell.text !== '') ? rest : null];
}

/** The cell's text cut at a space: the most words that fit in `maxHeight` (at least one), and the rest. */
function splitText(doc: PDFKit.PDFDocument, cell: Cell, slot: Slot, maxHeight: number): [string, string] {
  useCellFont(doc, cell);
  const words = cell.text.split(/(?<=\s)/);
  let low = 1;
  let high = words.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (doc.heightOfString(words.slice(0, mid).join(''), textOptions(slot)) <= maxHeight) low = mid;
    else high = mid - 1;
  }
  return [words.slice(0, low).join('').trim(), words.slice(low).join('').trim()];
}

function useCellFont(doc: PDFKit.PDFDocument, cell: Cell): void {
  doc.font(cell.bold || cell.rating ? FONT.bold : FONT.regular).fontSize(TABLE_SIZE);
}

function textOptions(slot: Slot): PDFKit.Mixins.TextOptions {
  return { width: slot.width - 2 * PADDING, align: slot.align, lineGap: CELL_LINE_GAP };
}

function rowHeight(doc: PDFKit.PDFDocument, row: Cell[], slots: Slot[]): number {
  let tallest = 0;
  row.forEach((cell, i) => {
    const slot = slots[i];
    if (!slot) return;
    useCellFont(doc, cell);
    tallest = Math.max(tallest, doc.heightOfString(cell.text || ' ', textOptions(slot)));
  });
  return tallest + 2 * PADDING;
}

function writeTaggedRow(
  w: PdfWriter,
  table: PDFKit.PDFStructureElement,
  row: Cell[],
  slots: Slot[],
  height: number,
  type: 'TH' | 'TD',
): void {
  const { doc } = w;
  const top = doc.y;
  const tr = doc.struct('TR');
  table.add(tr);
  row.forEach((cell, i) => {
    const slot = slots[i];
    if (!slot) return;
    const options: HeaderCellOptions = type === 'TH' ? { scope: 'Column' } : {};
    const element = doc.struct(type, options);
    tr.add(element);
    element.add(() => drawCell(doc, w.palette, cell, slot, top, height, type === 'TH'));
    element.end();
  });
  tr.end();
  doc.y = top + height;
}

function drawRow(
  doc: PDFKit.PDFDocument,
  palette: Palette,
  row: Cell[],
  slots: Slot[],
  top: number,
  height: number,
  isHeader: boolean,
): void {
  row.forEach((cell, i) => {
    const slot = slots[i];
    if (slot) drawCell(doc, palette, cell, slot, top, height, isHeader);
  });
}

/** A rated cell is filled with the rating's colour and its text colour, and says the rating in words. */
function drawCell(
  doc: PDFKit.PDFDocument,
  palette: Palette,
  cell: Cell,
  slot: Slot,
  top: number,
  height: number,
  isHeader: boolean,
): void {
  const colours = cell.rating ? palette[cell.rating] : null;
  const fill = colours?.fill ?? (isHeader ? COLOURS.headerFill : null);
  doc.save();
  if (fill) doc.rect(slot.x, top, slot.width, height).fill(fill);
  doc.lineWidth(0.5).rect(slot.x, top, slot.width, height).stroke(COLOURS.border);
  doc.restore();
  useCellFont(doc, cell);
  doc.fillColor(colours?.text ?? COLOURS.text).text(cell.text, slot.x + PADDING, top + PADDING, textOptions(slot));
}
