import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import JSZip from 'jszip';
import { ImportRejected } from './errors.ts';
import {
  MESSAGES,
  UNPACKED_LIMIT_BYTES,
  checkFileSize,
  detectPlanFormat,
  detectReportFormat,
  formatMegabytes,
  pdfIsEncrypted,
  readZipDirectory,
} from './file-kind.ts';

const MB = 1024 * 1024;
const fixture = (name: string): Buffer => fs.readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));
const REPORT_PDF = fixture('rotherham-2015-cqc-report.pdf');
const REPORT_DOCX = fixture('rotherham-2015-cqc-report.docx');
const PLAN_DOCX = fixture('rotherham-2015-hwb-paper-and-action-plan.docx');
const PLAN_XLSX = fixture('west-sussex-2016-action-plan.xlsx');

const text = (value: string): Buffer => Buffer.from(value, 'utf8');

/** The ImportRejected message that `read` throws; fails the test when it throws anything else or nothing. */
function rejection(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof ImportRejected, `expected ImportRejected, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the file to be rejected');
}

const reportRejection = (content: Uint8Array, name = 'report.pdf'): string =>
  rejection(() => detectReportFormat(content, name));
const planRejection = (content: Uint8Array, name = 'plan.docx'): string =>
  rejection(() => detectPlanFormat(content, name));

/**
 * A compound file (MS-CFB) with a directory of the given names: the 512-byte header, then
 * 128-byte directory entries (UTF-16LE name, its byte length at 64, the type at 66).
 */
function compoundFile(streams: string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  const entries = ['Root Entry', ...streams].map((name, index) => {
    const entry = Buffer.alloc(128);
    const written = entry.write(`${name}\0`, 'utf16le');
    entry.writeUInt16LE(written, 64);
    entry[66] = index === 0 ? 5 : 2;
    return entry;
  });
  return Buffer.concat([header, ...entries]);
}

async function zipOf(parts: Record<string, string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(parts)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** Overwrites a field of every central-directory entry (APPNOTE 4.3.12), e.g. the unpacked size at 24. */
function patchDirectory(zip: Buffer, field: number, value: number): Buffer {
  const patched = Buffer.from(zip);
  for (
    let at = patched.indexOf('PK\u0001\u0002', 0, 'latin1');
    at >= 0;
    at = patched.indexOf('PK\u0001\u0002', at + 4, 'latin1')
  ) {
    patched.writeUInt32LE(value, at + field);
  }
  return patched;
}

// ---- What is accepted ----

test('the Rotherham report is recognised as a PDF and as a Word document by its content', () => {
  assert.equal(detectReportFormat(REPORT_PDF, 'rotherham-2015-cqc-report.pdf'), 'pdf');
  assert.equal(detectReportFormat(REPORT_DOCX, 'rotherham-2015-cqc-report.docx'), 'docx');
  // The name is not trusted over the content.
  assert.equal(detectReportFormat(REPORT_DOCX, 'report.pdf'), 'docx');
  assert.equal(detectReportFormat(REPORT_PDF, 'download'), 'pdf');
});

test('plans in Word and Excel are recognised by their content', () => {
  assert.equal(detectPlanFormat(PLAN_DOCX, 'rotherham-2015-hwb-paper-and-action-plan.docx'), 'docx');
  assert.equal(detectPlanFormat(PLAN_XLSX, 'west-sussex-2016-action-plan.xlsx'), 'xlsx');
  assert.equal(detectPlanFormat(PLAN_XLSX, 'plan.docx'), 'xlsx');
});

test('web pages, Markdown and plain text are recognised as reports', () => {
  assert.equal(
    detectReportFormat(text('<!DOCTYPE html>\n<html lang="en"><body><p>Findings</p></body></html>'), 'report.html'),
    'html',
  );
  assert.equal(
    detectReportFormat(text('<!-- saved from the CQC website -->\n<html><body>x</body></html>'), 'report.txt'),
    'html',
  );
  assert.equal(detectReportFormat(text('<h1>Review of health services</h1>\n<p>1.1 Findings</p>'), 'report'), 'html');
  assert.equal(
    detectReportFormat(text('# Review of health services\n\n1.1 Early help was good.\n'), 'report.md'),
    'text',
  );
  assert.equal(
    detectReportFormat(text('\uFEFFReview of health services, Rotherham\nRecommendations\n'), 'report.txt'),
    'text',
  );
});

test('a CSV is a plan by its name or by its rows, and text that is not a table is not', () => {
  const rows = text(
    'Number,Recommendation,Action\n1.1,"Ensure that staff, all of them, ' +
      'are trained",Train staff\n1.2,Audit,Run an audit\n',
  );
  assert.equal(detectPlanFormat(rows, 'plan.csv'), 'csv');
  assert.equal(detectPlanFormat(rows, 'plan.txt'), 'csv');
  assert.equal(detectPlanFormat(text('Number\tAction\n1.1\tTrain staff\n'), 'export'), 'csv');
  assert.equal(detectPlanFormat(text('just one column\n'), 'plan.csv'), 'csv');
  assert.match(
    planRejection(text('Notes from the meeting.\nWe agreed to train staff, and to audit.\n'), 'notes.txt'),
    /^This is plain text, not a table\. Clasp reads an action plan from/,
  );
});

// ---- Empty and too large ----

test('an empty file is refused with a message saying so', () => {
  assert.equal(reportRejection(new Uint8Array(0)), MESSAGES.empty);
  assert.equal(planRejection(new Uint8Array(0)), MESSAGES.empty);
});

test('a 200 MB file is refused, naming its size and the 25 MB limit', () => {
  assert.equal(
    rejection(() => checkFileSize(200 * MB, 25 * MB)),
    'This file is 200 MB; the largest file Clasp accepts is 25 MB. Check you chose the right file. ' +
      'If you did, make it smaller (for example, save it without pictures) and upload it again.',
  );
  assert.doesNotThrow(() => checkFileSize(25 * MB, 25 * MB));
});

test('the size check runs before anything else looks at the file', () => {
  const message = rejection(() => detectReportFormat(REPORT_PDF, 'report.pdf', 100 * 1024));
  assert.match(message, /^This file is 0\.2 MB; the largest file Clasp accepts is 100 KB\. /);
});

test('sizes are given in MB, a file just over the limit reads as over it', () => {
  assert.equal(formatMegabytes(25 * MB), '25 MB');
  assert.equal(formatMegabytes(25 * MB + 1, 'up'), '25.1 MB');
  assert.equal(formatMegabytes(25 * MB + 1), '25 MB');
  assert.equal(formatMegabytes(MB / 2), '0.5 MB');
  assert.equal(formatMegabytes(1536 * MB), '1,536 MB');
  assert.equal(formatMegabytes(2000), '2 KB');
});

// ---- Password-protected and old Office files ----

test('a password-protected Word or Excel file is refused with how to remove the password', () => {
  const expected =
    'This file is protected with a password. Open it in Word or Excel, ' +
    'remove the password (File > Info > Protect), save it and upload it again.';
  const encrypted = compoundFile(['EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']);
  assert.equal(planRejection(encrypted, 'plan.xlsx'), expected);
  assert.equal(reportRejection(encrypted, 'report.docx'), expected);
  assert.equal(planRejection(compoundFile(['EncryptedPackage']), 'plan.docx'), expected);
});

test('old .doc and .xls files are refused with how to save them in the newer format', () => {
  assert.equal(planRejection(compoundFile(['WordDocument', '1Table']), 'plan.doc'), MESSAGES.oldWord);
  assert.equal(reportRejection(compoundFile(['WordDocument', '1Table']), 'report.doc'), MESSAGES.oldWord);
  assert.equal(planRejection(compoundFile(['Workbook']), 'plan.xls'), MESSAGES.oldExcel);
  assert.match(MESSAGES.oldWord, /File > Save As, pick Word Document \(\.docx\)/);
  assert.match(MESSAGES.oldExcel, /File > Save As, pick Excel Workbook \(\.xlsx\)/);
  assert.equal(planRejection(compoundFile(['__substg1.0_0037001F']), 'message.msg'), MESSAGES.oldOffice);
});

// ---- Damaged zips and zip bombs ----

test('a Word document cut short (an interrupted download) is refused as damaged or incomplete', () => {
  for (const fraction of [0.5, 0.9, 0.999]) {
    const cut = REPORT_DOCX.subarray(0, Math.floor(REPORT_DOCX.length * fraction));
    assert.equal(reportRejection(cut, 'rotherham-2015-cqc-report.docx'), MESSAGES.damagedZip);
  }
  assert.equal(planRejection(PLAN_XLSX.subarray(0, 3000), 'plan.xlsx'), MESSAGES.damagedZip);
});

test('a zip that is not a Word or Excel file is refused as a plain zip, or as damaged when named .docx', async () => {
  const zip = await zipOf({ 'notes.txt': 'minutes', 'word/styles.xml': '<w:styles/>' });
  assert.equal(reportRejection(zip, 'documents.zip'), MESSAGES.plainZip);
  assert.equal(reportRejection(zip, 'report.docx'), MESSAGES.damagedZip);
  const openDocument = await zipOf({
    mimetype: 'application/vnd.oasis.opendocument.text',
    'content.xml': '<office:document-content/>',
  });
  assert.equal(planRejection(openDocument, 'plan.odt'), MESSAGES.openDocument);
});

test('a minimal zip with word/document.xml or xl/workbook.xml is Word or Excel', async () => {
  assert.equal(detectReportFormat(await zipOf({ 'word/document.xml': '<w:document/>' }), 'x'), 'docx');
  assert.equal(detectPlanFormat(await zipOf({ 'xl/workbook.xml': '<workbook/>' }), 'x'), 'xlsx');
  assert.equal(detectPlanFormat(await zipOf({ 'Word/Document.xml': '<w:document/>' }), 'x'), 'docx');
});

test('a zip declaring a huge unpacked size (a zip bomb) is refused before anything is unpacked', async () => {
  const zip = await zipOf({ 'word/document.xml': '<w:document/>', 'word/media/image1.png': 'x' });
  assert.deepEqual(
    readZipDirectory(zip).map((entry) => entry.name),
    ['word/', 'word/document.xml', 'word/media/', 'word/media/image1.png'],
  );
  const bomb = patchDirectory(zip, 24, 0xfff00000);
  assert.equal(reportRejection(bomb, 'report.docx'), MESSAGES.unpacksTooLarge);
  assert.equal(
    MESSAGES.unpacksTooLarge,
    `This file would unpack to more than ${UNPACKED_LIMIT_BYTES / MB} MB, ` +
      'far more than any report or action plan, so Clasp did not open it. Check you chose the right file.',
  );
  const end = Buffer.from(zip);
  end.writeUInt16LE(60_000, end.lastIndexOf('PK\u0005\u0006', undefined, 'latin1') + 10);
  assert.equal(reportRejection(end, 'report.docx'), MESSAGES.tooManyParts);
});

// ---- The wrong kind of document ----

test('a spreadsheet given as a report says which kinds a report can be', () => {
  const expected =
    'This is a spreadsheet, not a report. Clasp reads a CQC report from a PDF, a Word document (.docx), ' +
    'a web page (.html) or a text file (.txt or .md). If this is your action plan, import it as a plan instead.';
  assert.equal(reportRejection(PLAN_XLSX, 'west-sussex-2016-action-plan.xlsx'), expected);
  assert.equal(reportRejection(text('Number,Action\n1.1,Train staff\n'), 'plan.csv'), expected);
  assert.equal(reportRejection(compoundFile(['Workbook']), 'plan.xls'), expected);
});

test('a report given as a plan says which kinds a plan can be', () => {
  assert.equal(
    planRejection(REPORT_PDF, 'rotherham-2015-cqc-report.pdf'),
    'This is a PDF. Clasp reads an action plan from a Word document (.docx), an Excel workbook (.xlsx) ' +
      'or a CSV file (.csv). Open the plan in Word or Excel and save it in one of those formats. ' +
      'If this is the CQC report, import it as a report instead.',
  );
  assert.match(
    planRejection(text('<html><body><table></table></body></html>'), 'plan.htm'),
    /^This is a web page \(HTML\)\. Clasp reads an action plan from/,
  );
});

// ---- Pictures, other binaries and text in the wrong encoding ----

test('a picture is refused as a picture', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
  assert.equal(
    reportRejection(png, 'report.pdf'),
    'This file is a PNG image, not a document. Upload the report or plan itself: ' +
      'a PDF, Word, Excel, web page or text file.',
  );
  assert.match(
    planRejection(Buffer.from('ffd8ffe000104a46494600', 'hex'), 'scan.jpg'),
    /^This file is a JPEG image, not a document\./,
  );
});

test('other binary files are refused as not a document Clasp can read', () => {
  const binary = Buffer.from([0x01, 0x02, 0x00, 0x7f, 0x10, 0x00, 0x00, 0x03, 0x41]);
  assert.equal(
    reportRejection(binary, 'report.txt'),
    'Clasp cannot read this file: it is not a PDF, Word, Excel, web page or text file. Check you chose the right file.',
  );
  assert.match(
    reportRejection(Buffer.from('1f8b0800000000000003', 'hex'), 'report.gz'),
    /^This file is a compressed archive \(\.gz\), not a document\. Take the document out/,
  );
});

const csvSavedExcelWindowsTitle =
  'a CSV saved by Excel on Windows (Windows-1252) is a plan; other text that is not UTF-8 is refused with how ' +
  'to save it as UTF-8';
test(csvSavedExcelWindowsTitle, () => {
  assert.equal(detectPlanFormat(Buffer.from('Number,Action\n1.1,Budget \u00a35,000\n', 'latin1'), 'plan.csv'), 'csv');
  assert.equal(
    reportRejection(Buffer.from('Review of health services \u00a3 in Rotherham\n', 'latin1'), 'report.txt'),
    MESSAGES.notUtf8,
  );
  assert.equal(
    planRejection(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Number,Action\n', 'utf16le')]), 'plan.csv'),
    MESSAGES.utf16,
  );
  assert.equal(reportRejection(Buffer.from('Review of health services\n', 'utf16le'), 'report.txt'), MESSAGES.utf16);
});

test('Rich Text and Office XML files are refused with how to save them as .docx or .xlsx', () => {
  assert.equal(reportRejection(text('{\\rtf1\\ansi Review}'), 'report.rtf'), MESSAGES.richText);
  assert.match(
    planRejection(
      text('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'),
      'plan.xml',
    ),
    /^This is an Excel XML spreadsheet\./,
  );
  assert.match(
    reportRejection(
      text('<?xml version="1.0"?>\n<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"/>'),
      'r.xml',
    ),
    /^This is a Word XML document\./,
  );
  assert.equal(
    detectReportFormat(
      text('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'),
      'r.xhtml',
    ),
    'html',
  );
});

// ---- Encrypted PDFs ----

test('an encryption dictionary in a PDF trailer or cross-reference stream is noticed', () => {
  const trailer = text(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R /Encrypt 5 0 R /ID [<00><00>] ' +
      '>>\n%%EOF\n',
  );
  assert.equal(pdfIsEncrypted(trailer), true);
  const xrefStream = text(
    '%PDF-1.7\n9 0 obj\n<< /Type /XRef /Size 10 /Encrypt 8 0 R /Length 3 >>\nstream\nabc\nendstream\nendobj\n%%EOF\n',
  );
  assert.equal(pdfIsEncrypted(xrefStream), true);
  assert.equal(pdfIsEncrypted(REPORT_PDF), false);
  assert.equal(detectReportFormat(trailer, 'report.pdf'), 'pdf');
});
