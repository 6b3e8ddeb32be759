// The board and scrutiny report as a PDF: tagged (headings, tables and figures a screen reader
// can follow), searchable text in Arimo, bookmarks for the headings, the rating key and
// "Page N of M" on every page. Drawn from the BoardReport alone, with fixed dates, so the same
// report always gives the same bytes.
import type { RatingKeyEntry } from '../../../domain/ratings.ts';
import type { BoardReport } from './board-report.ts';
import { boardBlocks } from './board-pdf-blocks.ts';
import { paletteOf, type Block, type ParagraphStyle } from './board-pdf-blocks-base.ts';
import { figureBox, writeFigure } from './board-pdf-figure.ts';
import { writePageFurniture } from './board-pdf-furniture.ts';
import { tableStartHeight, writeTable } from './board-pdf-table.ts';
import {
  collect,
  COLOURS,
  createPdfWriter,
  headingHeight,
  paragraphHeight,
  TWO_LINES,
  writeHeading,
  writeNotice,
  writeParagraph,
  type ParagraphOptions,
  type PdfWriter,
} from './board-pdf-writer.ts';

const PARAGRAPH_STYLES: Record<Exclude<ParagraphStyle, 'notice'> | 'body', ParagraphOptions> = {
  body: {},
  lede: { size: 12, colour: COLOURS.secondary },
  basis: { bold: true, size: 11 },
  caption: { size: 9, colour: COLOURS.secondary },
};

export async function boardToPdf(report: BoardReport): Promise<Buffer> {
  return blocksToPdf(boardBlocks(report), {
    title: report.title,
    subject: `${report.reviewTitle}: ${report.basisWords}`,
    at: new Date(report.takenAt),
    key: report.key,
  });
}

/**
 * Any document made of blocks as a tagged PDF with the rating key and page numbers on every
 * page: the board report, and the meeting documents that share its look.
 */
export async function blocksToPdf(
  blocks: Block[],
  meta: { title: string; subject: string; at: Date; key: RatingKeyEntry[] },
): Promise<Buffer> {
  const w = createPdfWriter({ title: meta.title, subject: meta.subject, at: meta.at }, paletteOf(meta.key));
  // Each block learns how much of what follows must share its page: a heading keeps the start
  // of its content, a chart its caption and the start of its table of numbers.
  blocks.forEach((block, i) =>
    writeBlock(w, block, keepsWithNext(block, blocks[i + 1]) ? keepWithHeight(w, blocks, i + 1) : 0),
  );
  writePageFurniture(w.doc, meta.key, meta.title);
  return collect(w.doc);
}

function writeBlock(w: PdfWriter, block: Block, keepWith: number): void {
  switch (block.kind) {
    case 'heading':
      writeHeading(w, block.level, block.text, keepWith);
      return;
    case 'paragraph':
      if (block.style === 'notice') writeNotice(w, block.text);
      else writeParagraph(w, block.text, { ...PARAGRAPH_STYLES[block.style ?? 'body'], keepWith });
      return;
    case 'table':
      writeTable(w, block.columns, block.rows);
      return;
    case 'figure':
      writeFigure(w, block.chart, keepWith);
      return;
  }
}

/** Headings and charts stay with what follows them; a paragraph only with the table or chart it introduces. */
function keepsWithNext(block: Block, next: Block | undefined): boolean {
  if (block.kind === 'heading' || block.kind === 'figure') return true;
  return block.kind === 'paragraph' && (next?.kind === 'table' || next?.kind === 'figure');
}

/**
 * How much of the blocks from `i` on must share a page with the block before them: the start
 * of a table, two lines of text, or a heading, chart or introduction with what follows it.
 */
function keepWithHeight(w: PdfWriter, blocks: Block[], i: number): number {
  const block = blocks[i];
  switch (block?.kind) {
    case undefined:
      return 0;
    case 'heading':
      return headingHeight(w.doc, block.level, block.text) + keepWithHeight(w, blocks, i + 1);
    case 'table':
      return tableStartHeight(w.doc, block.columns, block.rows);
    case 'figure':
      return figureBox(w.doc, block.chart).height + keepWithHeight(w, blocks, i + 1);
    case 'paragraph': {
      // A heading's only paragraph is its introduction and keeps with what it introduces.
      const height = paragraphHeight(
        w.doc,
        block.text,
        PARAGRAPH_STYLES[block.style === 'notice' ? 'basis' : (block.style ?? 'body')],
      );
      const next = blocks[i + 1];
      return next === undefined || next.kind === 'paragraph'
        ? Math.min(height, TWO_LINES)
        : height + keepWithHeight(w, blocks, i + 1);
    }
  }
}
