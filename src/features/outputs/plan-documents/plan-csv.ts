// The plan as CSV: the same columns as the Excel "Action plan" sheet, one record per action.
// UTF-8 with a byte order mark (so Excel reads £, dashes and accents rightly), CRLF between
// records and quoting as RFC 4180 says. Dates are written YYYY-MM-DD: Excel reads that as a
// date in every locale, where 01/02/2016 depends on the reader's settings, and Clasp's date
// reading (domain/date-words.ts) reads it too.
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import { planTable } from './plan-table.ts';
import type { PlanValue } from './plan-table.ts';

const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * A spreadsheet runs a cell that starts with = + - or @ as a formula, and some treat a leading
 * tab or carriage return the same way; an apostrophe in front keeps it as text (OWASP, CSV
 * injection).
 */
export function defuseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A field quoted when it holds a comma, quote or line break, with quotes doubled (RFC 4180, 2.6–2.7). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function plainValue(value: PlanValue): string {
  switch (value.kind) {
    case 'text':
      return value.text;
    case 'date':
      return value.date ?? '';
    case 'count':
      return String(value.count);
    case 'rating':
      return value.words;
  }
}

function record(fields: string[]): string {
  return fields.map((f) => csvField(defuseFormula(f))).join(',');
}

/** The plan as CSV bytes. */
export function planToCsv(snapshot: PlanSnapshot): Buffer {
  const table = planTable(snapshot);
  const lines = [record(table.columns.map((c) => c.header)), ...table.rows.map((row) => record(row.map(plainValue)))];
  return Buffer.from(BOM + lines.join(CRLF) + CRLF, 'utf8');
}
