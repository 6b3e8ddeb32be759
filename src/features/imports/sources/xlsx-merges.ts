// The merged cells of an Excel workbook, cut to the sheet before the workbook is loaded.
// A merge is named by its corners in a few bytes ("A1:XFD1048576"), and exceljs makes an
// object for every cell it covers when it loads the file.
import JSZip from 'jszip';

function columnNumber(letters: string): number {
  let column = 0;
  for (let i = 0; i < letters.length; i++) column = column * 26 + letters.toUpperCase().charCodeAt(i) - 64;
  return column;
}

function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * A sheet's merges cut to what can hold something read: no lower than its last row, no wider
 * than the columns read. exceljs makes an object for every cell a merge covers, so a few bytes
 * merging a whole column (a million cells) would take all of the reader's time; beyond the
 * last row, or past the columns read, a merge covers nothing. Null when nothing is cut.
 */
function clipMerges(xml: string, maxColumns: number): string | null {
  if (!/<(?:\w+:)?mergeCell\b/.test(xml)) return null;
  let rows = 0;
  let lastRow = 0;
  for (const m of xml.matchAll(/<(?:\w+:)?row\b([^>]*)>/g)) {
    rows += 1;
    lastRow = Math.max(lastRow, Number(/\br="(\d+)"/.exec(m[1] ?? '')?.[1] ?? 0));
  }
  lastRow = Math.max(lastRow, rows, 1);
  const clipped = xml.replace(
    /(<(?:\w+:)?mergeCell\b[^>]*?\bref=")([A-Za-z]{1,3})(\d{1,7}):([A-Za-z]{1,3})(\d{1,7})("[^>]*?\/>)/g,
    (whole, start: string, c1: string, r1: string, c2: string, r2: string, end: string) => {
      const [left, right] = [columnNumber(c1), columnNumber(c2)].sort((a, b) => a - b) as [number, number];
      const [top, bottom] = [Number(r1), Number(r2)].sort((a, b) => a - b) as [number, number];
      const newRight = Math.min(right, maxColumns);
      const newBottom = Math.min(bottom, lastRow);
      if (newRight === right && newBottom === bottom) return whole;
      // A merge wholly below the last row or past the columns read covers nothing read.
      if (left > newRight || top > newBottom) return '';
      return `${start}${columnLetters(left)}${top}:${columnLetters(newRight)}${newBottom}${end}`;
    },
  );
  return clipped === xml ? null : clipped;
}

/**
 * The workbook with its merges cut to its rows and to the columns read (see clipMerges); as it
 * was when none needs cutting, or when it is no zip (the workbook reader then says so).
 */
export async function withMergesClipped(content: Buffer, maxColumns: number): Promise<Buffer> {
  try {
    const zip = await JSZip.loadAsync(content);
    let changed = false;
    for (const name of Object.keys(zip.files)) {
      const file = /^xl\/worksheets\/[^/]+\.xml$/i.test(name) ? zip.file(name) : null;
      if (!file) continue;
      const clipped = clipMerges(await file.async('string'), maxColumns);
      if (clipped === null) continue;
      zip.file(name, clipped);
      changed = true;
    }
    return changed ? await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }) : content;
  } catch {
    // Not a zip, or a damaged one: the workbook reader says so.
    return content;
  }
}
