// The small pieces the Word plan is built from: page measures, dates in words, paragraphs from
// multi-line text, table cells and header rows, and bookmarks with ids of our own.
import {
  Bookmark,
  BookmarkEnd,
  BookmarkStart,
  Paragraph,
  ShadingType,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { IParagraphOptions, IRunOptions, ParagraphChild } from 'docx';
import { formatLongDate } from '../../../domain/dates.ts';
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';

/** A4 in twips, given as portrait: docx swaps the sides for a landscape page. */
export const A4 = { shortSide: 11906, longSide: 16838 } as const;
export const MARGIN = 851; // 1.5 cm
/** The width between the margins of a landscape A4 page. */
export const TEXT_WIDTH = A4.longSide - 2 * MARGIN;

export const FONT = 'Arial';
/** NHS identity: black text and pale grey for table headings, which no reader takes for a rating colour. */
export const TEXT_COLOUR = '212B32';
export const HEADING_FILL = 'E8EDEE';

/** "#005eb8" → "005EB8", as WordprocessingML writes colours. */
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

export function longDate(iso: string | null): string | null {
  return iso === null ? null : formatLongDate(iso);
}

/** "23 to 27 February 2015"; the month and year are said once when both dates share them. */
export function dateRange(start: string | null, end: string | null): string | null {
  if (start === null || end === null || start === end) return longDate(start ?? end);
  const [from, to] = [formatLongDate(start), formatLongDate(end)];
  if (start.slice(0, 7) === end.slice(0, 7)) return `${from.split(' ')[0]} to ${to}`;
  if (start.slice(0, 4) === end.slice(0, 4)) return `${from.split(' ').slice(0, 2).join(' ')} to ${to}`;
  return `${from} to ${to}`;
}

/** The calendar day an instant falls on in England, whatever the server's time zone. */
export function englishDate(instant: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function planTitle(snapshot: PlanSnapshot): string {
  return `${snapshot.review.area} CLAS action plan`;
}

/** "Version 8, issued 30 November 2026", or the working copy's line when the snapshot is no version. */
export function versionLine(snapshot: PlanSnapshot): string {
  const version = snapshot.version;
  if (version === null)
    return 'Working copy, ' + `${formatLongDate(englishDate(snapshot.takenAt))} – ` + 'not an issued version';
  return version.issuedOn === null
    ? `Version ${version.number}`
    : `Version ${version.number}, issued ${formatLongDate(version.issuedOn)}`;
}

/** The lines of a text field, without blank ones. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The text as runs, its lines kept apart by line breaks within one paragraph. */
export function runsWithBreaks(
  text: string,
  options: Omit<IRunOptions, 'text' | 'break' | 'children'> = {},
): TextRun[] {
  return linesOf(text).map((line, i) => new TextRun({ ...options, text: line, ...(i > 0 ? { break: 1 } : {}) }));
}

/** One paragraph per line of the text; none when it is empty. */
export function paragraphsOf(
  text: string,
  options: Omit<IParagraphOptions, 'text' | 'children'> = {},
  run: Omit<IRunOptions, 'text' | 'break' | 'children'> = {},
): Paragraph[] {
  return linesOf(text).map((line) => new Paragraph({ ...options, children: [new TextRun({ ...run, text: line })] }));
}

/** "Label: value" with the label in bold. */
export function labelled(
  label: string,
  value: string,
  options: Omit<IParagraphOptions, 'text' | 'children'> = {},
): Paragraph {
  return new Paragraph({
    ...options,
    children: [textRun({ text: `${label}: `, bold: true }), ...runsWithBreaks(value)],
  });
}

/** Table text is a little smaller than body text, so that six columns fit across the page. */
export const CELL_TEXT = 'TableText';

export function cellParagraphs(text: string): Paragraph[] {
  return paragraphsOf(text, { style: CELL_TEXT });
}

type CellOptions = { width: number; fill?: string; span?: number };

export function cell(children: Paragraph[], { width, fill, span }: CellOptions): TableCell {
  return new TableCell({
    // Word needs a paragraph in every cell; an empty one keeps the cell blank.
    children: children.length > 0 ? children : [new Paragraph({ style: CELL_TEXT })],
    width: { size: width, type: WidthType.DXA },
    ...(fill ? { shading: { type: ShadingType.CLEAR, fill, color: 'auto' } } : {}),
    ...(span && span > 1 ? { columnSpan: span } : {}),
  });
}

/**
 * A heading row that Word repeats at the top of every page the table runs onto, and that
 * screen readers announce as the column headings (w:tblHeader).
 */
export function headerRow(labels: readonly string[], widths: readonly number[]): TableRow {
  return new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: labels.map((label, i) =>
      cell([new Paragraph({ style: CELL_TEXT, keepNext: true, children: [textRun({ text: label, bold: true })] })], {
        width: widths[i] ?? 0,
        fill: HEADING_FILL,
      }),
    ),
  });
}

/** Column widths in twips from shares of the page width; the last column takes what rounding leaves. */
export function columnWidths(shares: readonly number[]): number[] {
  const total = shares.reduce((sum, s) => sum + s, 0);
  const widths = shares.map((s) => Math.floor((TEXT_WIDTH * s) / total));
  widths[widths.length - 1] = TEXT_WIDTH - widths.slice(0, -1).reduce((sum, w) => sum + w, 0);
  return widths;
}

/**
 * A bookmark with the id we give it. docx's own Bookmark numbers its ids from a counter shared by
 * the whole process, so the same plan written twice would differ in them; ours count from 1 in
 * each document, so the same snapshot gives the same bytes.
 */
export class NumberedBookmark extends Bookmark {
  override readonly start: BookmarkStart;
  override readonly end: BookmarkEnd;

  constructor(name: string, id: number, children: ParagraphChild[]) {
    super({ id: name, children });
    this.start = new BookmarkStart(name, id);
    this.end = new BookmarkEnd(id);
  }
}

/** Where the contents links lead: a bookmark on each group and recommendation heading. */
export type Anchor = { name: string; id: number };

export function anchorsOf(snapshot: PlanSnapshot): {
  groups: Map<number, Anchor>;
  recommendations: Map<number, Anchor>;
} {
  let id = 0;
  const groups = new Map(snapshot.groups.map((g) => [g.id, { name: `group_${g.id}`, id: ++id }]));
  const recommendations = new Map(
    snapshot.recommendations.map((r) => [r.id, { name: `recommendation_${r.id}`, id: ++id }]),
  );
  return { groups, recommendations };
}
