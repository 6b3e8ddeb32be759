// Reads a CSV export of a plan as one table. Excel in the UK writes comma-separated files,
// Excel in much of Europe semicolon-separated ones, some tools tabs; cells may hold quoted
// line breaks; the file may start with a byte order mark and be UTF-8, UTF-16 or Windows-1252.
import { Buffer } from 'node:buffer';
import { parse } from 'csv-parse/sync';
import { ImportRejected } from '../errors.ts';
import type { SourceCell, SourceDocument, SourceRow } from './model.ts';
import { tidyLines } from './text.ts';

const DELIMITERS = [',', ';', '\t'] as const;

/** Decodes the bytes: UTF-16 when its byte order mark says so, UTF-8 when valid, else Windows-1252. */
function decode(content: Uint8Array): string {
  if (content[0] === 0xff && content[1] === 0xfe) return new TextDecoder('utf-16le').decode(content.subarray(2));
  if (content[0] === 0xfe && content[1] === 0xff) return new TextDecoder('utf-16be').decode(content.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    return decodeWindows1252(content);
  }
}

// Windows-1252 differs from Latin-1 only in 0x80–0x9F, where it keeps curly quotes, dashes,
// the euro sign and so on (WHATWG Encoding, index-windows-1252). Node's TextDecoder reads
// these bytes as Latin-1 control characters, so they are mapped here.
const WINDOWS_1252_80_TO_8F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f';
const WINDOWS_1252_90_TO_9F = '\u0090‘’“”•–—˜™š›œ\u009džŸ';
const WINDOWS_1252_HIGH = WINDOWS_1252_80_TO_8F + WINDOWS_1252_90_TO_9F;

/** Older Excel saves "CSV" in the Windows code page: £, curly quotes and dashes are single bytes. */
function decodeWindows1252(content: Uint8Array): string {
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (ch) => WINDOWS_1252_HIGH[ch.charCodeAt(0) - 0x80] ?? ch);
}

/** The delimiter used most often outside quotes in the first few lines. */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && i < 20_000 && lines < 5; i++) {
    const ch = text[i] ?? '';
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') lines++;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: string = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Reads the file as one table. Rows are numbered by record, as Excel numbers them when it opens the file. */
export function readCsv(content: Uint8Array): SourceDocument {
  const text = decode(content).replace(/^\ufeff/, '');
  if (text.trim() === '') throw new ImportRejected('This CSV file is empty. Check that you chose the right file.');
  if (text.includes('\u0000'))
    throw new ImportRejected(
      'This file is not a CSV text file. Save the plan from Excel as "CSV UTF-8 (comma delimited)" and upload ' +
        'it again.',
    );
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : 'unknown error';
    throw new ImportRejected(
      `This CSV file could not be read (${why}). Open it in Excel, ` +
        'save it again as "CSV UTF-8 (comma delimited)" and upload it again.',
    );
  }
  const rows: SourceRow[] = [];
  records.forEach((record, r) => {
    const cells: SourceCell[] = record.map((value) => ({ text: tidyLines(value), fill: null, date: null, span: 1 }));
    if (cells.some((c) => c.text !== '')) rows.push({ cells, source: `row ${r + 1}`, header: false });
  });
  return { format: 'csv', blocks: rows.length > 0 ? [{ type: 'table', index: 0, rows, name: null }] : [] };
}
