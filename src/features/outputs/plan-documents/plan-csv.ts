// The plan as CSV: the same columns as the Excel "Action plan" sheet, one record per action.
// UTF-8 with a byte order mark (so Excel reads £, dashes and accents rightly), CRLF between
// records and quoting as RFC 4180 says. Dates are written YYYY-MM-DD: Excel reads that as a
// date in every locale, where 01/02/2016 depends on the reader's settings, and Clasp's date
// reading (domain/date-words.ts) reads it too.
import { csvField, csvRecord, defuseFormula } from '../../../platform/csv.ts';
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import { planTable } from './plan-table.ts';
import type { PlanValue } from './plan-table.ts';

const BOM = '\uFEFF';
const CRLF = '\r\n';

export { csvField, defuseFormula };

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
  return csvRecord(fields);
}

/** The plan as CSV bytes. */
export function planToCsv(snapshot: PlanSnapshot): Buffer {
  const table = planTable(snapshot);
  const lines = [record(table.columns.map((c) => c.header)), ...table.rows.map((row) => record(row.map(plainValue)))];
  return Buffer.from(BOM + lines.join(CRLF) + CRLF, 'utf8');
}
