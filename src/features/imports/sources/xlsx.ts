// Reads an Excel .xlsx workbook: every sheet with content becomes one table of rows, with
// each cell's text as the user sees it, real dates, fill colours (the RAG rating is often
// only the colour) and merged cells.
import ExcelJS from 'exceljs';
import { DOMParser } from '@xmldom/xmldom';
import { formatLongDate, isoFromParts } from '../../../domain/dates.ts';
import { ImportRejected } from '../errors.ts';
import type { SourceBlock, SourceCell, SourceDocument, SourceRow } from './model.ts';
import { withMergesClipped } from './xlsx-merges.ts';
import { tidyLines } from './text.ts';

type Cell = ExcelJS.Cell;
type Colour = { argb?: string; theme?: number; tint?: number; indexed?: number };

/** More columns or rows than any plan has: such a sheet is refused rather than read (bounded work). */
const MAX_COLUMNS = 200;
const MAX_ROWS = 100_000;

const NOT_EXCEL =
  'This file could not be read as an Excel workbook (.xlsx). It may be damaged, or be an older .xls file. ' +
  'Open it in Excel, save it as an .xlsx workbook and upload it again.';

// The legacy indexed palette of SpreadsheetML (ECMA-376 Part 1, 18.8.27), used by files
// that name a fill colour by number. Indexes 0–7 repeat the first eight of 8–15.
const INDEXED_PALETTE = [
  '000000',
  'FFFFFF',
  'FF0000',
  '00FF00',
  '0000FF',
  'FFFF00',
  'FF00FF',
  '00FFFF',
  '000000',
  'FFFFFF',
  'FF0000',
  '00FF00',
  '0000FF',
  'FFFF00',
  'FF00FF',
  '00FFFF',
  '800000',
  '008000',
  '000080',
  '808000',
  '800080',
  '008080',
  'C0C0C0',
  '808080',
  '9999FF',
  '993366',
  'FFFFCC',
  'CCFFFF',
  '660066',
  'FF8080',
  '0066CC',
  'CCCCFF',
  '000080',
  'FF00FF',
  'FFFF00',
  '00FFFF',
  '800080',
  '800000',
  '008080',
  '0000FF',
  '00CCFF',
  'CCFFFF',
  'CCFFCC',
  'FFFF99',
  '99CCFF',
  'FF99CC',
  'CC99FF',
  'FFCC99',
  '3366FF',
  '33CCCC',
  '99CC00',
  'FFCC00',
  'FF9900',
  'FF6600',
  '666699',
  '969696',
  '003366',
  '339966',
  '003300',
  '333300',
  '993300',
  '993366',
  '333399',
  '333333',
];

// Office's default theme colours, for workbooks that carry no theme part.
const DEFAULT_THEME = [
  'FFFFFF',
  '000000',
  'E7E6E6',
  '44546A',
  '4472C4',
  'ED7D31',
  'A5A5A5',
  'FFC000',
  '5B9BD5',
  '70AD47',
];

/**
 * The theme's colours in the order fills refer to them. SpreadsheetML swaps the first two
 * pairs: theme 0 is lt1 (usually white) and 1 is dk1, then lt2, dk2, accent1…6.
 */
function themeColours(xml: string | undefined): string[] {
  if (!xml) return DEFAULT_THEME;
  try {
    const doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
    const scheme = doc.getElementsByTagName('a:clrScheme')[0];
    if (!scheme) return DEFAULT_THEME;
    const byName = new Map<string, string>();
    for (let n = scheme.firstChild; n; n = n.nextSibling) {
      if (n.nodeType !== 1) continue;
      const el = n as unknown as {
        localName: string;
        getElementsByTagName(name: string): ArrayLike<{ getAttribute(a: string): string | null }>;
      };
      const srgb = el.getElementsByTagName('a:srgbClr')[0]?.getAttribute('val');
      const sys = el.getElementsByTagName('a:sysClr')[0]?.getAttribute('lastClr');
      const value = (srgb ?? sys ?? '').toUpperCase();
      if (/^[0-9A-F]{6}$/.test(value)) byName.set(el.localName, value);
    }
    const order = ['lt1', 'dk1', 'lt2', 'dk2', 'accent1', 'accent2', 'accent3', 'accent4', 'accent5', 'accent6'];
    return order.map((name, i) => byName.get(name) ?? DEFAULT_THEME[i] ?? '000000');
  } catch {
    return DEFAULT_THEME;
  }
}

/** Applies a theme tint to a colour's lightness, as spreadsheet applications do. */
function applyTint(hex: string, tint: number): string {
  if (!tint) return hex;
  const channels = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return channels
    .map((c) => (tint < 0 ? c * (1 + tint) : c + (255 - c) * tint))
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')
    .toUpperCase();
}

function colourHex(colour: Colour | undefined, theme: string[]): string | null {
  if (!colour) return null;
  let hex: string | null = null;
  if (typeof colour.argb === 'string' && /^[0-9A-Fa-f]{8}$/.test(colour.argb)) hex = colour.argb.slice(2).toUpperCase();
  else if (typeof colour.argb === 'string' && /^[0-9A-Fa-f]{6}$/.test(colour.argb)) hex = colour.argb.toUpperCase();
  else if (typeof colour.theme === 'number') hex = theme[colour.theme] ?? null;
  else if (typeof colour.indexed === 'number') hex = INDEXED_PALETTE[colour.indexed] ?? null;
  if (hex && typeof colour.tint === 'number') hex = applyTint(hex, colour.tint);
  return hex;
}

function cellFill(cell: Cell, theme: string[]): string | null {
  const fill = cell.fill as ExcelJS.Fill | undefined;
  let hex: string | null = null;
  if (fill?.type === 'pattern' && fill.pattern !== 'none') hex = colourHex(fill.fgColor ?? fill.bgColor, theme);
  else if (fill?.type === 'gradient') hex = colourHex(fill.stops[0]?.color, theme);
  return hex && hex !== 'FFFFFF' ? hex : null;
}

/** A date cell's calendar day. Excel dates carry no time zone: exceljs gives them as UTC. */
function isoOfDate(value: Date): string | null {
  if (Number.isNaN(value.getTime())) return null;
  return isoFromParts(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
}

/** A date as the cell's format shows it: a month format ("mmm-yy") shows no day. */
function dateText(iso: string, numFmt: string | undefined): string {
  const long = formatLongDate(iso);
  const format = (numFmt ?? '').replace(/"[^"]*"|\[[^\]]*\]/g, '').toLowerCase();
  return format !== '' && !format.includes('d') && format.includes('m') ? long.replace(/^\d+ /, '') : long;
}

function numberText(value: number, numFmt: string | undefined): string {
  const fixed = /^0\.(0+)$/.exec(numFmt ?? '');
  if (fixed) return value.toFixed(fixed[1]?.length ?? 0);
  if (/%$/.test(numFmt ?? '')) return `${Number((value * 100).toFixed(2))}%`;
  return String(Number(value.toPrecision(15)));
}

type Read = { text: string; date: string | null };

/** What a cell shows: rich text joined, formulas by their result, hyperlinks by their text. */
function readValue(value: unknown, numFmt: string | undefined, depth = 0): Read {
  if (value === null || value === undefined || depth > 3) return { text: '', date: null };
  if (typeof value === 'string') return { text: value, date: null };
  if (typeof value === 'number') return { text: numberText(value, numFmt), date: null };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', date: null };
  if (value instanceof Date) {
    const date = isoOfDate(value);
    return date ? { text: dateText(date, numFmt), date } : { text: '', date: null };
  }
  if (typeof value === 'object') {
    const v = value as {
      richText?: { text?: string }[];
      result?: unknown;
      text?: unknown;
      error?: string;
      formula?: string;
      sharedFormula?: string;
    };
    if (Array.isArray(v.richText)) return { text: v.richText.map((r) => r.text ?? '').join(''), date: null };
    if ('formula' in v || 'sharedFormula' in v || 'result' in v) return readValue(v.result, numFmt, depth + 1);
    if ('text' in v) return readValue(v.text, numFmt, depth + 1);
  }
  return { text: '', date: null };
}

function readCell(cell: Cell, theme: string[]): SourceCell {
  const { text, date } = readValue(cell.value, cell.numFmt);
  return { text: tidyLines(text), fill: cellFill(cell, theme), date, span: 1 };
}

/**
 * Cells of one row, by column; cells merged across columns become one cell with a span. A
 * cell merged down from a row above is that cell again, marked as such: Excel keeps a merged
 * cell's value only in its top-left cell, so without the merge those rows would read empty.
 */
function readRowCells(row: ExcelJS.Row, columns: number, theme: string[]): SourceCell[] {
  const cells: SourceCell[] = [];
  let openMaster: Cell | null = null;
  for (let c = 1; c <= columns; c++) {
    const cell = row.getCell(c);
    const master = cell.isMerged ? cell.master : cell;
    const last = cells[cells.length - 1];
    if (master !== cell && master === openMaster && last) {
      last.span += 1;
      continue;
    }
    openMaster = master !== cell ? master : cell.isMerged ? cell : null;
    const read = readCell(master, theme);
    if (Number(master.row) < row.number) read.mergedFromAbove = true;
    cells.push(read);
  }
  return cells;
}

/** True when a row holds something of its own, not only cells merged down from above. */
function hasOwnContent(cells: SourceCell[]): boolean {
  return cells.some((cell) => cell.mergedFromAbove !== true && (cell.text !== '' || cell.fill !== null));
}

/**
 * One sheet's rows. A cell merged across columns is one cell with a span; a cell merged
 * down several rows is read again on each row it covers, as the eye reads it, marked as
 * merged from above so that the plan reader takes a recommendation's number, text or outcome
 * once. A row holding only such cells (a merge taller than its content) adds nothing.
 */
function readSheet(sheet: ExcelJS.Worksheet, theme: string[], index: number): SourceBlock | null {
  if (sheet.actualRowCount > MAX_ROWS) {
    throw new ImportRejected(
      `The sheet "${sheet.name}" has more than ${MAX_ROWS.toLocaleString('en-GB')} rows, ` +
        'more than any action plan. Copy the plan into a workbook of its own and upload that.',
    );
  }
  const columns = Math.min(sheet.columnCount, MAX_COLUMNS);
  const rows: SourceRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, r) => {
    const values = row.values as unknown[];
    if (
      values.length - 1 > MAX_COLUMNS &&
      values.slice(MAX_COLUMNS + 1).some((v) => v !== null && v !== undefined && v !== '')
    ) {
      throw new ImportRejected(
        `The sheet "${sheet.name}" has words beyond column ${MAX_COLUMNS}, more than any action plan. ` +
          'Copy the plan into a workbook of its own and upload that.',
      );
    }
    const cells = readRowCells(row, columns, theme);
    if (hasOwnContent(cells)) rows.push({ cells, source: `sheet ${sheet.name}, row ${r}`, header: false });
  });
  return rows.length > 0 ? { type: 'table', index, rows, name: sheet.name } : null;
}

/** Reads every sheet with content as a table, in workbook order. */
export async function readXlsx(content: Uint8Array): Promise<SourceDocument> {
  if (content[0] === 0xd0 && content[1] === 0xcf && content[2] === 0x11 && content[3] === 0xe0) {
    throw new ImportRejected(
      'This workbook is password-protected, or is an older .xls file. ' +
        'Remove the password (or save it as .xlsx) in Excel and upload it again.',
    );
  }
  const workbook = new ExcelJS.Workbook();
  try {
    const bytes = await withMergesClipped(
      Buffer.from(content.buffer, content.byteOffset, content.byteLength),
      MAX_COLUMNS,
    );
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw new ImportRejected(NOT_EXCEL);
  }
  const model = workbook.model as unknown as { themes?: Record<string, string> };
  const theme = themeColours(model.themes?.theme1);
  const blocks: SourceBlock[] = [];
  try {
    for (const sheet of workbook.worksheets) {
      const table = readSheet(sheet, theme, blocks.length);
      if (table) blocks.push(table);
    }
  } catch (error) {
    if (error instanceof ImportRejected) throw error;
    // exceljs builds cells lazily: a damaged sheet can fail only when its cells are read.
    throw new ImportRejected(NOT_EXCEL);
  }
  return { format: 'xlsx', blocks };
}
