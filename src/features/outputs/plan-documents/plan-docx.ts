// The action plan as a Word document, in the block template users know (the Rotherham plan):
// cover, version control, SMART and rating key, contents, then each recommendation with its
// table of actions. Drawn from a snapshot alone, so an issued version's document can be written
// again byte for byte. Landscape A4 throughout; the header names the plan and its version, and
// the footer carries the page number and the rating key, so the key is on every page.
import {
  AlignmentType,
  Document,
  Footer,
  Header,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Tab,
  TabStopType,
  TextRun,
} from 'docx';
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import { withFixedTimestamps } from '../fixed-timestamps.ts';
import { coverPage, contents, key, versionControl } from './plan-docx-front.ts';
import {
  A4,
  CELL_TEXT,
  FONT,
  MARGIN,
  planTitle,
  TEXT_COLOUR,
  TEXT_WIDTH,
  textRun,
  versionLine,
  wordColour,
} from './plan-docx-parts.ts';
import { planBody } from './plan-docx-recommendations.ts';
import { questionsAnnex } from './plan-docx-questions.ts';
import { meaningAfterName, ratingKey } from '../../../domain/ratings.ts';

function pageHeader(snapshot: PlanSnapshot): Header {
  return new Header({
    children: [
      new Paragraph({
        tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
        children: [
          textRun({ text: planTitle(snapshot), bold: true, size: 18 }),
          new TextRun({ size: 18, children: [new Tab(), versionLine(snapshot)] }),
        ],
      }),
    ],
  });
}

/** A rating name on its own colour, then its meaning: the key in a line. */
function keyRuns(name: string, meaning: string, colours: { fill: string; text: string }): TextRun[] {
  return [
    textRun({
      text: ` ${name}`,
      bold: true,
      size: 16,
      color: wordColour(colours.text),
      shading: { type: ShadingType.CLEAR, fill: wordColour(colours.fill), color: 'auto' },
    }),
    new TextRun({ text: `: ${meaningAfterName(meaning)}    `, size: 16 }),
  ];
}

function pageFooter(snapshot: PlanSnapshot): Footer {
  const entries = ratingKey(snapshot.review.ratingScale, { withNone: true });
  return new Footer({
    children: [
      new Paragraph({
        children: [
          textRun({ text: `${snapshot.review.ratingScale} key: `, bold: true, size: 16 }),
          ...entries.flatMap((e) => keyRuns(e.name, e.meaning, { fill: e.colour, text: e.textColour })),
        ],
      }),
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: [new TextRun({ size: 18, children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] })],
      }),
    ],
  });
}

function planDocument(snapshot: PlanSnapshot): Document {
  // The outline level as well as the style name, so that every reader of the file (Word's
  // navigation pane, LibreOffice, PDF bookmarks, screen readers) finds the headings.
  const heading = (size: number, outlineLevel: number) => ({
    run: { font: FONT, size, bold: true, color: TEXT_COLOUR },
    paragraph: { spacing: { before: 240, after: 120 }, keepNext: true, outlineLevel },
  });
  return new Document({
    title: `${planTitle(snapshot)} – ${versionLine(snapshot)}`,
    subject: snapshot.review.title,
    creator: 'Clasp',
    lastModifiedBy: 'Clasp',
    styles: {
      default: {
        document: { run: { font: FONT, size: 22, color: TEXT_COLOUR }, paragraph: { spacing: { after: 120 } } },
        title: {
          run: { font: FONT, size: 48, bold: true, color: TEXT_COLOUR },
          paragraph: { spacing: { after: 240 } },
        },
        heading1: heading(32, 0),
        heading2: heading(28, 1),
        heading3: heading(24, 2),
        hyperlink: { run: { color: '005EB8', underline: { type: 'single' } } },
      },
      paragraphStyles: [
        {
          id: CELL_TEXT,
          name: 'Table text',
          basedOn: 'Normal',
          quickFormat: true,
          run: { size: 18 },
          paragraph: { spacing: { after: 60 } },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4.shortSide, height: A4.longSide, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, header: 425, footer: 425 },
          },
        },
        headers: { default: pageHeader(snapshot) },
        footers: { default: pageFooter(snapshot) },
        children: [
          ...coverPage(snapshot),
          ...versionControl(snapshot),
          ...key(snapshot),
          ...contents(snapshot),
          ...planBody(snapshot),
          ...questionsAnnex(snapshot),
        ],
      },
    ],
  });
}

/** The plan as a .docx file. The same snapshot always gives the same bytes. */
export async function planToDocx(snapshot: PlanSnapshot): Promise<Buffer> {
  const bytes = await Packer.toBuffer(planDocument(snapshot));
  return withFixedTimestamps(bytes, new Date(snapshot.takenAt));
}
