// The building blocks of the board report's layout, shared by the PDF and Word writers: a
// document is a list of blocks (headings, paragraphs, tables, charts) in reading order.
import { RATING_COLOURS, RATING_NAMES, type RatingKeyEntry, type RatingOrNone } from '../../../domain/ratings.ts';
import type { BoardReport, ChartSpec } from './board-report.ts';

/** A table cell. A cell with a rating is filled with the rating's colour and says it in words too. */
export interface Cell {
  text: string;
  rating?: RatingOrNone;
  bold?: boolean;
}

export interface Column {
  header: string;
  /** Share of the table's width, 0–1; a table's shares add up to 1. */
  width: number;
  align?: 'left' | 'right';
  /** A header naming a rating is filled with its colour and says its name. */
  rating?: RatingOrNone;
}

export type ParagraphStyle = 'lede' | 'basis' | 'notice' | 'caption';

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; style?: ParagraphStyle }
  | { kind: 'table'; columns: Column[]; rows: Cell[][] }
  | { kind: 'figure'; chart: ChartSpec };

export const SECTION_TITLES = {
  key: 'Key to the ratings',
  summary: 'Summary',
  charts: 'Charts',
  changes: 'What changed since the last board',
  exceptions: 'Exceptions',
  deadlines: 'Moved due dates',
  lapsed: 'Assurance lapsed',
  questions: 'Questions from boards and panels',
  recommendations: 'Recommendations',
} as const;

export function heading(level: 1 | 2 | 3, text: string): Block {
  return { kind: 'heading', level, text };
}

export function paragraph(text: string, style?: ParagraphStyle): Block {
  return style ? { kind: 'paragraph', text, style } : { kind: 'paragraph', text };
}

/** "Blue – completed": a rating's name and meaning, as the key on every page prints it. */
/** One column per rating in the key's order, then "No rating": the columns of every count table. */
export function countColumns(report: BoardReport): (Column & { rating: RatingOrNone })[] {
  const ratings: { rating: RatingOrNone; name: string }[] = [
    ...report.key,
    { rating: 'none', name: RATING_NAMES.none },
  ];
  return ratings.map(({ rating, name }) => ({ header: name, width: 0, align: 'right', rating }));
}

/** Fill and text colour, #rrggbb, for each rating. */
export type Palette = Record<RatingOrNone, { fill: string; text: string }>;

/** The key's own colours where it gives them, the standard ones otherwise, as the HTML report does. */
export function paletteOf(key: RatingKeyEntry[]): Palette {
  const palette: Palette = { ...RATING_COLOURS };
  for (const entry of key) palette[entry.rating] = { fill: entry.colour, text: entry.textColour };
  return palette;
}
