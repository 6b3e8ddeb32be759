import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import zlib from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { ACCEPTED_DESCRIPTION, UploadRejected, checkUpload, safeFileName, type CheckedFile } from './file-check.ts';
import { openPdf } from './pdf-open.ts';

const LIMIT = 25 * 1024 * 1024;
const UNKNOWN_TYPE = `The selected file must be a ${ACCEPTED_DESCRIPTION} file`;
const cannotOpen = (what: string): string =>
  `The selected file is not ${what} or it is damaged: it cannot be opened as one. ` +
  'Check you chose the right file and upload it again.';

// ---- Builders: the smallest real files of each type ----

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/**
 * A PDF that opens: a catalogue, its page tree, a cross-reference table, a trailer and the
 * end-of-file marker. `padding` spaces go after the header, with the offsets still right.
 */
function pdf(options: { pages?: number; padding?: number } = {}): Buffer {
  const pages = options.pages ?? 1;
  const kids = Array.from({ length: pages }, (_, index) => `${index + 3} 0 R`).join(' ');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`,
    ...Array.from({ length: pages }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>'),
  ];
  let body = `%PDF-1.4\n${' '.repeat(options.padding ?? 0)}\n`;
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const PDF = pdf();

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  pngChunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0])),
  pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 0, 0, 0, 0]))),
  pngChunk('IEND', Buffer.alloc(0)),
]);

const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0', 'latin1'),
  Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]),
]);

const GIF = Buffer.concat([
  Buffer.from('GIF89a', 'latin1'),
  Buffer.from([1, 0, 1, 0, 0, 0, 0]),
  Buffer.from(';', 'latin1'),
]);

function webp(): Buffer {
  const chunk = Buffer.concat([
    Buffer.from('VP8L', 'latin1'),
    Buffer.from([5, 0, 0, 0, 0x2f, 0, 0, 0, 0]),
    Buffer.alloc(1),
  ]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(4 + chunk.length);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), size, Buffer.from('WEBP', 'latin1'), chunk]);
}

/**
 * A zip: local headers, central directory, end record. Entries are stored as they are, or
 * deflated with `deflate`; `claimedSizes` makes the headers lie about an entry's unpacked size.
 */
function zip(
  entries: Record<string, string | Buffer>,
  options: { deflate?: boolean; claimedSizes?: Record<string, number> } = {},
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const fileName = utf8(name);
    const raw = typeof content === 'string' ? utf8(content) : content;
    const data = options.deflate === true ? zlib.deflateRawSync(raw) : raw;
    const method = options.deflate === true ? 8 : 0;
    const size = options.claimedSizes?.[name] ?? raw.length;
    const crc = zlib.crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const WORD_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const EXCEL_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const WORD_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
  '<w:body><w:p><w:r><w:t>Audit &amp; actions</w:t></w:r></w:p></w:body></w:document>';
const EXCEL_XML =
  '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<sheets/></workbook>';
const POWERPOINT_XML =
  '<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>';

/** An Office Open XML package: its content types, naming `mainPart` as the main part, and these parts. */
function ooxml(
  mainPart: string,
  mainType: string,
  parts: Record<string, string | Buffer>,
  options: Parameters<typeof zip>[1] = {},
): Buffer {
  const types =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/${mainPart}" ContentType="${mainType}.main+xml"/></Types>`;
  return zip({ '[Content_Types].xml': types, ...parts }, options);
}

const DOCX = ooxml('word/document.xml', WORD_TYPE, { 'word/document.xml': WORD_XML });
const XLSX = ooxml('xl/workbook.xml', EXCEL_TYPE, { 'xl/workbook.xml': EXCEL_XML });
const PPTX = ooxml(
  'ppt/presentation.xml',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  { 'ppt/presentation.xml': POWERPOINT_XML },
);
const DOCM = ooxml('word/document.xml', 'application/vnd.ms-word.document.macroEnabled', {
  'word/document.xml': WORD_XML,
});

/** A compound file (MS-CFB v3): a 512-byte header, then one directory sector with these entries. */
function cfb(entries: string[], trailer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 24);
  header.writeUInt16LE(3, 26);
  header.writeUInt16LE(0xfffe, 28);
  header.writeUInt16LE(9, 30);
  header.writeUInt16LE(6, 32);
  const directory = Buffer.alloc(512);
  ['Root Entry', ...entries].forEach((name, index) => {
    const entry = index * 128;
    const encoded = Buffer.from(`${name}\0`, 'utf16le');
    encoded.copy(directory, entry);
    directory.writeUInt16LE(encoded.length, entry + 64);
    directory[entry + 66] = index === 0 ? 5 : 2;
  });
  return Buffer.concat([header, directory, trailer]);
}

/** A well-formed directory entry, for placing where no directory entry can be. */
function misalignedEntry(name: string): Buffer {
  const entry = Buffer.alloc(128);
  const encoded = Buffer.from(`${name}\0`, 'utf16le');
  encoded.copy(entry);
  entry.writeUInt16LE(encoded.length, 64);
  entry[66] = 2;
  return entry;
}

const EMAIL = utf8(
  'Received: from mail.example.nhs.uk by mx.example.org; Mon, 6 Jul 2026 09:15:00 +0100\r\n' +
    'From: Ann Jones <ann.jones@example.nhs.uk>\r\n' +
    'To: Safeguarding team <safeguarding@example.gov.uk>\r\n' +
    'Subject: Training dates for\r\n the autumn term\r\n' +
    'Date: Mon, 6 Jul 2026 09:14:00 +0100\r\n' +
    'MIME-Version: 1.0\r\n' +
    'Content-Type: text/plain; charset=utf-8\r\n' +
    '\r\n' +
    'The training is booked for 14 September. Réunion at 10:00.\r\n',
);

const EXE = Buffer.concat([
  Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff]),
  Buffer.alloc(50),
  Buffer.from('PE\0\0', 'latin1'),
  Buffer.alloc(64),
]);

const BINARY = Buffer.from(Array.from({ length: 256 }, (_, index) => (index * 37 + 11) % 256));

async function rejection(bytes: Uint8Array, fileName: string, limitBytes = LIMIT): Promise<string> {
  try {
    await checkUpload({ bytes, fileName, limitBytes });
  } catch (error) {
    assert.ok(error instanceof UploadRejected, `expected UploadRejected, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`${fileName} was accepted`);
}

// ---- The builders make what file-type and the real world call these types ----

test('the test files are what file-type says they are', async () => {
  const expected: Array<[Buffer, string]> = [
    [PDF, 'pdf'],
    [PNG, 'png'],
    [JPEG, 'jpg'],
    [GIF, 'gif'],
    [webp(), 'webp'],
    [DOCX, 'docx'],
    [XLSX, 'xlsx'],
    [PPTX, 'pptx'],
    [DOCM, 'docm'],
    [cfb(['WordDocument']), 'cfb'],
    [zip({ 'a.txt': 'a' }), 'zip'],
    [EXE, 'exe'],
  ];
  for (const [bytes, ext] of expected) assert.equal((await fileTypeFromBuffer(bytes))?.ext, ext);
  assert.equal(await fileTypeFromBuffer(BINARY), undefined);
});

// ---- Accepted files ----

const accepted: Array<{ name: string; bytes: Buffer; expected: CheckedFile }> = [
  {
    name: 'Ofsted report.pdf',
    bytes: PDF,
    expected: { mediaType: 'application/pdf', extension: 'pdf', kindLabel: 'PDF', fileName: 'Ofsted report.pdf' },
  },
  {
    name: 'Action plan.docx',
    bytes: DOCX,
    expected: {
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      extension: 'docx',
      kindLabel: 'Word document',
      fileName: 'Action plan.docx',
    },
  },
  {
    name: 'Tracker.xlsx',
    bytes: XLSX,
    expected: {
      mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      extension: 'xlsx',
      kindLabel: 'Excel spreadsheet',
      fileName: 'Tracker.xlsx',
    },
  },
  {
    name: 'Board update.pptx',
    bytes: PPTX,
    expected: {
      mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      extension: 'pptx',
      kindLabel: 'PowerPoint presentation',
      fileName: 'Board update.pptx',
    },
  },
  {
    name: 'Minutes 2014.doc',
    bytes: cfb(['WordDocument', 'SummaryInformation']),
    expected: {
      mediaType: 'application/msword',
      extension: 'doc',
      kindLabel: 'Word document',
      fileName: 'Minutes 2014.doc',
    },
  },
  {
    name: 'Old tracker.xls',
    bytes: cfb(['Workbook']),
    expected: {
      mediaType: 'application/vnd.ms-excel',
      extension: 'xls',
      kindLabel: 'Excel spreadsheet',
      fileName: 'Old tracker.xls',
    },
  },
  {
    name: 'Slides.ppt',
    bytes: cfb(['Current User', 'PowerPoint Document']),
    expected: {
      mediaType: 'application/vnd.ms-powerpoint',
      extension: 'ppt',
      kindLabel: 'PowerPoint presentation',
      fileName: 'Slides.ppt',
    },
  },
  // A Word file with an Excel chart inside holds both streams: the name decides.
  {
    name: 'Report with chart.doc',
    bytes: cfb(['WordDocument', 'Workbook']),
    expected: {
      mediaType: 'application/msword',
      extension: 'doc',
      kindLabel: 'Word document',
      fileName: 'Report with chart.doc',
    },
  },
  {
    name: 'Budget with letter.xls',
    bytes: cfb(['Workbook', 'WordDocument']),
    expected: {
      mediaType: 'application/vnd.ms-excel',
      extension: 'xls',
      kindLabel: 'Excel spreadsheet',
      fileName: 'Budget with letter.xls',
    },
  },
  {
    name: 'Chart.png',
    bytes: PNG,
    expected: { mediaType: 'image/png', extension: 'png', kindLabel: 'PNG image', fileName: 'Chart.png' },
  },
  {
    name: 'Photo of poster.jpeg',
    bytes: JPEG,
    expected: { mediaType: 'image/jpeg', extension: 'jpg', kindLabel: 'JPEG image', fileName: 'Photo of poster.jpg' },
  },
  {
    name: 'Flow.gif',
    bytes: GIF,
    expected: { mediaType: 'image/gif', extension: 'gif', kindLabel: 'GIF image', fileName: 'Flow.gif' },
  },
  {
    name: 'Screenshot.webp',
    bytes: webp(),
    expected: { mediaType: 'image/webp', extension: 'webp', kindLabel: 'WebP image', fileName: 'Screenshot.webp' },
  },
  {
    name: 'Reply from school.eml',
    bytes: EMAIL,
    expected: { mediaType: 'message/rfc822', extension: 'eml', kindLabel: 'Email', fileName: 'Reply from school.eml' },
  },
  {
    name: 'Notes.txt',
    bytes: utf8('\uFEFFMeeting notes\r\n\tAction 1 — done\fPage 2\n'),
    expected: { mediaType: 'text/plain; charset=utf-8', extension: 'txt', kindLabel: 'Text', fileName: 'Notes.txt' },
  },
  {
    name: 'Attendance.csv',
    bytes: utf8('name,team,date\r\nSiân Ó Briain,LAC,2026-07-14\r\n'),
    expected: {
      mediaType: 'text/csv; charset=utf-8',
      extension: 'csv',
      kindLabel: 'CSV file',
      fileName: 'Attendance.csv',
    },
  },
  {
    name: 'Summary.md',
    bytes: utf8('# Summary\n\n- [x] Audit complete\n'),
    expected: {
      mediaType: 'text/markdown; charset=utf-8',
      extension: 'md',
      kindLabel: 'Markdown text',
      fileName: 'Summary.md',
    },
  },
  // Names that do not say the type get the content's extension.
  {
    name: 'Action plan',
    bytes: DOCX,
    expected: {
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      extension: 'docx',
      kindLabel: 'Word document',
      fileName: 'Action plan.docx',
    },
  },
  {
    name: 'Action plan.zip',
    bytes: DOCX,
    expected: {
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      extension: 'docx',
      kindLabel: 'Word document',
      fileName: 'Action plan.docx',
    },
  },
  {
    name: 'Budget',
    bytes: XLSX,
    expected: {
      mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      extension: 'xlsx',
      kindLabel: 'Excel spreadsheet',
      fileName: 'Budget.xlsx',
    },
  },
  {
    name: 'Scan 12.03.2026',
    bytes: PDF,
    expected: { mediaType: 'application/pdf', extension: 'pdf', kindLabel: 'PDF', fileName: 'Scan 12.03.2026.pdf' },
  },
  {
    name: 'notes',
    bytes: utf8('Plain notes with no extension\n'),
    expected: { mediaType: 'text/plain; charset=utf-8', extension: 'txt', kindLabel: 'Text', fileName: 'notes.txt' },
  },
  {
    name: 'Note',
    bytes: utf8('Note: a single header-like line is not an email\n\nBody\n'),
    expected: { mediaType: 'text/plain; charset=utf-8', extension: 'txt', kindLabel: 'Text', fileName: 'Note.txt' },
  },
  {
    name: 'forwarded',
    bytes: EMAIL,
    expected: { mediaType: 'message/rfc822', extension: 'eml', kindLabel: 'Email', fileName: 'forwarded.eml' },
  },
  // Same program, other generation: the content's extension wins.
  {
    name: 'Action plan.doc',
    bytes: DOCX,
    expected: {
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      extension: 'docx',
      kindLabel: 'Word document',
      fileName: 'Action plan.docx',
    },
  },
  {
    name: 'Old tracker.xlsx',
    bytes: cfb(['Workbook']),
    expected: {
      mediaType: 'application/vnd.ms-excel',
      extension: 'xls',
      kindLabel: 'Excel spreadsheet',
      fileName: 'Old tracker.xls',
    },
  },
  {
    name: 'REPORT.PDF',
    bytes: PDF,
    expected: { mediaType: 'application/pdf', extension: 'pdf', kindLabel: 'PDF', fileName: 'REPORT.pdf' },
  },
  // Text that file-type takes for a GIF or a program by its first letters is still text.
  {
    name: 'GIF usage.txt',
    bytes: utf8('GIF files used in the newsletter\n'),
    expected: {
      mediaType: 'text/plain; charset=utf-8',
      extension: 'txt',
      kindLabel: 'Text',
      fileName: 'GIF usage.txt',
    },
  },
  {
    name: 'Staff.csv',
    bytes: utf8('MZ,Mark Zee,Nurse\n'),
    expected: { mediaType: 'text/csv; charset=utf-8', extension: 'csv', kindLabel: 'CSV file', fileName: 'Staff.csv' },
  },
  // An email body may be 8-bit in the charset it declares (here Latin-1).
  {
    name: 'Old email.eml',
    bytes: Buffer.concat([
      utf8(
        'From: a@example.org\r\nTo: b@example.org\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nCo\u00fbt: ',
      ),
      Buffer.from([0xa3, 0x35, 0x0d, 0x0a]),
    ]),
    expected: { mediaType: 'message/rfc822', extension: 'eml', kindLabel: 'Email', fileName: 'Old email.eml' },
  },
  // The path is dropped, the name kept with its Unicode letters.
  {
    name: 'C:\\Users\\ann\\Documents\\Ofsted re\u0301ponse.pdf',
    bytes: PDF,
    expected: { mediaType: 'application/pdf', extension: 'pdf', kindLabel: 'PDF', fileName: 'Ofsted r\u00e9ponse.pdf' },
  },
];

for (const { name, bytes, expected } of accepted) {
  const acceptsTitle =
    `checkUpload accepts ${JSON.stringify(name)} as ` + `${expected.kindLabel}, stored as ${expected.fileName}`;
  test(acceptsTitle, async () => {
    assert.deepEqual(await checkUpload({ bytes, fileName: name, limitBytes: LIMIT }), expected);
  });
}

// ---- Refused files ----

const refused: Array<{ why: string; name: string; bytes: Buffer; message: string | RegExp }> = [
  {
    why: 'an empty file',
    name: 'report.pdf',
    bytes: Buffer.alloc(0),
    message: 'The selected file is empty. Choose a file that has something in it.',
  },
  { why: 'an unknown binary file', name: 'data.bin', bytes: BINARY, message: UNKNOWN_TYPE },
  { why: 'an unknown binary file with no extension', name: 'data', bytes: BINARY, message: UNKNOWN_TYPE },
  {
    why: 'a program named as a PDF',
    name: 'report.pdf',
    bytes: EXE,
    message: 'The selected file is not a PDF: its content is a Windows program. Check you chose the right file.',
  },
  { why: 'a program named as a program', name: 'setup.exe', bytes: EXE, message: UNKNOWN_TYPE },
  {
    why: 'a PNG named as a PDF',
    name: 'report.pdf',
    bytes: PNG,
    message: 'The selected file is not a PDF: its content is a PNG image. Check you chose the right file.',
  },
  {
    why: 'a PDF named as a Word document',
    name: 'report.docx',
    bytes: PDF,
    message: 'The selected file is not a Word document: its content is a PDF. Check you chose the right file.',
  },
  {
    why: 'a Word document named as a spreadsheet',
    name: 'tracker.xlsx',
    bytes: DOCX,
    message: /^The selected file is not an Excel spreadsheet: its content is a Word document\./,
  },
  {
    why: 'a PDF named as text',
    name: 'notes.txt',
    bytes: PDF,
    message: /^The selected file is not a text file: its content is a PDF\./,
  },
  {
    why: 'undetectable binary named as a PDF',
    name: 'report.pdf',
    bytes: BINARY,
    message: 'The selected file is not a PDF or it is damaged. Check you chose the right file and upload it again.',
  },
  {
    why: 'plain text named as a PDF',
    name: 'report.pdf',
    bytes: utf8('Not really a PDF\n'),
    message: /^The selected file is not a PDF: its content is plain text\./,
  },
  {
    why: 'an email named as a Word document',
    name: 'letter.docx',
    bytes: EMAIL,
    message: /^The selected file is not a Word document: its content is an email\./,
  },
  {
    why: 'HTML named as text',
    name: 'notes.txt',
    bytes: utf8('<!DOCTYPE html><html><script>alert(1)</script></html>'),
    message: 'The selected file is not a text file: its content is a web page (HTML). Check you chose the right file.',
  },
  {
    why: 'HTML named as a web page',
    name: 'page.html',
    bytes: utf8('<html><body>Hi</body></html>'),
    message: UNKNOWN_TYPE,
  },
  {
    why: 'SVG named as an SVG',
    name: 'logo.svg',
    bytes: utf8('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    message: UNKNOWN_TYPE,
  },
  {
    why: 'SVG named as a PNG',
    name: 'logo.png',
    bytes: utf8('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    message: /^The selected file is not a PNG image: its content is an SVG image\./,
  },
  {
    why: 'XML named as text',
    name: 'data.txt',
    bytes: utf8('<?xml version="1.0"?><data/>'),
    message: /its content is an XML file\./,
  },
  { why: 'JavaScript', name: 'script.js', bytes: utf8('alert(document.cookie);\n'), message: UNKNOWN_TYPE },
  {
    why: 'a zip that is not an Office file',
    name: 'archive.zip',
    bytes: zip({ 'evidence/a.txt': 'hello' }),
    message: UNKNOWN_TYPE,
  },
  {
    why: 'a zip named as a Word document',
    name: 'report.docx',
    bytes: zip({ 'a.txt': 'hello' }),
    message: cannotOpen('a Word document'),
  },
  {
    why: 'a Word file with macros',
    name: 'report.docx',
    bytes: DOCM,
    message:
      'The selected file contains macros. Save it without macros, as a .docx, .xlsx or .pptx file, ' +
      'and upload it again.',
  },
  {
    why: 'a password-protected Word file',
    name: 'report.docx',
    bytes: cfb(['EncryptionInfo', 'EncryptedPackage']),
    message: 'The selected file is password protected. Remove the password, save the file and upload it again.',
  },
  {
    why: 'a compound file that is not Office',
    name: 'minutes.doc',
    bytes: cfb(['__properties_version1.0']),
    message: new RegExp(
      /^The selected file is not a Word document: /.source +
        /its content is a Microsoft compound file that is not a Word, Excel or PowerPoint file\./.source,
    ),
  },
  {
    why: 'a compound file with a directory entry out of line in its data',
    name: 'minutes.doc',
    bytes: cfb(['Data'], Buffer.concat([Buffer.alloc(3), misalignedEntry('WordDocument'), Buffer.alloc(200)])),
    message: /^The selected file is not a Word document: its content is a Microsoft compound file/,
  },
  {
    why: 'an old Word file named as a PDF',
    name: 'minutes.pdf',
    bytes: cfb(['WordDocument']),
    message: /^The selected file is not a PDF: its content is a Word document\./,
  },
  {
    why: 'an old Office file whose name does not say which',
    name: 'minutes',
    bytes: cfb(['WordDocument']),
    message: UNKNOWN_TYPE,
  },
  {
    why: 'text with a single header-like line named as an email',
    name: 'message.eml',
    bytes: utf8('Subject: notes for Monday\n\nAgenda to follow.\n'),
    message: /^The selected file is not an email: its content is text that does not start with email headers\./,
  },
  {
    why: 'an email with a NUL byte in its body',
    name: 'message.eml',
    bytes: Buffer.concat([EMAIL, Buffer.from([0])]),
    message: 'The selected file is not an email or it is damaged. Check you chose the right file and upload it again.',
  },
  {
    why: 'text named as an email',
    name: 'message.eml',
    bytes: utf8('Hello, this is not an email.\n'),
    message: /^The selected file is not an email: its content is text that does not start with email headers\./,
  },
  {
    why: 'text that is not UTF-8 (Windows-1252 £)',
    name: 'notes.txt',
    bytes: Buffer.from([0x43, 0x6f, 0x73, 0x74, 0x3a, 0x20, 0xa3, 0x35, 0x0a]),
    message: 'The selected file is not saved as UTF-8 text. Save it with UTF-8 encoding and upload it again.',
  },
  {
    why: 'a CSV that is not UTF-8',
    name: 'prices.csv',
    bytes: Buffer.from([0x61, 0x2c, 0xa3, 0x35, 0x0a]),
    message:
      'The selected file is not saved as UTF-8 text. Save it with UTF-8 encoding and upload it again. ' +
      'In Excel, choose CSV UTF-8 as the file type.',
  },
  {
    why: 'text with a NUL byte',
    name: 'notes.txt',
    bytes: utf8('line one\0line two\n'),
    message:
      'The selected file is not a plain text file: it contains characters that are not text. ' +
      'Save it as UTF-8 text and upload it again.',
  },
  {
    why: 'UTF-16 text',
    name: 'notes.txt',
    bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Hello\r\n', 'utf16le')]),
    message: 'The selected file is not saved as UTF-8 text. Save it with UTF-8 encoding and upload it again.',
  },
  {
    why: 'text with an escape character',
    name: 'notes.txt',
    bytes: utf8('colour \u001b[31mred\u001b[0m\n'),
    message: /contains characters that are not text/,
  },
  {
    why: 'an email whose body is not UTF-8 named as text',
    name: 'email.txt',
    bytes: Buffer.concat([utf8('From: a@example.org\r\nTo: b@example.org\r\n\r\n'), Buffer.from([0xa3, 0x0a])]),
    message: /^The selected file is not saved as UTF-8 text/,
  },
  {
    why: 'a "GIF" that is only text',
    name: 'chart.gif',
    bytes: utf8('GIF of the chart\n'),
    message: /^The selected file is not a GIF image: its content is plain text\./,
  },
  { why: 'a program hidden behind a bidi override', name: 'invoice\u202Efdp.exe', bytes: EXE, message: UNKNOWN_TYPE },
];

for (const { why, name, bytes, message } of refused) {
  test(`checkUpload refuses ${why}`, async () => {
    const actual = await rejection(bytes, name);
    if (typeof message === 'string') assert.equal(actual, message);
    else assert.match(actual, message);
  });
}

test('checkUpload refuses text that starts like markup, whatever the whitespace, case or BOM', async () => {
  const starts = [
    '<!DOCTYPE html>',
    '<!doctype HTML>',
    '\uFEFF  <html>',
    '\n\t<HTML lang="en">',
    '<script>alert(1)</script>',
    '<svg>',
    '<?xml version="1.0"?>',
    '<!-- note -->',
    '<p>Hello</p>',
    '<iframe src="x">',
    '<a href="x">link</a>',
    '<body>',
    '<br/>',
  ];
  for (const start of starts) {
    assert.match(
      await rejection(utf8(`${start}\nrest of the file\n`), 'notes.txt'),
      /^The selected file is not a text file: its content is (a web page|an SVG|an XML)/,
      start,
    );
  }
  // Text that only mentions a tag, or starts with a similar word, is text.
  for (const text of [
    'Use <html> tags sparingly',
    '<placeholder> to fill in',
    '<abbr> is not sniffed',
    '<pre-meeting notes>',
  ]) {
    assert.equal(
      (await checkUpload({ bytes: utf8(text), fileName: 'notes.txt', limitBytes: LIMIT })).extension,
      'txt',
      text,
    );
  }
});

test('checkUpload refuses a file over the limit and says the limit in MB', async () => {
  // The padding lengthens the offsets written at the end: a second try makes up for that.
  const first = pdf({ padding: LIMIT - PDF.length });
  const atLimit = pdf({ padding: LIMIT - PDF.length - (first.length - LIMIT) });
  assert.equal(atLimit.length, LIMIT);
  assert.equal((await checkUpload({ bytes: atLimit, fileName: 'big.pdf', limitBytes: LIMIT })).extension, 'pdf');
  const overLimit = Buffer.concat([atLimit, Buffer.from(' ')]);
  assert.equal(await rejection(overLimit, 'big.pdf'), 'The selected file must be smaller than 25 MB');
  assert.equal(await rejection(PDF, 'small.pdf', 10), 'The selected file must be smaller than 10 bytes');
  assert.equal(await rejection(overLimit, 'big.pdf', 512 * 1024), 'The selected file must be smaller than 512 KB');
  assert.equal(
    await rejection(overLimit, 'big.pdf', 2.5 * 1024 * 1024),
    'The selected file must be smaller than 2.5 MB',
  );
});

test('checkUpload checks the size before reading the content', async () => {
  assert.equal(await rejection(BINARY, 'data.bin', 100), 'The selected file must be smaller than 100 bytes');
});

// ---- Files whose bytes say PDF, Word, Excel or PowerPoint must open as one ----

const FIXTURES = new URL('../../../test/fixtures/', import.meta.url);
const PASSWORD_PROTECTED =
  'The selected file is password protected. Remove the password, save the file and upload it again.';

function pdfkit(options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const document = new PDFDocument(options);
    const chunks: Buffer[] = [];
    document.on('data', (chunk: Buffer) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
    document.text('Safeguarding audit, October 2026');
    document.addPage().text('Page two');
    document.end();
  });
}

async function wordFile(): Promise<Buffer> {
  const document = new Document({ sections: [{ children: [new Paragraph('Safeguarding audit, October 2026')] }] });
  return Packer.toBuffer(document);
}

async function excelFile(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Tracker');
  sheet.addRow(['Action', 'Due']);
  sheet.addRow(['Audit triage records', new Date(Date.UTC(2026, 9, 31))]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A copy of a zip with one byte inverted in the middle of a part's packed data. */
function damaged(bytes: Buffer, part: string): Buffer {
  const copy = Buffer.from(bytes);
  // The part's local header: its name follows the 30 fixed bytes, then the extra field, then the data.
  const header = copy.indexOf(utf8(part)) - 30;
  assert.equal(copy.readUInt32LE(header), 0x04034b50, `local header of ${part}`);
  const start = header + 30 + copy.readUInt16LE(header + 26) + copy.readUInt16LE(header + 28);
  const index = start + Math.floor(copy.readUInt32LE(header + 18) / 2);
  copy[index] = (copy[index] ?? 0) ^ 0xff;
  return copy;
}

test('checkUpload accepts real PDF, Word and Excel files: the fixtures, and files from the writers', async () => {
  const files: Array<[string, Buffer, string]> = [
    ['pdfkit.pdf', await pdfkit(), 'pdf'],
    ['Two pages.pdf', pdf({ pages: 2 }), 'pdf'],
    ['docx library.docx', await wordFile(), 'docx'],
    ['exceljs.xlsx', await excelFile(), 'xlsx'],
  ];
  for (const name of [
    'rotherham-2015-cqc-report.pdf',
    'rotherham-2015-cqc-report.docx',
    'rotherham-2015-hwb-paper-and-action-plan.docx',
    'west-sussex-2016-action-plan.docx',
    'west-sussex-2016-action-plan.xlsx',
    'plans/block-plan.docx',
    'plans/flat-plan.docx',
    'plans/grouped-plan.xlsx',
  ]) {
    files.push([name, await readFile(new URL(name, FIXTURES)), name.slice(name.lastIndexOf('.') + 1)]);
  }
  for (const [name, bytes, extension] of files) {
    const checked = await checkUpload({ bytes, fileName: name.replace(/^.*\//u, ''), limitBytes: LIMIT });
    assert.equal(checked.extension, extension, name);
  }
});

test('checkUpload accepts a Word file whose main part is where its relationships say', async () => {
  const relationships =
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Target="/word/main.xml" ' +
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>';
  const bytes = ooxml('word/main.xml', WORD_TYPE, { '_rels/.rels': relationships, 'word/main.xml': WORD_XML });
  assert.equal((await checkUpload({ bytes, fileName: 'Plan.docx', limitBytes: LIMIT })).extension, 'docx');
});

test('checkUpload refuses a PDF, Word or Excel file that cannot be opened as one, and says so', async () => {
  const realPdf = await pdfkit();
  const realWord = await wordFile();
  const realExcel = await excelFile();
  const fakes: Array<[string, string, Buffer, string]> = [
    ['9 bytes of a PDF header', 'report.pdf', utf8('%PDF-1.4\n'), 'a PDF'],
    ['a PDF cut short before its cross-reference table', 'report.pdf', PDF.subarray(0, PDF.indexOf('xref')), 'a PDF'],
    ['a real PDF cut in half', 'report.pdf', realPdf.subarray(0, realPdf.length / 2), 'a PDF'],
    ['a PDF with no pages', 'report.pdf', pdf({ pages: 0 }), 'a PDF'],
    [
      'a PDF whose page tree is missing',
      'report.pdf',
      Buffer.from(PDF.toString('latin1').replace('/Pages 2 0 R', '/Pages 9 0 R'), 'latin1'),
      'a PDF',
    ],
    ['a PDF with no name extension', 'scan', utf8('%PDF-1.7\n%%EOF\n'), 'a PDF'],
    [
      'a zip that is not a document, named .xlsx',
      'tracker.xlsx',
      zip({ 'notes.txt': 'hello' }),
      'an Excel spreadsheet',
    ],
    [
      'a Word file with no word/document.xml',
      'plan.docx',
      ooxml('word/document.xml', WORD_TYPE, { 'word/styles.xml': '<styles/>' }),
      'a Word document',
    ],
    [
      'an Excel file with no xl/workbook.xml',
      'tracker.xlsx',
      ooxml('xl/workbook.xml', EXCEL_TYPE, { 'xl/styles.xml': '<styleSheet/>' }),
      'an Excel spreadsheet',
    ],
    [
      'a Word file whose main part is not XML',
      'plan.docx',
      ooxml('word/document.xml', WORD_TYPE, { 'word/document.xml': 'Plan, version 2' }),
      'a Word document',
    ],
    [
      'a Word file whose main part is cut short',
      'plan.docx',
      ooxml('word/document.xml', WORD_TYPE, { 'word/document.xml': WORD_XML.slice(0, -30) }),
      'a Word document',
    ],
    [
      'a Word file whose main part is a workbook',
      'plan.docx',
      ooxml('word/document.xml', WORD_TYPE, { 'word/document.xml': EXCEL_XML }),
      'a Word document',
    ],
    [
      'a Word file whose main part holds binary',
      'plan.docx',
      ooxml('word/document.xml', WORD_TYPE, { 'word/document.xml': Buffer.concat([utf8(WORD_XML), BINARY]) }),
      'a Word document',
    ],
    [
      'a real Word file cut short',
      'plan.docx',
      realWord.subarray(0, Math.floor(realWord.length * 0.8)),
      'a Word document',
    ],
    [
      'a real Word file with a damaged byte in its main part',
      'plan.docx',
      damaged(realWord, 'word/document.xml'),
      'a Word document',
    ],
    [
      'a real Excel file with a damaged byte in a sheet',
      'tracker.xlsx',
      damaged(realExcel, 'xl/worksheets/sheet1.xml'),
      'an Excel spreadsheet',
    ],
    [
      'a PowerPoint file with no ppt/presentation.xml',
      'slides.pptx',
      ooxml('ppt/presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', {
        'ppt/slides/slide1.xml': POWERPOINT_XML,
      }),
      'a PowerPoint presentation',
    ],
  ];
  for (const [why, name, bytes, what] of fakes) {
    assert.equal(await rejection(bytes, name), cannotOpen(what), why);
  }
});

test('checkUpload refuses a PDF that needs a password to open', async () => {
  const locked = await pdfkit({ userPassword: 'secret', ownerPassword: 'owner' });
  assert.equal(await rejection(locked, 'audit.pdf'), PASSWORD_PROTECTED);
  // A PDF that only restricts editing opens without a password, and is accepted.
  const restricted = await pdfkit({ ownerPassword: 'owner', permissions: { modifying: false } });
  assert.equal((await checkUpload({ bytes: restricted, fileName: 'audit.pdf', limitBytes: LIMIT })).extension, 'pdf');
});

test('openPdf stops a PDF whose object stream unpacks to 512 MB at its memory ceiling', async () => {
  // The catalogue sits in an object stream of 512 MB of spaces, packed into about half a megabyte.
  const packed = zlib.deflateSync(
    Buffer.concat([utf8('1 0 '), Buffer.alloc(512 * 1024 * 1024, 0x20), utf8('<< /Type /Catalog /Pages 3 0 R >>')]),
  );
  const parts: Buffer[] = [utf8('%PDF-1.7\n')];
  const offsets: number[] = [];
  const at = () => parts.reduce((sum, part) => sum + part.length, 0);
  const add = (object: number, text: string, stream?: Buffer) => {
    offsets[object] = at();
    parts.push(utf8(`${object} 0 obj\n${text}\n`));
    if (stream !== undefined) parts.push(utf8('stream\n'), stream, utf8('\nendstream\n'));
    parts.push(utf8('endobj\n'));
  };
  add(2, `<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${packed.length} >>`, packed);
  add(3, '<< /Type /Pages /Kids [4 0 R] /Count 1 >>');
  add(4, '<< /Type /Page /Parent 3 0 R /MediaBox [0 0 10 10] >>');
  const xref = at();
  // Cross-reference stream rows: type, offset (or stream number), generation (or index).
  const rows = [
    [0, 0, 0],
    [2, 2, 0],
    [1, offsets[2] ?? 0, 0],
    [1, offsets[3] ?? 0, 0],
    [1, offsets[4] ?? 0, 0],
    [1, xref, 0],
  ].map(([type, offset, generation]) => {
    const row = Buffer.alloc(6);
    row.writeUInt8(type ?? 0, 0);
    row.writeUInt32BE(offset ?? 0, 1);
    row.writeUInt8(generation ?? 0, 5);
    return row;
  });
  add(5, `<< /Type /XRef /Size 6 /W [1 4 1] /Root 1 0 R /Length ${rows.length * 6} >>`, Buffer.concat(rows));
  parts.push(utf8(`startxref\n${xref}\n%%EOF\n`));
  const bomb = Buffer.concat(parts);
  assert.ok(bomb.length < 2 * 1024 * 1024, `${bomb.length} bytes`);
  assert.equal(await openPdf(bomb, { ceilingMb: 200 }), 'damaged');
  // A real PDF still opens.
  assert.equal(await openPdf(PDF), 'opens');
});

test('checkUpload refuses a Word file that unpacks to far more than any document, without unpacking it', async () => {
  const huge = Buffer.concat([
    utf8('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'),
    Buffer.alloc(201 * 1024 * 1024, 0x20),
    utf8('</w:body></w:document>'),
  ]);
  const honest = ooxml('word/document.xml', WORD_TYPE, { 'word/document.xml': huge }, { deflate: true });
  const lying = ooxml(
    'word/document.xml',
    WORD_TYPE,
    { 'word/document.xml': huge },
    { deflate: true, claimedSizes: { 'word/document.xml': 4096 } },
  );
  assert.ok(honest.length < 1024 * 1024, `${honest.length} bytes`);
  for (const bytes of [honest, lying]) {
    const started = performance.now();
    assert.equal(await rejection(bytes, 'plan.docx'), cannotOpen('a Word document'));
    assert.ok(performance.now() - started < 5000, `${Math.round(performance.now() - started)} ms`);
  }
});

test('checkUpload refuses a Word file made of more parts than any document', async () => {
  const parts: Record<string, string> = { 'word/document.xml': WORD_XML };
  for (let index = 0; index < 10_001; index += 1) parts[`word/media/part${index}.xml`] = '';
  assert.equal(
    await rejection(ooxml('word/document.xml', WORD_TYPE, parts), 'plan.docx'),
    cannotOpen('a Word document'),
  );
});

test('ACCEPTED_DESCRIPTION names every accepted type', () => {
  for (const name of [
    'PDF',
    'Word',
    'Excel',
    'PowerPoint',
    'PNG',
    'JPEG',
    'GIF',
    'WebP',
    '.eml',
    '.txt',
    '.csv',
    '.md',
  ]) {
    assert.ok(ACCEPTED_DESCRIPTION.includes(name), name);
  }
});

// ---- Safe names ----

const names: Array<[string, string, string]> = [
  ['../../etc/passwd', 'txt', 'passwd.txt'],
  ['..\\..\\boot.ini', 'txt', 'boot.ini.txt'],
  ['C:\\Users\\ann\\Desktop\\Plan.docx', 'docx', 'Plan.docx'],
  ['/var/tmp/', 'pdf', 'evidence.pdf'],
  ['Ofsted réponse.pdf', 'pdf', 'Ofsted réponse.pdf'],
  ['Ofsted re\u0301ponse.pdf', 'pdf', 'Ofsted r\u00e9ponse.pdf'],
  ['План дій.docx', 'docx', 'План дій.docx'],
  ['  ..hidden.pdf', 'pdf', 'hidden.pdf'],
  ['a"b<c>d:e|f?g*h\'i`j.pdf', 'pdf', 'abcdefghij.pdf'],
  ['Meeting\tnotes\r\n  2026.pdf', 'pdf', 'Meeting notes 2026.pdf'],
  ['bell\u0007 and nul\u0000.pdf', 'pdf', 'bell and nul.pdf'],
  ['invoice\u202Efdp.exe', 'pdf', 'invoicefdp.pdf'],
  ['zero\u200Bwidth.pdf', 'pdf', 'zerowidth.pdf'],
  ['report.PDF', 'pdf', 'report.pdf'],
  ['report', 'PDF', 'report.pdf'],
  ['report.pdf. . ', 'pdf', 'report.pdf'],
  ['Photo.jpeg', 'jpg', 'Photo.jpg'],
  ['Scan 12.03.2026', 'pdf', 'Scan 12.03.2026.pdf'],
  ['Plan v1.2', 'docx', 'Plan v1.2.docx'],
  ['', 'pdf', 'evidence.pdf'],
  ['...', 'pdf', 'evidence.pdf'],
  ['.pdf', 'pdf', 'evidence.pdf'],
  ['"<>"', 'txt', 'evidence.txt'],
  ['notes.txt', '', 'notes.txt'],
];

for (const [name, extension, expected] of names) {
  test(`safeFileName(${JSON.stringify(name)}, '${extension}') is ${JSON.stringify(expected)}`, () => {
    assert.equal(safeFileName(name, extension), expected);
  });
}

test('safeFileName keeps long names within 120 characters and 255 bytes, extension included', () => {
  const cases: Array<[string, string]> = [
    [`${'a'.repeat(300)}.pdf`, 'pdf'],
    [`${'😀'.repeat(100)}.pdf`, 'pdf'],
    [`${'報'.repeat(200)}.docx`, 'docx'],
    [`${'x'.repeat(115)}. tail.pdf`, 'pdf'],
  ];
  for (const [name, extension] of cases) {
    const safe = safeFileName(name, extension);
    assert.ok(safe.length <= 120, `${safe.length} characters`);
    assert.ok(Buffer.byteLength(safe) <= 255, `${Buffer.byteLength(safe)} bytes`);
    assert.ok(safe.endsWith(`.${extension}`), safe);
    assert.doesNotMatch(safe, /\p{Cs}/u, 'no half surrogate pair');
    assert.doesNotMatch(safe, /[. ]\.[a-z]+$/u, safe);
  }
  assert.equal(safeFileName(`${'a'.repeat(300)}.pdf`, 'pdf'), `${'a'.repeat(116)}.pdf`);
  assert.equal(safeFileName(`${'😀'.repeat(100)}.pdf`, 'pdf'), `${'😀'.repeat(58)}.pdf`);
  assert.equal(safeFileName(`${'x'.repeat(115)}. tail.pdf`, 'pdf'), `${'x'.repeat(115)}.pdf`);
});
