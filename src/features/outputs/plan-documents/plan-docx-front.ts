// The pages before the recommendations: the cover with the review's facts, the version control
// table, the SMART and rating key, and the contents as links to each heading.
import {
  BorderStyle,
  HeadingLevel,
  InternalHyperlink,
  Paragraph,
  Table,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { VERSION_PURPOSE_LABELS, VERSION_PURPOSES } from '../../../domain/plan-snapshot.ts';
import type { PlanSnapshot, SnapshotVersionRow, VersionPurpose } from '../../../domain/plan-snapshot.ts';
import { ratingKey } from '../../../domain/ratings.ts';
import {
  anchorsOf,
  CELL_TEXT,
  cell,
  cellParagraphs,
  columnWidths,
  dateRange,
  HEADING_FILL,
  headerRow,
  labelled,
  longDate,
  planTitle,
  TEXT_WIDTH,
  textRun,
  versionLine,
  wordColour,
} from './plan-docx-parts.ts';

const NOT_RECORDED = 'Not recorded';

function listOfNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

export function coverPage(snapshot: PlanSnapshot): (Paragraph | Table)[] {
  const { review } = snapshot;
  const facts: [string, string | null][] = [
    ['Area', review.area],
    ['Dates of the review', dateRange(review.reviewStart, review.reviewEnd)],
    ['Report published', longDate(review.reportPublished)],
    ['Report received', longDate(review.reportReceived)],
    ['Plan due to CQC', longDate(review.planDue)],
    ['Lead organisation', review.leadOrganisation],
    ['Inspectors', review.inspectors.length > 0 ? listOfNames(review.inspectors) : null],
    ['Version', versionLine(snapshot)],
  ];
  const out: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(planTitle(snapshot))] }),
    new Paragraph({ spacing: { after: 360 }, children: [new TextRun({ text: review.title, size: 28 })] }),
    ...facts.map(([label, value]) => labelled(label, value === null || value === '' ? NOT_RECORDED : value)),
  ];
  if (review.illustrativeNotice) {
    out.push(
      new Paragraph({
        spacing: { before: 360 },
        shading: { fill: HEADING_FILL },
        border: { left: { style: BorderStyle.SINGLE, size: 24, color: '005EB8', space: 8 } },
        children: [textRun({ text: review.illustrativeNotice, bold: true })],
      }),
    );
  }
  return out;
}

function isPurposeKey(purpose: string): purpose is VersionPurpose {
  return (VERSION_PURPOSES as readonly string[]).includes(purpose);
}

/** The "Action" column: what the version was for, what was done and who it went to. */
function versionAction(row: SnapshotVersionRow): string {
  const purpose = isPurposeKey(row.purpose) ? VERSION_PURPOSE_LABELS[row.purpose] : row.purpose.trim();
  const lines = [
    purpose !== '' && purpose !== row.actionText.trim() ? purpose : '',
    row.actionText,
    row.recipients.trim() !== '' ? `Sent to: ${row.recipients.trim()}` : '',
  ];
  return lines.filter((line) => line.trim() !== '').join('\n');
}

const VERSION_WIDTHS = columnWidths([8, 13, 20, 37, 22]);

function versionRow(row: SnapshotVersionRow): TableRow {
  // A date is always written ("No date" when there is none): it keeps the row from reading as
  // a plan's heading row to an importer that looks for one.
  const texts = [row.number, longDate(row.issuedOn) ?? 'No date', row.author, versionAction(row), row.comment];
  return new TableRow({
    children: texts.map((text, i) => cell(cellParagraphs(text), { width: VERSION_WIDTHS[i] ?? 0 })),
  });
}

export function versionControl(snapshot: PlanSnapshot): (Paragraph | Table)[] {
  const heading = new Paragraph({
    heading: HeadingLevel.HEADING_1,
    pageBreakBefore: true,
    children: [new TextRun('Version control')],
  });
  if (snapshot.versions.length === 0) return [heading, new Paragraph('No version of this plan has been issued yet.')];
  const table = new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: VERSION_WIDTHS,
    layout: TableLayoutType.FIXED,
    rows: [
      headerRow(['Version', 'Date', 'Author', 'Action', 'Comment'], VERSION_WIDTHS),
      ...snapshot.versions.map(versionRow),
    ],
  });
  return [heading, table];
}

const SMART: [string, string][] = [
  ['Specific', 'says exactly what will be done, and what it will change.'],
  ['Measurable', 'says how progress will be seen or counted.'],
  ['Assignable', 'names who will do it.'],
  ['Realistic', 'can be done with the people, time and money there are.'],
  ['Time-related', 'says when it will be done by.'],
];

const KEY_WIDTHS = columnWidths([15, 85]);

function keyRow(name: string, meaning: string, colours: { fill: string; text: string }): TableRow {
  return new TableRow({
    children: [
      cell(
        [
          new Paragraph({
            style: CELL_TEXT,
            children: [textRun({ text: name, bold: true, color: wordColour(colours.text) })],
          }),
        ],
        { width: KEY_WIDTHS[0] ?? 0, fill: wordColour(colours.fill) },
      ),
      cell(cellParagraphs(meaning), { width: KEY_WIDTHS[1] ?? 0 }),
    ],
  });
}

export function key(snapshot: PlanSnapshot): (Paragraph | Table)[] {
  const scale = snapshot.review.ratingScale;
  const rows = ratingKey(scale, { withNone: true }).map((entry) =>
    keyRow(entry.name, entry.meaning, { fill: entry.colour, text: entry.textColour }),
  );
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun('Key')] }),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('SMART actions')] }),
    new Paragraph('Each action should be SMART. A SMART action:'),
    ...SMART.map(
      ([word, meaning]) =>
        new Paragraph({
          bullet: { level: 0 },
          children: [textRun({ text: `${word}: `, bold: true }), new TextRun(meaning)],
        }),
    ),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(`${scale} rating`)] }),
    new Paragraph(`Each action's rating cell is coloured and says its rating in words. The ${scale} colours mean:`),
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: KEY_WIDTHS,
      layout: TableLayoutType.FIXED,
      rows: [headerRow(['Rating', 'Meaning'], KEY_WIDTHS), ...rows],
    }),
  ];
}

const CONTENTS_TEXT_LENGTH = 110;

/** The start of a recommendation's text, cut at a word, to say what it is about. */
function shortText(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= CONTENTS_TEXT_LENGTH) return flat;
  return `${flat.slice(0, CONTENTS_TEXT_LENGTH).replace(/\s+\S*$/, '')}…`;
}

function link(anchor: string, text: string, indent = 0): Paragraph {
  return new Paragraph({
    indent: { left: indent },
    spacing: { after: 60 },
    children: [new InternalHyperlink({ anchor, children: [new TextRun({ text, style: 'Hyperlink' })] })],
  });
}

/**
 * Links to each group and recommendation heading. Word cannot know page numbers until it lays
 * the pages out, but links work in Word, in PDF copies and for screen readers. A recommendation's
 * line gives its number and the start of its text, never "Recommendation 1.1" with text, which
 * an importer would read as the recommendation itself.
 */
export function contents(snapshot: PlanSnapshot): Paragraph[] {
  const anchors = anchorsOf(snapshot);
  const out = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun('Contents')] }),
  ];
  let groupId: number | null = null;
  for (const rec of snapshot.recommendations) {
    const group = snapshot.groups.find((g) => g.id === rec.groupId);
    const groupAnchor = anchors.groups.get(rec.groupId);
    if (group && groupAnchor && rec.groupId !== groupId) {
      out.push(
        link(
          groupAnchor.name,
          group.heading.trim() === ''
            ? `Recommendation ${group.number}`
            : `Recommendation ${group.number}: ${group.heading.trim()}`,
        ),
      );
    }
    groupId = rec.groupId;
    const anchor = anchors.recommendations.get(rec.id);
    if (anchor) out.push(link(anchor.name, `${rec.number}  ${shortText(rec.text)}`.trim(), 567));
  }
  return out;
}
