import { Buffer } from 'node:buffer';
import { ImportRejected } from './errors.ts';
import type { ReportFormat } from './report/index.ts';
import type { PlanFormat } from './plan/index.ts';

/**
 * Decides what an uploaded file is from its bytes, before any parser sees it, and turns
 * every file Clasp cannot read into an ImportRejected that says what was wrong and what
 * to do. The file name is only a tie-breaker (a .csv table and plain text look alike).
 */

/** The app's upload limit when the caller does not pass one (CLASP_UPLOAD_LIMIT_MB's default). */
export const DEFAULT_LIMIT_BYTES = 25 * 1024 * 1024;
/** No report or plan unpacks to anything near this; a zip that claims to is a zip bomb or not ours. */
export const UNPACKED_LIMIT_BYTES = 200 * 1024 * 1024;
/** A Word or Excel file has tens of parts, a large workbook a few hundred. */
export const ZIP_ENTRY_LIMIT = 10_000;

const MEGABYTE = 1024 * 1024;

const REPORT_ACCEPTS =
  'Clasp reads a CQC report from a PDF, a Word document (.docx), a web page (.html) or a text file (.txt or .md).';
const PLAN_ACCEPTS =
  'Clasp reads an action plan from a Word document (.docx), an Excel workbook (.xlsx) or a CSV file (.csv).';

export const MESSAGES = {
  empty:
    'This file is empty: it has nothing in it. Check you chose the right file. ' +
    'If it was copied or downloaded, get it again and upload the new copy.',
  officePassword:
    'This file is protected with a password. Open it in Word or Excel, ' +
    'remove the password (File > Info > Protect), save it and upload it again.',
  pdfPassword:
    'This PDF is protected with a password. Open it, save a copy without the password and upload that, ' +
    'or download the report again from the CQC website.',
  oldWord:
    'This is an older Word document (.doc). Clasp reads the newer .docx format: ' +
    'open the file in Word, choose File > Save As, pick Word Document (.docx) and upload the new file.',
  oldExcel:
    'This is an older Excel workbook (.xls). Clasp reads the newer .xlsx format: ' +
    'open the file in Excel, choose File > Save As, pick Excel Workbook (.xlsx) and upload the new file.',
  oldOffice:
    'This is an older Microsoft Office file that Clasp cannot read. ' +
    'Open it in the program that made it, save it as a Word document (.docx) or Excel workbook (.xlsx) ' +
    'and upload that.',
  damagedZip:
    'This file is damaged or incomplete: it looks like a Word or Excel file, ' +
    'but part of it is missing or broken. Open it on your computer to check it, ' +
    'save it again and upload the new copy.',
  tooManyParts:
    `This file is made of more than ${ZIP_ENTRY_LIMIT.toLocaleString('en-GB')} parts, ` +
    'far more than any report or action plan, so Clasp did not open it. Check you chose the right file.',
  unpacksTooLarge:
    `This file would unpack to more than ${UNPACKED_LIMIT_BYTES / MEGABYTE} MB, ` +
    'far more than any report or action plan, so Clasp did not open it. Check you chose the right file.',
  plainZip:
    'This is a zip file, not a Word or Excel file. Take the document out of the zip (right-click it and choose ' +
    'Extract All) and upload the document itself.',
  openDocument:
    'This is an OpenDocument file (.odt or .ods). Open it, save it as a Word document (.docx) ' +
    'or Excel workbook (.xlsx) and upload that.',
  richText:
    'This is a Rich Text Format (.rtf) file. Open it in Word, choose File > Save As, ' +
    'pick Word Document (.docx) and upload the new file.',
  utf16:
    'This text file is saved as Unicode (UTF-16) text. Save it again as UTF-8 (in Excel: ' +
    'File > Save As > CSV UTF-8; in Notepad: Save As > Encoding: UTF-8) and upload the new file.',
  notUtf8:
    'This text file is not saved as UTF-8, the text encoding Clasp reads. Save it again as UTF-8 (in Excel: ' +
    'File > Save As > CSV UTF-8; in Notepad: Save As > Encoding: UTF-8) and upload the new file.',
} as const;

/**
 * '200 MB', '25 MB', '0.5 MB'. Rounded up for a file's size and down for a limit, so a file just over
 * the limit never reads as equal to it.
 */
export function formatMegabytes(bytes: number, rounding: 'up' | 'down' = 'down'): string {
  const tenths = (rounding === 'up' ? Math.ceil : Math.floor)((bytes / MEGABYTE) * 10);
  if (tenths === 0) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(tenths / 10).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB`;
}

/** Throws when a file of this many bytes is over the upload limit; takes a number so the check needs no such file. */
export function checkFileSize(sizeBytes: number, limitBytes: number = DEFAULT_LIMIT_BYTES): void {
  if (sizeBytes <= limitBytes) return;
  throw new ImportRejected(
    `This file is ${formatMegabytes(sizeBytes, 'up')}; ` +
      `the largest file Clasp accepts is ${formatMegabytes(limitBytes)}. ` +
      'Check you chose the right file. If you did, make it smaller (for example, save it without pictures) ' +
      'and upload it again.',
  );
}

/** What the bytes are, before deciding whether that is what was asked for. */
type Sniffed =
  | 'pdf'
  | 'docx'
  | 'xlsx'
  | 'pptx'
  | 'old-word'
  | 'old-excel'
  | 'old-powerpoint'
  | 'html'
  | 'text'
  /** Text laid out as comma-, tab- or semicolon-separated rows: a plan's CSV, or a report that happens to look so. */
  | 'table-text'
  /** Text named .csv or .tsv. */
  | 'csv';

export function detectReportFormat(
  content: Uint8Array,
  fileName: string,
  limitBytes: number = DEFAULT_LIMIT_BYTES,
): ReportFormat {
  const sniffed = sniff(content, fileName, limitBytes);
  switch (sniffed) {
    case 'pdf':
    case 'docx':
    case 'html':
    case 'text':
      return sniffed;
    case 'table-text':
      return 'text';
    case 'old-word':
      throw new ImportRejected(MESSAGES.oldWord);
    case 'xlsx':
    case 'old-excel':
    case 'csv':
      throw new ImportRejected(
        `This is a spreadsheet, not a report. ${REPORT_ACCEPTS} If this is your action plan, ` +
          'import it as a plan instead.',
      );
    case 'pptx':
    case 'old-powerpoint':
      throw new ImportRejected(`This is a PowerPoint presentation, not a report. ${REPORT_ACCEPTS}`);
  }
}

export function detectPlanFormat(
  content: Uint8Array,
  fileName: string,
  limitBytes: number = DEFAULT_LIMIT_BYTES,
): PlanFormat {
  const sniffed = sniff(content, fileName, limitBytes);
  switch (sniffed) {
    case 'docx':
    case 'xlsx':
    case 'csv':
      return sniffed;
    case 'table-text':
      return 'csv';
    case 'old-word':
      throw new ImportRejected(MESSAGES.oldWord);
    case 'old-excel':
      throw new ImportRejected(MESSAGES.oldExcel);
    case 'pdf':
      throw new ImportRejected(
        `This is a PDF. ${PLAN_ACCEPTS} Open the plan in Word or Excel and save it in one of those formats. ` +
          'If this is the CQC report, import it as a report instead.',
      );
    case 'html':
      throw new ImportRejected(
        `This is a web page (HTML). ${PLAN_ACCEPTS} Open the plan in Word or Excel and save it in one of those ` +
          'formats.',
      );
    case 'text':
      throw new ImportRejected(
        `This is plain text, not a table. ${PLAN_ACCEPTS} Open the plan in Word or Excel and save it in one of ` +
          'those formats.',
      );
    case 'pptx':
    case 'old-powerpoint':
      throw new ImportRejected(`This is a PowerPoint presentation, not an action plan. ${PLAN_ACCEPTS}`);
  }
}

function sniff(content: Uint8Array, fileName: string, limitBytes: number): Sniffed {
  checkFileSize(content.byteLength, limitBytes);
  if (content.byteLength === 0) throw new ImportRejected(MESSAGES.empty);
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return sniffZip(bytes, fileName);
  if (startsWith(bytes, CFB_SIGNATURE)) return sniffCompoundFile(bytes);
  if (isPdf(bytes)) return 'pdf';
  const binary = describeBinary(bytes);
  if (binary !== null) throw new ImportRejected(binary);
  return sniffText(bytes, fileName);
}

function startsWith(bytes: Buffer, signature: readonly number[], at = 0): boolean {
  return signature.every((byte, index) => bytes[at + index] === byte);
}

// ---- PDF ----

/**
 * Acrobat accepts the %PDF- header anywhere in the first 1024 bytes (PDF Reference 1.7, appendix H),
 * and so do other readers.
 */
function isPdf(bytes: Buffer): boolean {
  return bytes.subarray(0, 1024).includes('%PDF-', 0, 'latin1');
}

/**
 * Whether the PDF names an encryption dictionary in a trailer or cross-reference stream.
 * Many encrypted PDFs open without a password (only editing is restricted), so this only
 * chooses the message when reading fails; it is not a reason to refuse on its own.
 */
export function pdfIsEncrypted(content: Uint8Array): boolean {
  const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('latin1');
  for (let at = text.indexOf('trailer'); at >= 0; at = text.indexOf('trailer', at + 1)) {
    if (text.slice(at, at + 2048).includes('/Encrypt')) return true;
  }
  for (let at = text.indexOf('/XRef'); at >= 0; at = text.indexOf('/XRef', at + 1)) {
    const start = Math.max(0, at - 2048);
    const end = text.indexOf('stream', at);
    if (text.slice(start, end < 0 ? at + 2048 : end).includes('/Encrypt')) return true;
  }
  return false;
}

// ---- Zip (Word, Excel, PowerPoint, OpenDocument) ----

export type ZipEntry = {
  name: string;
  /** General purpose flags; bit 0 means the entry is encrypted. */
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Where the entry's local header starts in the file. */
  localHeaderOffset: number;
};

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;

/**
 * Reads a zip's central directory (APPNOTE.TXT 4.3.12–4.3.16) without unpacking anything:
 * the entry names tell Word from Excel, and the declared sizes catch zip bombs before a
 * parser inflates them. Throws ImportRejected when the directory is missing or broken,
 * which is what a download cut short looks like.
 */
export function readZipDirectory(content: Uint8Array): ZipEntry[] {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const end = findEndOfDirectory(bytes);
  if (end < 0) throw new ImportRejected(MESSAGES.damagedZip);
  let count = bytes.readUInt16LE(end + 10);
  let size = bytes.readUInt32LE(end + 12);
  let offset = bytes.readUInt32LE(end + 16);
  let directoryEnd = end;
  const locator = end - 20;
  if (locator >= 0 && bytes.readUInt32LE(locator) === ZIP64_LOCATOR) {
    const record = Number(bytes.readBigUInt64LE(locator + 8));
    if (record + 56 > locator || bytes.readUInt32LE(record) !== ZIP64_END_OF_DIRECTORY)
      throw new ImportRejected(MESSAGES.damagedZip);
    count = Number(bytes.readBigUInt64LE(record + 32));
    size = Number(bytes.readBigUInt64LE(record + 40));
    offset = Number(bytes.readBigUInt64LE(record + 48));
    directoryEnd = record;
  }
  if (count > ZIP_ENTRY_LIMIT) throw new ImportRejected(MESSAGES.tooManyParts);
  // Data before the zip (a self-extractor stub) shifts every offset by the same amount.
  const shift = directoryEnd - size - offset;
  if (shift < 0) throw new ImportRejected(MESSAGES.damagedZip);
  return readDirectoryEntries(bytes, offset + shift, count, shift);
}

function findEndOfDirectory(bytes: Buffer): number {
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= earliest; at -= 1) {
    if (bytes.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  return -1;
}

function readDirectoryEntries(bytes: Buffer, start: number, count: number, shift: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let at = start;
  let unpacked = 0;
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== DIRECTORY_ENTRY)
      throw new ImportRejected(MESSAGES.damagedZip);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > bytes.length) throw new ImportRejected(MESSAGES.damagedZip);
    const entry: ZipEntry = {
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
      flags: bytes.readUInt16LE(at + 8),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      uncompressedSize: bytes.readUInt32LE(at + 24),
      localHeaderOffset: bytes.readUInt32LE(at + 42),
    };
    applyZip64Sizes(entry, bytes.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    entry.localHeaderOffset += shift;
    if (entry.localHeaderOffset + 30 + entry.compressedSize > bytes.length)
      throw new ImportRejected(MESSAGES.damagedZip);
    unpacked += entry.uncompressedSize;
    if (unpacked > UNPACKED_LIMIT_BYTES) throw new ImportRejected(MESSAGES.unpacksTooLarge);
    entries.push(entry);
    at = next;
  }
  return entries;
}

/**
 * Sizes and offsets that do not fit 32 bits are 0xFFFFFFFF, with the real values in extra field 0x0001
 * (APPNOTE 4.5.3).
 */
function applyZip64Sizes(entry: ZipEntry, extra: Buffer): void {
  const FULL = 0xffffffff;
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const take = (): number => {
        if (field + 8 > at + 4 + length || field + 8 > extra.length) throw new ImportRejected(MESSAGES.damagedZip);
        const value = Number(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === FULL) entry.uncompressedSize = take();
      if (entry.compressedSize === FULL) entry.compressedSize = take();
      if (entry.localHeaderOffset === FULL) entry.localHeaderOffset = take();
      return;
    }
    at += 4 + length;
  }
}

function sniffZip(bytes: Buffer, fileName: string): Sniffed {
  const names = new Set(readZipDirectory(bytes).map((entry) => entry.name.toLowerCase()));
  // Office Open XML part names are case-insensitive (ECMA-376 part 2, 6.2.2.3).
  if (names.has('word/document.xml')) return 'docx';
  if (names.has('xl/workbook.xml')) return 'xlsx';
  if (names.has('ppt/presentation.xml')) return 'pptx';
  if (names.has('[content_types].xml')) {
    const parts = [...names];
    if (parts.some((name) => name.startsWith('word/'))) return 'docx';
    if (parts.some((name) => name.startsWith('xl/'))) return 'xlsx';
  }
  if (names.has('mimetype') && names.has('content.xml')) throw new ImportRejected(MESSAGES.openDocument);
  // Named as Word or Excel but without its main part: a damaged file rather than a plain zip.
  throw new ImportRejected(
    /^(?:docx|docm|xlsx|xlsm)$/u.test(extensionOf(fileName)) ? MESSAGES.damagedZip : MESSAGES.plainZip,
  );
}

// ---- Compound files (Office 97–2003, and password-protected Office files) ----

const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

function sniffCompoundFile(bytes: Buffer): Sniffed {
  const names = compoundFileNames(bytes);
  // Office wraps an encrypted .docx or .xlsx in a compound file with these two streams (MS-OFFCRYPTO 2.3.4.4).
  if (names.has('EncryptedPackage') || names.has('EncryptionInfo')) throw new ImportRejected(MESSAGES.officePassword);
  if (names.has('WordDocument')) return 'old-word';
  if (names.has('Workbook') || names.has('Book')) return 'old-excel';
  if (names.has('PowerPoint Document')) return 'old-powerpoint';
  throw new ImportRejected(MESSAGES.oldOffice);
}

/**
 * The names in a compound file's directory. Directory entries are 128 bytes at 128-byte
 * boundaries after the 512-byte header: a UTF-16LE name, its length in bytes with the
 * terminator at offset 64, and the object type at 66 (1 storage, 2 stream) (MS-CFB 2.6.1).
 * Scanning every boundary avoids following sector chains that a damaged file may break.
 */
function compoundFileNames(bytes: Buffer): Set<string> {
  const names = new Set<string>();
  for (let entry = 512; entry + 128 <= bytes.length; entry += 128) {
    const length = bytes.readUInt16LE(entry + 64);
    const type = bytes[entry + 66];
    if ((type !== 1 && type !== 2) || length < 4 || length > 64 || length % 2 !== 0) continue;
    if (bytes.readUInt16LE(entry + length - 2) !== 0) continue;
    names.add(bytes.toString('utf16le', entry, entry + length - 2));
  }
  return names;
}

// ---- Other binary files ----

type Signature = { bytes: readonly number[]; at?: number; message: string };

const OTHER_FORMATS = (what: string, advice: string): string => `This file is ${what}, not a document. ${advice}`;
const PICTURE_ADVICE = 'Upload the report or plan itself: a PDF, Word, Excel, web page or text file.';
const ARCHIVE_ADVICE = 'Take the document out of the archive and upload the document itself.';

const SIGNATURES: Signature[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], message: OTHER_FORMATS('a PNG image', PICTURE_ADVICE) },
  { bytes: [0xff, 0xd8, 0xff], message: OTHER_FORMATS('a JPEG image', PICTURE_ADVICE) },
  { bytes: [0x47, 0x49, 0x46, 0x38], message: OTHER_FORMATS('a GIF image', PICTURE_ADVICE) },
  { bytes: [0x57, 0x45, 0x42, 0x50], at: 8, message: OTHER_FORMATS('a WebP image', PICTURE_ADVICE) },
  { bytes: [0x49, 0x49, 0x2a, 0x00], message: OTHER_FORMATS('a TIFF image', PICTURE_ADVICE) },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], message: OTHER_FORMATS('a TIFF image', PICTURE_ADVICE) },
  { bytes: [0x66, 0x74, 0x79, 0x70], at: 4, message: OTHER_FORMATS('a photo or video', PICTURE_ADVICE) },
  { bytes: [0x1f, 0x8b], message: OTHER_FORMATS('a compressed archive (.gz)', ARCHIVE_ADVICE) },
  {
    bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07],
    message: OTHER_FORMATS('a compressed archive (.rar)', ARCHIVE_ADVICE),
  },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], message: OTHER_FORMATS('a compressed archive (.7z)', ARCHIVE_ADVICE) },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], message: OTHER_FORMATS('a program', 'Check you chose the right file.') },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], message: MESSAGES.richText },
];

const UNKNOWN_BINARY =
  'Clasp cannot read this file: it is not a PDF, Word, Excel, web page or text file. Check you chose the right file.';

function describeBinary(bytes: Buffer): string | null {
  const known = SIGNATURES.find((signature) => startsWith(bytes, signature.bytes, signature.at));
  if (known !== undefined) return known.message;
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]) || looksLikeUtf16WithoutMark(bytes))
    return MESSAGES.utf16;
  if (bytes.includes(0)) return UNKNOWN_BINARY;
  return null;
}

/** UTF-16 text without a byte order mark: every other byte of plain English is zero. */
function looksLikeUtf16WithoutMark(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 512);
  if (sample.length < 8) return false;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let index = 0; index < sample.length; index += 1) {
    if (sample[index] === 0) {
      if (index % 2 === 0) evenZeros += 1;
      else oddZeros += 1;
    }
  }
  const half = sample.length / 2;
  return (evenZeros > half * 0.9 && oddZeros === 0) || (oddZeros > half * 0.9 && evenZeros === 0);
}

// ---- Text: HTML, Markdown or plain text, CSV ----

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const WINDOWS_1252 = new TextDecoder('windows-1252');
const HTML_START =
  /^<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|h[1-6]|section|article|main|span|style)[\s>/]/iu;
const HTML_TAG = /<(?:html|body)[\s>]/iu;

function sniffText(bytes: Buffer, fileName: string): Sniffed {
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    // Excel on Windows saves "CSV (Comma delimited)" as Windows-1252, not UTF-8: a table in
    // that encoding is a plan the CSV reader decodes as such. Other text must be UTF-8.
    const western = WINDOWS_1252.decode(bytes);
    const extension = extensionOf(fileName);
    if (strayControlShare(western) <= 0.01 && (extension === 'csv' || extension === 'tsv' || looksLikeTable(western)))
      return 'csv';
    throw new ImportRejected(MESSAGES.notUtf8);
  }
  if (strayControlShare(text) > 0.01) throw new ImportRejected(UNKNOWN_BINARY);
  const head = skipCommentsAndSpace(text.slice(0, 8192));
  if (/^<\?xml/iu.test(head)) return sniffXml(head);
  if (HTML_START.test(head) || HTML_TAG.test(head)) return 'html';
  const extension = extensionOf(fileName);
  if (extension === 'csv' || extension === 'tsv') return 'csv';
  // Content first: a table saved as .txt is still a table.
  return looksLikeTable(text) ? 'table-text' : 'text';
}

function extensionOf(fileName: string): string {
  return /\.([a-z0-9]+)\s*$/iu.exec(fileName)?.[1]?.toLowerCase() ?? '';
}

/**
 * The share of characters that are control characters other than tab, line feed, vertical
 * tab (Word's line break), form feed and carriage return. Text pasted from Word carries a
 * few; a binary file that happens to be valid UTF-8 is full of them.
 */
function strayControlShare(text: string): number {
  let strays = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && (code < 0x09 || code > 0x0d)) || code === 0x7f) strays += 1;
  }
  return text.length === 0 ? 0 : strays / text.length;
}

function skipCommentsAndSpace(text: string): string {
  let rest = text.replace(/^[\s\uFEFF]+/u, '');
  while (rest.startsWith('<!--')) {
    const close = rest.indexOf('-->');
    if (close < 0) return rest;
    rest = rest.slice(close + 3).trimStart();
  }
  return rest;
}

function sniffXml(head: string): Sniffed {
  if (HTML_TAG.test(head)) return 'html';
  if (head.includes('urn:schemas-microsoft-com:office:spreadsheet')) {
    throw new ImportRejected(
      'This is an Excel XML spreadsheet. Open it in Excel, choose File > Save As, pick Excel Workbook (.xlsx) ' +
        'and upload the new file.',
    );
  }
  if (head.includes('schemas.microsoft.com/office/word/2003/wordml') || head.includes('<pkg:package')) {
    throw new ImportRejected(
      'This is a Word XML document. Open it in Word, choose File > Save As, pick Word Document (.docx) ' +
        'and upload the new file.',
    );
  }
  throw new ImportRejected(
    'This is an XML data file, not a document. Upload the report or plan itself: ' +
      'a PDF, Word, Excel, web page or text file.',
  );
}

/**
 * Text whose first lines all split into the same number (two or more) of comma-, tab- or
 * semicolon-separated cells reads as a table. Quoted cells may hold separators, so quotes
 * are skipped; a multi-line quoted cell makes lines disagree, and then the name decides.
 */
function looksLikeTable(text: string): boolean {
  const lines = text
    .slice(0, 65_536)
    .split(/\r?\n/u)
    .filter((line) => line.trim() !== '')
    .slice(0, 20);
  if (lines.length < 2) return false;
  return [',', '\t', ';'].some((separator) => {
    const counts = lines.map((line) => line.replace(/"[^"]*"/gu, '').split(separator).length);
    return counts[0] !== undefined && counts[0] >= 2 && counts.every((count) => count === counts[0]);
  });
}
