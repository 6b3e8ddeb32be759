// The board report's blocks as Word content: real heading styles, tables whose header row
// repeats on every page, rated cells shaded and labelled in words, charts as pictures with
// alternative text (title, description and name), as Word's "Alt Text" pane shows them.
import {
  AlignmentType,
  BorderStyle,
  HeadingLevel,
  ImageRun,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { IRunOptions } from 'docx';
import type { ChartSpec } from './board-report.ts';
import type { Block, Cell, Column, Palette, ParagraphStyle } from './board-pdf-blocks-base.ts';
import { chartPng, chartSize } from './charts.ts';

/** A4 with 2 cm side margins, in twentieths of a point. */
export const CONTENT_WIDTH_TWIPS = 11906 - 2 * 1134;
/** The same width in the 96-to-the-inch pixels docx sizes pictures in. */
const CONTENT_WIDTH_PX = (CONTENT_WIDTH_TWIPS / 1440) * 96;
/** The tallest a chart may be and still leave room on its page for its heading and caption. */
const MAX_CHART_HEIGHT_PX = 720;

export const WORD_COLOURS = {
  text: '212B32',
  secondary: '4C6272',
  border: 'AEB7BD',
  headerFill: 'E8EDEE',
  noticeFill: 'FFF9C4',
  noticeBorder: 'FFB81C',
} as const;

/** "#005eb8" → "005EB8", the form Word writes colours in. */
export function wordColour(hex: string): string {
  return hex.replace(/^#/, '').toUpperCase();
}

/**
 * A run made from options only. TextRun also accepts a plain string, so in an object passed straight to it
 * ESLint reads `bold` as the deprecated String.prototype.bold; typing the options as IRunOptions avoids that.
 */
export function textRun(options: IRunOptions): TextRun {
  return new TextRun(options);
}

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

export interface DocxContext {
  readonly palette: Palette;
  /** Counts the charts so each picture gets its own drawing id: docx's own counter is shared by every document. */
  pictures: number;
}

export function docxBlock(block: Block, next: Block | undefined, context: DocxContext): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[block.level], children: [new TextRun(block.text)] })];
    case 'paragraph':
      // An introduction or caption stays on the page of the table or chart after it.
      return [styledParagraph(block.text, block.style, next?.kind === 'table' || next?.kind === 'figure')];
    case 'table':
      return [docxTable(block.columns, block.rows, context.palette)];
    case 'figure':
      context.pictures += 1;
      return [new Paragraph({ keepNext: true, children: [chartPicture(block.chart, context.pictures)] })];
  }
}

function styledParagraph(text: string, style: ParagraphStyle | undefined, keepNext: boolean): Paragraph {
  switch (style) {
    case 'lede':
      return new Paragraph({ keepNext, children: [new TextRun({ text, size: 26, color: WORD_COLOURS.secondary })] });
    case 'basis':
      return new Paragraph({ keepNext, children: [textRun({ text, bold: true, size: 24 })] });
    case 'caption':
      return new Paragraph({ keepNext, children: [new TextRun({ text, size: 18, color: WORD_COLOURS.secondary })] });
    case 'notice': {
      const side = { style: BorderStyle.SINGLE, size: 8, color: WORD_COLOURS.noticeBorder, space: 6 };
      return new Paragraph({
        keepNext,
        border: { top: side, bottom: side, left: side, right: side },
        shading: { type: ShadingType.CLEAR, fill: WORD_COLOURS.noticeFill, color: 'auto' },
        children: [textRun({ text, bold: true })],
      });
    }
    default:
      return new Paragraph({ keepNext, children: [new TextRun(text)] });
  }
}

function docxTable(columns: Column[], rows: Cell[][], palette: Palette): Table {
  const widths = columns.map((column) => Math.round(column.width * CONTENT_WIDTH_TWIPS));
  const header = columns.map((column): Cell =>
    column.rating ? { text: column.header, bold: true, rating: column.rating } : { text: column.header, bold: true },
  );
  const rule = { style: BorderStyle.SINGLE, size: 4, color: WORD_COLOURS.border };
  return new Table({
    width: { size: CONTENT_WIDTH_TWIPS, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: { top: rule, bottom: rule, left: rule, right: rule, insideHorizontal: rule, insideVertical: rule },
    rows: [
      // Repeats at the top of every page the table runs onto.
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: header.map((cell, i) => docxCell(cell, palette, widths[i] ?? 0, columns[i]?.align, true)),
      }),
      ...rows.map(
        (row) =>
          new TableRow({
            cantSplit: fitsOnAPage(row),
            children: row.map((cell, i) => docxCell(cell, palette, widths[i] ?? 0, columns[i]?.align, false)),
          }),
      ),
    ],
  });
}

/** Rows stay whole on a page unless so long that keeping one whole could leave it cut off. */
const LONGEST_UNSPLIT_ROW = 1500;

function fitsOnAPage(row: Cell[]): boolean {
  return Math.max(0, ...row.map((cell) => cell.text.length)) < LONGEST_UNSPLIT_ROW;
}

/** A rated cell is shaded in the rating's colour, with its text colour, and says the rating in words. */
function docxCell(cell: Cell, palette: Palette, width: number, align: Column['align'], isHeader: boolean): TableCell {
  const colours = cell.rating ? palette[cell.rating] : null;
  const fill = colours ? wordColour(colours.fill) : isHeader ? WORD_COLOURS.headerFill : null;
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    ...(fill ? { shading: { type: ShadingType.CLEAR, fill, color: 'auto' } } : {}),
    children: [
      new Paragraph({
        spacing: { before: 0, after: 0 },
        alignment: align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        children: [
          textRun({
            text: cell.text,
            size: 18,
            bold: Boolean(cell.bold || cell.rating),
            color: colours ? wordColour(colours.text) : WORD_COLOURS.text,
          }),
        ],
      }),
    ],
  });
}

/** The chart drawn by charts.ts as a PNG, at the text width (or less, to fit its page). */
function chartPicture(chart: ChartSpec, id: number): ImageRun {
  const size = chartSize(chart);
  const scale = Math.min(CONTENT_WIDTH_PX / size.width, MAX_CHART_HEIGHT_PX / size.height);
  return new ImageRun({
    type: 'png',
    data: chartPng(chart),
    transformation: { width: Math.round(size.width * scale), height: Math.round(size.height * scale) },
    altText: { id: String(id), name: chart.id, title: chart.title, description: chart.description },
  });
}
