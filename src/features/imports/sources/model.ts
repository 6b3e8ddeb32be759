// A file read as a sequence of paragraphs and tables, whatever its format, so that the
// plan importer can work from what the headers mean rather than where things sit.

export type SourceCell = {
  /** The cell's text. Paragraphs and line breaks inside the cell become "\n"; list items start "• ". */
  text: string;
  /** Fill colour as upper-case hex "RRGGBB", or null when the cell has none (or white/auto). */
  fill: string | null;
  /** A real date cell (spreadsheets), as YYYY-MM-DD; null otherwise. */
  date: string | null;
  /** Columns this cell spans (merged cells, gridSpan). 1 for an ordinary cell. */
  span: number;
  /**
   * True for the lower part of a cell merged down from the row above: the same cell, its
   * words read again on this row. Left out for an ordinary cell and the top of a merged one.
   */
  mergedFromAbove?: boolean;
};

export type SourceRow = {
  cells: SourceCell[];
  /** Where the row is, for messages: "sheet Plan, row 7" or "table 3, row 2". */
  source: string;
  /** Word marks this row as a repeated header row (w:tblHeader). */
  header: boolean;
};

export type SourceBlock =
  | {
      type: 'paragraph';
      text: string;
      /** Heading level 1–6 from the paragraph style, or null. */ heading: number | null;
      source: string;
    }
  | { type: 'table'; index: number; rows: SourceRow[]; /** Sheet name for spreadsheets. */ name: string | null };

export type SourceDocument = {
  format: 'docx' | 'xlsx' | 'csv';
  blocks: SourceBlock[];
};
