// The board and scrutiny report as a Word document: the same blocks as the PDF, in Word's own
// heading styles (so the navigation pane and a table of contents work), portrait A4, the
// rating key in the header and "Page X of Y" in the footer of every page. Drawn from the
// BoardReport alone, with every timestamp set to the snapshot's, so the same report always
// gives the same bytes.
import { meaningAfterName, type RatingKeyEntry } from '../../../domain/ratings.ts';
import {
  Document,
  Footer,
  Header,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  TabStopType,
  TextRun,
  type IStylesOptions,
} from 'docx';
import { withFixedTimestamps } from '../fixed-timestamps.ts';
import type { BoardReport } from './board-report.ts';
import { boardBlocks } from './board-pdf-blocks.ts';
import { paletteOf, type Block } from './board-pdf-blocks-base.ts';
import {
  CONTENT_WIDTH_TWIPS,
  docxBlock,
  textRun,
  WORD_COLOURS,
  wordColour,
  type DocxContext,
} from './board-docx-blocks.ts';

/** Word has Arial everywhere; the PDF's Arimo is drawn to the same metrics. */
const FONT = 'Arial';
const FURNITURE_SIZE = 16;

export async function boardToDocx(report: BoardReport): Promise<Buffer> {
  return blocksToDocx(boardBlocks(report), {
    title: report.title,
    subject: report.reviewTitle,
    description: report.basisWords,
    at: new Date(report.takenAt),
    key: report.key,
  });
}

/**
 * Any document made of blocks in Word, with the rating key in the header and page numbers in
 * the footer: the board report, and the meeting documents that share its look.
 */
export async function blocksToDocx(
  blocks: Block[],
  meta: { title: string; subject: string; description: string; at: Date; key: RatingKeyEntry[] },
): Promise<Buffer> {
  const context: DocxContext = { palette: paletteOf(meta.key), pictures: 0 };
  const doc = new Document({
    creator: 'Clasp',
    lastModifiedBy: 'Clasp',
    title: meta.title,
    subject: meta.subject,
    description: meta.description,
    styles: STYLES,
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838, orientation: PageOrientation.PORTRAIT },
            // Room at the top for the key, which can take two lines.
            margin: { top: 1700, bottom: 1134, left: 1134, right: 1134, header: 567, footer: 567 },
          },
        },
        headers: { default: new Header({ children: [keyParagraph(meta.key)] }) },
        footers: { default: new Footer({ children: [footerParagraph(meta.title)] }) },
        children: blocks.flatMap((block, i) => docxBlock(block, blocks[i + 1], context)),
      },
    ],
  });
  return withFixedTimestamps(await Packer.toBuffer(doc), meta.at);
}

/** Outline levels put the headings in Word's navigation pane and in PDFs saved from Word as bookmarks. */
const heading = (level: number, size: number, before: number) => ({
  run: { font: FONT, size, bold: true, color: WORD_COLOURS.text },
  paragraph: { keepNext: true, keepLines: true, outlineLevel: level - 1, spacing: { before, after: 120 } },
});

const STYLES: IStylesOptions = {
  default: {
    document: {
      run: { font: FONT, size: 20, color: WORD_COLOURS.text, language: { value: 'en-GB' } },
      paragraph: { spacing: { after: 100, line: 264 } },
    },
    heading1: heading(1, 40, 0),
    heading2: heading(2, 30, 320),
    heading3: heading(3, 24, 200),
  },
};

/** "Key:" then each rating's name on its colour, and what it means, as the PDF's page header. */
function keyParagraph(key: RatingKeyEntry[]): Paragraph {
  const runs = key.flatMap((entry, i) => [
    textRun({
      text: ` ${entry.name}`,
      bold: true,
      size: FURNITURE_SIZE,
      color: wordColour(entry.textColour),
      shading: { type: ShadingType.CLEAR, fill: wordColour(entry.colour), color: 'auto' },
    }),
    new TextRun({
      text: `: ${meaningAfterName(entry.meaning)}${i < key.length - 1 ? '   ' : ''}`,
      size: FURNITURE_SIZE,
    }),
  ]);
  return new Paragraph({ children: [textRun({ text: 'Key: ', bold: true, size: FURNITURE_SIZE }), ...runs] });
}

function footerParagraph(title: string): Paragraph {
  return new Paragraph({
    tabStops: [{ type: TabStopType.RIGHT, position: CONTENT_WIDTH_TWIPS }],
    children: [
      new TextRun({ text: title, size: FURNITURE_SIZE, color: WORD_COLOURS.secondary }),
      new TextRun({
        children: ['\t', 'Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES],
        size: FURNITURE_SIZE,
        color: WORD_COLOURS.secondary,
      }),
    ],
  });
}
