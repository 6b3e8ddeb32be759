// The plan as an Excel workbook, drawn from a snapshot alone: the action plan one row per
// action (rating as a coloured cell with its words, dates as real date cells, filters and a
// frozen header), then every progress entry, every evidence item, and what the plan is.
//
// The importer reads every sheet of a workbook, so the Progress, Evidence and About sheets
// are headed in words it does not take for a plan's heading row; the round-trip tests prove it.
import { RATING_COLOURS, ratingKey, type RatingOrNone } from '../../../domain/ratings.ts';
import ExcelJS from 'exceljs';
import { formatLongDate } from '../../../domain/dates.ts';
import type { PlanSnapshot, SnapshotVersionRow } from '../../../domain/plan-snapshot.ts';
import { VERSION_PURPOSE_LABELS } from '../../../domain/plan-snapshot.ts';
import { withFixedTimestamps } from '../fixed-timestamps.ts';
import { actionContexts, planTable } from './plan-table.ts';
import type { PlanValue } from './plan-table.ts';

type SheetColumn = { header: string; width: number };

/** The most characters an Excel cell holds (Excel specifications and limits). */
export const EXCEL_CELL_LIMIT = 32_767;
const CUT_NOTE = ' … [shortened: an Excel cell holds at most 32,767 characters; the CSV export has it all]';

/** Characters XML 1.0 does not allow (section 2.2); a lone surrogate is one of them. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const DATE_FORMAT = 'd mmmm yyyy';
const HEADER_FILL = 'FFE8EDEE';

/** "#005eb8" → "FF005EB8", the ARGB form Excel stores. */
export function argb(hex: string): string {
  return `FF${hex.replace('#', '').toUpperCase()}`;
}

/**
 * Text as a cell can hold it: XML 1.0 forbids most control characters and lone surrogates
 * (a workbook holding them does not open), and a cell has a length limit.
 */
export function cellText(text: string): string {
  const clean = text.replace(NOT_XML, (ch) => (/\p{Surrogate}/u.test(ch) ? '\uFFFD' : ''));
  if (clean.length <= EXCEL_CELL_LIMIT) return clean;
  // Cut between characters, never inside a surrogate pair.
  const kept = clean.slice(0, EXCEL_CELL_LIMIT - CUT_NOTE.length).replace(/[\uD800-\uDBFF]$/, '');
  return kept + CUT_NOTE;
}

/** Excel dates carry no time zone; midnight UTC is the calendar day (exceljs writes them from UTC). */
function excelDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function fillRating(cell: ExcelJS.Cell, rating: RatingOrNone): void {
  const colours = RATING_COLOURS[rating];
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(colours.fill) } };
  cell.font = { color: { argb: argb(colours.text) }, bold: true };
}

function writeValue(cell: ExcelJS.Cell, value: PlanValue): void {
  switch (value.kind) {
    case 'text':
      if (value.text !== '') cell.value = cellText(value.text);
      return;
    case 'date':
      if (value.date !== null) {
        cell.value = excelDate(value.date);
        cell.numFmt = DATE_FORMAT;
      }
      return;
    case 'count':
      cell.value = value.count;
      return;
    case 'rating':
      cell.value = value.words;
      fillRating(cell, value.rating ?? 'none');
  }
}

/**
 * A sheet holding one table: a bold heading row that stays in view (with the first column)
 * and carries filters, wrapped text, and the heading row repeated on every printed A4 page.
 */
function addTableSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: SheetColumn[],
  rows: PlanValue[][],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1, topLeftCell: 'B2', activeCell: 'A2' }],
    pageSetup: {
      // ExcelJS's PaperSize exists only in its type declarations (it has no value at run time), so A4 is written as 9.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the enum cannot be referenced
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    },
  });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  const header = sheet.getRow(1);
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.alignment = { vertical: 'top', wrapText: true };
  });
  rows.forEach((values, r) => {
    const row = sheet.getRow(r + 2);
    values.forEach((value, c) => {
      const cell = row.getCell(c + 1);
      writeValue(cell, value);
      cell.alignment = { vertical: 'top', wrapText: true };
    });
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows.length + 1, column: columns.length } };
  return sheet;
}

const text = (value: string | null | undefined): PlanValue => ({ kind: 'text', text: value ?? '' });
const date = (value: string | null | undefined): PlanValue => ({ kind: 'date', date: value ?? null });
const sentence = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function progressRows(snapshot: PlanSnapshot): PlanValue[][] {
  return actionContexts(snapshot).flatMap(({ action, recommendation }) =>
    action.progress.map((p) => [
      text(recommendation?.number),
      text(action.label),
      date(p.on),
      text(p.text),
      text(p.author),
    ]),
  );
}

function evidenceRows(snapshot: PlanSnapshot): PlanValue[][] {
  return actionContexts(snapshot).flatMap(({ action, recommendation }) =>
    action.evidence.map((e) => [
      text(recommendation?.number),
      text(action.label),
      text(e.title),
      text(sentence(e.kind)),
      date(e.effectiveOn),
      text(sentence(e.status)),
      text(e.statusBy),
      date(e.statusOn),
      text(e.statusReason),
      text(e.fileName),
      e.size === null ? text('') : { kind: 'count' as const, count: e.size },
      text(e.sha256),
      text(e.url ?? e.note),
      text(e.addedBy),
      date(e.addedOn),
    ]),
  );
}

// Headed so the importer does not read these sheets as more of the plan: it takes a row for
// a heading row only when two in three of its cells name plan fields.
const PROGRESS_COLUMNS: SheetColumn[] = [
  { header: 'Recommendation', width: 16 },
  { header: 'Action', width: 32 },
  { header: 'Dated', width: 18 },
  { header: 'Progress', width: 90 },
  { header: 'Recorded by', width: 32 },
];

const EVIDENCE_COLUMNS: SheetColumn[] = [
  { header: 'Recommendation', width: 16 },
  { header: 'Action', width: 32 },
  { header: 'Title', width: 40 },
  { header: 'Kind', width: 8 },
  { header: 'Dated', width: 18 },
  { header: 'Decision', width: 12 },
  { header: 'Decided by', width: 24 },
  { header: 'Decided on', width: 18 },
  { header: 'Reason', width: 40 },
  { header: 'File name', width: 36 },
  { header: 'Size (bytes)', width: 12 },
  { header: 'SHA-256', width: 24 },
  { header: 'Link or note', width: 40 },
  { header: 'Added by', width: 24 },
  { header: 'Added on', width: 18 },
];

/** "Version 3, issued 14 July 2016 by …: Submitted to CQC", or what the plan is when not an issued version. */
export function versionLine(snapshot: PlanSnapshot): string {
  const version: SnapshotVersionRow | null = snapshot.version;
  if (!version)
    return `Not an issued version: the plan as it stood on ${formatLongDate(snapshot.takenAt.slice(0, 10))}`;
  // Versions recorded before Clasp keep their purpose in words, which have no label.
  const labels: Partial<Record<string, string>> = VERSION_PURPOSE_LABELS;
  const purpose = labels[version.purpose] ?? version.purpose;
  const issued = version.issuedOn ? `, issued ${formatLongDate(version.issuedOn)}` : '';
  const by = version.author ? ` by ${version.author}` : '';
  return `Version ${version.number}${issued}${by}${purpose ? `: ${purpose}` : ''}`;
}

function aboutDetails(snapshot: PlanSnapshot): [string, string][] {
  const { review } = snapshot;
  const long = (iso: string | null) => (iso ? formatLongDate(iso) : '');
  const reviewDates =
    review.reviewStart && review.reviewEnd
      ? `${long(review.reviewStart)} to ${long(review.reviewEnd)}`
      : long(review.reviewStart ?? review.reviewEnd);
  const rows: [string, string][] = [
    ['Review', review.title],
    ['Area', review.area],
    ['Review dates', reviewDates],
    ['Report published', long(review.reportPublished)],
    ['Report received', long(review.reportReceived)],
    ['Plan due to CQC', long(review.planDue)],
    ['Inspectors', review.inspectors.join(', ')],
    ['Lead organisation', review.leadOrganisation ?? ''],
    ['Version', versionLine(snapshot)],
    ['Plan assessed as at', long(snapshot.asOf)],
    ['Note', review.illustrativeNotice ?? ''],
  ];
  return rows.filter(([, value]) => value !== '');
}

function addAboutSheet(workbook: ExcelJS.Workbook, snapshot: PlanSnapshot): void {
  const sheet = workbook.addWorksheet('About');
  sheet.columns = [{ width: 22 }, { width: 90 }];
  for (const [label, value] of aboutDetails(snapshot)) {
    const row = sheet.addRow([label, cellText(value)]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { vertical: 'top', wrapText: true };
  }
  sheet.addRow([]);
  const heading = sheet.addRow([`${snapshot.review.ratingScale} rating key`, 'What it means']);
  heading.font = { bold: true };
  for (const entry of ratingKey(snapshot.review.ratingScale, { withNone: true })) {
    const row = sheet.addRow([entry.name, entry.meaning]);
    fillRating(row.getCell(1), entry.rating);
  }
}

/** The plan as an .xlsx workbook; the same snapshot always gives the same bytes. */
export async function planToXlsx(snapshot: PlanSnapshot): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const at = new Date(snapshot.takenAt);
  workbook.title = cellText(`${snapshot.review.title}: action plan`);
  workbook.subject = cellText(versionLine(snapshot));
  workbook.creator = 'Clasp';
  workbook.lastModifiedBy = 'Clasp';
  workbook.created = at;
  workbook.modified = at;

  const table = planTable(snapshot);
  addTableSheet(workbook, 'Action plan', table.columns, table.rows);
  addTableSheet(workbook, 'Progress', PROGRESS_COLUMNS, progressRows(snapshot));
  addTableSheet(workbook, 'Evidence', EVIDENCE_COLUMNS, evidenceRows(snapshot));
  addAboutSheet(workbook, snapshot);

  const bytes = await workbook.xlsx.writeBuffer();
  return withFixedTimestamps(new Uint8Array(bytes), at);
}
