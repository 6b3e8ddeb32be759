import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { ImportRejected } from '../errors.ts';
import type { SourceBlock } from './model.ts';
import { readXlsx } from './xlsx.ts';

async function bytesOf(book: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await book.xlsx.writeBuffer());
}

function tables(blocks: SourceBlock[]) {
  return blocks.flatMap((b) => (b.type === 'table' ? [b] : []));
}

const cellsReadShownRichTitle =
  'cells read as shown: rich text joined, formulas by their result, hyperlinks by their text, numbers as formatted';
test(cellsReadShownRichTitle, async () => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Plan');
  sheet.getCell('A1').value = {
    richText: [{ text: 'Deliver ' }, { font: { bold: true }, text: 'level 3' }, { text: ' training' }],
  };
  sheet.getCell('B1').value = { formula: 'CONCATENATE("Named"," GP")', result: 'Named GP' };
  sheet.getCell('C1').value = { text: 'Audit report', hyperlink: 'https://example.org/audit' };
  sheet.getCell('D1').value = 2.1;
  sheet.getCell('E1').value = 4.1;
  sheet.getCell('E1').numFmt = '0.00';
  sheet.getCell('F1').value = 'First line\r\nSecond  line';
  const doc = await readXlsx(await bytesOf(book));
  assert.deepEqual(
    tables(doc.blocks)[0]?.rows[0]?.cells.map((c) => c.text),
    ['Deliver level 3 training', 'Named GP', 'Audit report', '2.1', '4.10', 'First line\nSecond line'],
  );
});

test('date cells give their ISO date and a readable text; a month format shows no day', async () => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Plan');
  sheet.getCell('A1').value = new Date(Date.UTC(2016, 0, 31));
  sheet.getCell('A1').numFmt = 'dd/mm/yyyy';
  sheet.getCell('B1').value = new Date(Date.UTC(2017, 2, 1));
  sheet.getCell('B1').numFmt = 'mmm-yy';
  sheet.getCell('C1').value = { formula: 'DATE(2016,9,30)', result: new Date(Date.UTC(2016, 8, 30)) };
  sheet.getCell('C1').numFmt = 'd mmmm yyyy';
  const doc = await readXlsx(await bytesOf(book));
  assert.deepEqual(
    tables(doc.blocks)[0]?.rows[0]?.cells.map((c) => [c.text, c.date]),
    [
      ['31 January 2016', '2016-01-31'],
      ['March 2017', '2017-03-01'],
      ['30 September 2016', '2016-09-30'],
    ],
  );
});

const fillColoursComeRgbTitle =
  'fill colours come from RGB, theme colours with their tint, and the indexed palette; white and no fill are none';
test(fillColoursComeRgbTitle, async () => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Plan');
  const fills: [string, Partial<ExcelJS.Color> & { tint?: number; indexed?: number }][] = [
    ['A1', { argb: 'FF00B050' }],
    ['B1', { theme: 9 }], // accent6 of the workbook's theme: orange F79646
    ['C1', { theme: 9, tint: 0.4 }],
    ['D1', { indexed: 10 }], // red in the legacy palette
    ['E1', { argb: 'FFFFFFFF' }],
  ];
  for (const [address, colour] of fills) {
    sheet.getCell(address).value = 'x';
    sheet.getCell(address).fill = { type: 'pattern', pattern: 'solid', fgColor: colour };
  }
  sheet.getCell('F1').value = 'no fill';
  const doc = await readXlsx(await bytesOf(book));
  assert.deepEqual(
    tables(doc.blocks)[0]?.rows[0]?.cells.map((c) => c.fill),
    ['00B050', 'F79646', 'FAC090', 'FF0000', null, null],
  );
});

test('merged cells: across columns one cell with a span; down rows the same words on each row', async () => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Action plan');
  sheet.getCell('A1').value = '1. NHS England and Anytown CCG should:';
  sheet.mergeCells('A1:C1');
  sheet.getCell('A2').value = '1.1';
  sheet.getCell('B2').value = 'First action';
  sheet.getCell('B3').value = 'Second action';
  sheet.getCell('C2').value = 'Named GP';
  sheet.mergeCells('A2:A3');
  const doc = await readXlsx(await bytesOf(book));
  const [table] = tables(doc.blocks);
  assert.equal(table?.name, 'Action plan');
  assert.deepEqual(
    table.rows.map((r) => r.cells.map((c) => [c.text, c.span])),
    [
      [['1. NHS England and Anytown CCG should:', 3]],
      [
        ['1.1', 1],
        ['First action', 1],
        ['Named GP', 1],
      ],
      [
        ['1.1', 1],
        ['Second action', 1],
        ['', 1],
      ],
    ],
  );
  assert.deepEqual(
    table.rows.map((r) => r.source),
    ['sheet Action plan, row 1', 'sheet Action plan, row 2', 'sheet Action plan, row 3'],
  );
});

test('a cell merged down is marked on the rows below its top; a row of only such cells adds nothing', async () => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Plan');
  sheet.getCell('A1').value = '3.1 Improve triage.';
  sheet.getCell('C1').value = 'Add a triage prompt.';
  sheet.getCell('C2').value = 'Train reception staff.';
  sheet.mergeCells('A1:B4'); // the number and text, across two columns and down four rows
  sheet.getCell('D1').value = 'Named nurse';
  sheet.mergeCells('D1:D2');
  sheet.getCell('C4').value = 'Audit the records.';
  const doc = await readXlsx(await bytesOf(book));
  const [table] = tables(doc.blocks);
  assert.deepEqual(
    table?.rows.map((r) => [r.source, r.cells.map((c) => [c.text, c.span, c.mergedFromAbove === true])]),
    [
      [
        'sheet Plan, row 1',
        [
          ['3.1 Improve triage.', 2, false],
          ['Add a triage prompt.', 1, false],
          ['Named nurse', 1, false],
        ],
      ],
      [
        'sheet Plan, row 2',
        [
          ['3.1 Improve triage.', 2, true],
          ['Train reception staff.', 1, false],
          ['Named nurse', 1, true],
        ],
      ],
      // Row 3 holds only the merged number and text: nothing of its own.
      [
        'sheet Plan, row 4',
        [
          ['3.1 Improve triage.', 2, true],
          ['Audit the records.', 1, false],
          ['', 1, false],
        ],
      ],
    ],
  );
});

test('a heading merged across the whole width of the sheet is read as one cell, not refused', async () => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Plan');
  sheet.getCell('A1').value = 'Number';
  sheet.getCell('B1').value = 'Action';
  sheet.getCell('A2').value = '1. NHS England and Anytown CCG should:';
  sheet.mergeCells('A2:XFD2'); // the row selected whole and merged
  sheet.getCell('A3').value = '1.1';
  sheet.getCell('B3').value = 'Train staff.';
  const doc = await readXlsx(await bytesOf(book));
  const [table] = tables(doc.blocks);
  assert.deepEqual(
    table?.rows.map((r) => r.cells.filter((c) => c.text !== '').map((c) => c.text)),
    [['Number', 'Action'], ['1. NHS England and Anytown CCG should:'], ['1.1', 'Train staff.']],
  );
});

test('a merge reaching to the last row and column of the sheet is read as far as the sheet has rows', async () => {
  // A few bytes that would otherwise make a billion merged cells.
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Plan');
  sheet.getCell('A1').value = 'Number';
  sheet.getCell('B1').value = 'Action';
  sheet.getCell('A2').value = '1.1';
  sheet.getCell('B3').value = 'Train staff.';
  sheet.mergeCells('A2:A3');
  const zip = await JSZip.loadAsync(await book.xlsx.writeBuffer());
  const xml = (await zip.file('xl/worksheets/sheet1.xml')?.async('string')) ?? '';
  assert.match(xml, /ref="A2:A3"/);
  zip.file('xl/worksheets/sheet1.xml', xml.replace('ref="A2:A3"', 'ref="A2:XFD1048576"'));
  const doc = await readXlsx(new Uint8Array(await zip.generateAsync({ type: 'nodebuffer' })));
  assert.deepEqual(
    tables(doc.blocks)[0]?.rows.map((r) => [
      r.source,
      r.cells.filter((c) => c.text !== '').map((c) => [c.text, c.span]),
    ]),
    [
      [
        'sheet Plan, row 1',
        [
          ['Number', 1],
          ['Action', 1],
        ],
      ],
      ['sheet Plan, row 2', [['1.1', 200]]],
    ],
  );
});

test('every sheet with content is a table, in workbook order; empty sheets and rows are left out', async () => {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Cover').getCell('A1').value = 'Anytown action plan';
  book.addWorksheet('Empty');
  const plan = book.addWorksheet('Plan');
  plan.getCell('A1').value = 'Action';
  plan.getCell('A4').value = 'Review the policy';
  const doc = await readXlsx(await bytesOf(book));
  assert.deepEqual(
    tables(doc.blocks).map((t) => [t.index, t.name, t.rows.map((r) => r.source)]),
    [
      [0, 'Cover', ['sheet Cover, row 1']],
      [1, 'Plan', ['sheet Plan, row 1', 'sheet Plan, row 4']],
    ],
  );
});

test('the West Sussex workbook reads as one sheet whose heading row is row 5', async () => {
  const doc = await readXlsx(await fs.promises.readFile('test/fixtures/west-sussex-2016-action-plan.xlsx'));
  const [table] = tables(doc.blocks);
  const header = table?.rows.find((r) => r.source === 'sheet Sheet1, row 5');
  assert.deepEqual(header?.cells.map((c) => c.text).slice(0, 6), [
    'Number',
    'Recommendation',
    'Action',
    'Outcomes How will we know when this action is complete',
    'Lead',
    'By When',
  ]);
  const row6 = table?.rows.find((r) => r.source === 'sheet Sheet1, row 6');
  assert.deepEqual(
    row6?.cells.map((c) => c.text).filter((t, i) => i === 0 || i === 5),
    ['2.1', 'Jan-16'],
  );
});

test('a sheet with words beyond column 200 is refused rather than read in part', async () => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Everything');
  sheet.getCell(1, 1).value = 'Action';
  sheet.getCell(1, 250).value = 'Far away';
  await assert.rejects(
    readXlsx(await bytesOf(book)),
    (error: unknown) =>
      error instanceof ImportRejected && /"Everything" has words beyond column 200/.test(error.message),
  );
});

test('files that are not readable workbooks are refused with a message saying what to do', async () => {
  const refusals: [string, Uint8Array][] = [
    ['not a zip', new TextEncoder().encode('Number,Action\n1.1,Train staff\n')],
    [
      'a compound file (password-protected or .xls)',
      new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    ],
    [
      'a truncated workbook',
      new Uint8Array((await fs.promises.readFile('test/fixtures/west-sussex-2016-action-plan.xlsx')).subarray(0, 3000)),
    ],
  ];
  for (const [what, bytes] of refusals) {
    await assert.rejects(readXlsx(bytes), (error: unknown) => {
      assert.ok(error instanceof ImportRejected, what);
      assert.match(error.message, /Excel|\.xlsx/, what);
      return true;
    });
  }
});
