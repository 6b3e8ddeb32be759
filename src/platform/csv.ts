/* CSV as spreadsheets read it safely: RFC 4180 quoting, and no cell that runs as a formula. */

export const CSV_BOM = '\uFEFF';
export const CSV_LINE_END = '\r\n';

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

/** One record: each field defused and quoted. */
export function csvRecord(fields: readonly string[]): string {
  return fields.map((f) => csvField(defuseFormula(f))).join(',');
}

/** Records as the bytes of a UTF-8 CSV file with a byte order mark (so Excel reads it as UTF-8). */
export function csvFile(records: readonly (readonly string[])[]): Buffer {
  return Buffer.from(CSV_BOM + records.map(csvRecord).join(CSV_LINE_END) + CSV_LINE_END, 'utf8');
}
