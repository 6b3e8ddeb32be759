import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import type { PlanDraft } from '../drafts.ts';
import { ImportRejected } from '../errors.ts';
import { readPlanFile } from './index.ts';
import type { PlanFormat } from './index.ts';

// Made-up plans in the layouts other areas use (test/fixtures/plans/generate.ts writes them):
// other column names and orders, group heading rows, merged cells, bullets, real dates,
// ratings as fill colours only, a row cut by a page break, a CSV export.

const fixture = (name: string) => new Uint8Array(fs.readFileSync(`test/fixtures/plans/${name}`));

function rec(draft: PlanDraft, number: string) {
  const found = draft.recommendations.find((r) => r.number === number);
  assert.ok(found, `recommendation ${number}`);
  return found;
}

test('Excel plan with group heading rows, merged cells, real dates and ratings as colours', async () => {
  const draft = await readPlanFile(fixture('grouped-plan.xlsx'), 'xlsx');
  assert.deepEqual(
    draft.groups.map((g) => [g.number, g.addressees]),
    [
      ['1', ['NHS England', 'Anytown Clinical Commissioning Group']],
      [
        '2',
        [
          'NHS England',
          'Anytown CCG',
          'Rotherham, Doncaster and South Humber NHS Foundation Trust',
          'Anytown Hospitals NHS Foundation Trust',
        ],
      ],
    ],
  );
  assert.deepEqual(
    draft.recommendations.map((r) => [r.number, r.group, r.actions.length]),
    [
      ['1.1', '1', 2],
      ['2.1', '2', 2],
      ['2.2', '2', 2],
    ],
  );

  const r11 = rec(draft, '1.1');
  assert.equal(r11.text, 'Work with GPs to make sure they understand local child protection processes.');
  const [training, audit] = r11.actions;
  assert.deepEqual(training && { ...training, progress: null, source: null }, {
    text: 'Deliver safeguarding training to every GP practice:\n• level 3 for GPs\n• level 2 for practice staff',
    agency: 'Anytown CCG',
    lead: 'Named GP',
    responsibleOfficer: 'Chief Nurse',
    assurance: 'Quarterly report to the safeguarding committee',
    measure: '95% of GPs trained to level 3',
    due: { text: '31 March 2016', date: '2016-03-31' },
    rating: 'green', // the RAG cell is only coloured
    progress: null,
    // A plan not made by Clasp says nothing of agreement, who takes part or evidence items.
    agreement: null,
    takingPart: null,
    evidence: [],
    source: null,
  });
  assert.deepEqual(training?.progress, [
    { date: '2016-10-12', text: '12/10/16 – Training dates booked for November.' },
    { date: '2016-11-15', text: '15/11/16 – 40 of 52 GPs trained.' },
  ]);
  assert.equal(audit?.text, 'Audit GP records of child protection plans');
  assert.deepEqual(audit.due, { text: 'Mar-17', date: '2017-03-31' });
  assert.equal(audit.rating, 'amber');
  assert.deepEqual(audit.progress, [{ date: '2016-10-31', text: 'Update Oct 2016: audit tool agreed.' }]);

  const [pathway, pathwayAudit] = rec(draft, '2.1').actions;
  assert.equal(pathway?.rating, 'amber'); // a theme colour (orange, tinted)
  assert.deepEqual(pathway.due, { text: 'December 2016', date: '2016-12-31' }); // a date cell formatted "mmm-yy"
  assert.equal(pathwayAudit?.lead, 'Paediatric liaison nurse');
  assert.equal(pathwayAudit.rating, 'green'); // "G"
  assert.deepEqual(pathwayAudit.due, { text: 'Autumn 2017', date: '2017-11-30' });

  const r22 = rec(draft, '2.2');
  // repeated on each row, kept once
  assert.equal(r22.text, 'Develop a perinatal mental health pathway that follows NICE guidance.');
  assert.deepEqual(
    r22.actions.map((a) => a.rating),
    ['red', 'green'],
  ); // an indexed colour; "Complete" under a RAG key
  assert.deepEqual(r22.actions[1]?.due, { text: 'Complete', date: null });

  assert.deepEqual(draft.unplaced, [
    {
      source: 'sheet Action plan, row 14',
      text: 'Key: Red = not started; Amber = in progress; Green = complete',
      reason: 'It holds no action, and no recommendation number that could be read.',
    },
  ]);
  assert.ok(
    draft.columns.every((c) => c.table === 1),
    'only the "Action plan" sheet is a plan table',
  );
  assert.deepEqual(
    draft.columns.map((c) => c.field),
    [
      'number',
      'recommendation',
      'action',
      'agency',
      'lead',
      'responsibleOfficer',
      'due',
      'assurance',
      'measure',
      'rating',
      'progress',
    ],
  );
});

const wordPlanOneFlatTitle =
  'Word plan as one flat table: group row, merged cells, bullets, shading, a row cut by a page break, ' +
  'the heading row repeated';
test(wordPlanOneFlatTitle, async () => {
  const draft = await readPlanFile(fixture('flat-plan.docx'), 'docx');
  assert.deepEqual(draft.groups, [
    {
      number: '3',
      heading: 'Anytown CCG and Anytown Community Services NHS Trust should:',
      addressees: ['Anytown CCG', 'Anytown Community Services NHS Trust'],
    },
  ]);
  assert.deepEqual(
    draft.recommendations.map((r) => [r.number, r.group, r.actions.length]),
    [
      ['3.1', '3', 2],
      ['3.2', '3', 2],
    ],
  );

  const [review, audit] = rec(draft, '3.1').actions;
  assert.equal(
    review?.text,
    'Review the school nursing pathway to include:\n• health needs assessment at school entry\n• referral criteria',
  );
  assert.equal(review.rating, 'blue');
  assert.deepEqual(
    review.progress.map((p) => p.date),
    ['2017-01-12', '2017-02-20'],
  );
  assert.equal(
    audit?.text,
    'Audit the pathway in every school nursing team and report the findings to the board and the safeguarding ' +
      'committee.',
  );
  assert.equal(audit.agency, 'Anytown Community Services NHS Trust');
  assert.deepEqual([audit.lead, audit.rating, audit.due?.date], ['Named Nurse', 'amber', '2017-06-30']);

  const [letter, check] = rec(draft, '3.2').actions;
  assert.equal(letter?.lead, 'Designated Nurse\nNamed GP');
  assert.deepEqual([letter.rating, letter.due], ['green', { text: 'Completed 28 July 2016', date: '2016-07-28' }]);
  assert.deepEqual(letter.progress, [
    { date: '2016-08-31', text: 'Update Aug 2016: letter sent to all 40 practices.' },
  ]);
  assert.deepEqual(
    [check?.text, check?.rating, check?.due?.date],
    ['Check that the form is used', 'red', '2016-12-31'],
  );

  assert.deepEqual(
    draft.unplaced.map((u) => [u.source, u.text]),
    [['table 1, row 9', 'Actions for the council are in its own plan.']],
  );
});

test('Word plan in the block template with styled headings, its own column names and ratings as shading', async () => {
  const draft = await readPlanFile(fixture('block-plan.docx'), 'docx');
  assert.deepEqual(
    draft.groups.map((g) => [g.number, g.addressees]),
    [['2', ['Anytown CCG', 'Anytown Hospitals NHS Foundation Trust']]],
  );
  const r21 = rec(draft, '2.1');
  assert.deepEqual(
    [r21.text, r21.findings, r21.outcomes, r21.anticipatedEvidence],
    [
      'Ensure that previous attendances at the emergency department are considered at triage.',
      ['1.6', '1.7', '5.2.1'],
      ['Every child’s previous attendances are checked at triage.'],
      'audit report; triage screen; minutes of the safeguarding committee.',
    ],
  );
  assert.deepEqual(
    r21.actions.map((a) => [a.agency, a.lead, a.due?.date, a.rating]),
    [
      ['Emergency department', 'ED Matron', '2016-09-30', 'red'],
      ['Emergency department', 'Paediatric liaison nurse', '2016-12-31', 'amber'],
    ],
  );
  const [form] = rec(draft, '2.2').actions;
  // "BRAG: Blue" in the progress text
  assert.deepEqual([form?.rating, form?.due], ['blue', { text: 'Immediate', date: null }]);
  // "Outcome:" in a paragraph of its own, the outcome in the next.
  const r23 = rec(draft, '2.3');
  assert.deepEqual([r23.outcomes, r23.findings], [['Fewer children wait more than four hours.'], ['1.10']]);
  // The table goes on after a page break without its heading row.
  assert.deepEqual(
    r23.actions.map((a) => [a.text, a.source, a.rating]),
    [
      ['Audit waiting times every month.', 'table 3, row 2', null],
      ['Report waiting times to the board', 'table 4, row 1', 'green'],
    ],
  );
  // A recommendation heading, its text and its outcome in rows of their own inside a table.
  const r24 = rec(draft, '2.4');
  assert.deepEqual(
    [r24.text, r24.outcomes, r24.actions.map((a) => a.text)],
    [
      'Make sure that children who leave before being seen are followed up.',
      ['Every child who leaves is followed up within a day.'],
      ['Send a list of children who left to the health visitors each day'],
    ],
  );
  assert.deepEqual(draft.unplaced, []);
  assert.deepEqual(draft.warnings, []);
});

test('CSV export: semicolons, a byte order mark, quoted line breaks, two dated entries on one line', async () => {
  const draft = await readPlanFile(fixture('plan.csv'), 'csv');
  assert.deepEqual(
    draft.columns.map((c) => [c.header, c.field]),
    [
      ['Rec no.', 'number'],
      ['Recommendation', 'recommendation'],
      ['Action', 'action'],
      ['Responsible officer', 'responsibleOfficer'],
      ['Lead', 'lead'],
      ['Due date', 'due'],
      ['Status', 'rating'],
      ['Progress', 'progress'],
    ],
  );
  const [guidance, visits] = rec(draft, '1.1').actions;
  assert.deepEqual(
    [guidance?.lead, guidance?.responsibleOfficer, guidance?.due, guidance?.rating],
    ['Named GP', 'Chief Nurse', { text: '31/10/2016', date: '2016-10-31' }, 'green'],
  );
  assert.deepEqual(
    guidance?.progress.map((p) => p.date),
    ['2016-10-12', '2016-11-15'],
  );
  assert.equal(visits?.text, 'Check records at practice visits:\n• child protection plans\n• alerts');
  assert.deepEqual([visits.rating, visits.progress[0]?.text], ['amber', 'Visits booked; £200 set aside for cover.']);
  const [budget] = rec(draft, '1.2').actions;
  assert.deepEqual([budget?.due, budget?.rating, budget?.progress], [{ text: 'TBC', date: null }, null, []]);
});

test('correcting a column changes what is read: lead and responsible officer swapped, a column ignored', async () => {
  const draft = await readPlanFile(fixture('plan.csv'), 'csv', {
    columns: [
      { table: 0, column: 3, field: 'lead' },
      { table: 0, column: 4, field: 'responsibleOfficer' },
      { table: 0, column: 7, field: 'ignore' },
    ],
  });
  const [guidance] = rec(draft, '1.1').actions;
  assert.deepEqual([guidance?.lead, guidance?.responsibleOfficer, guidance?.progress], ['Chief Nurse', 'Named GP', []]);
  assert.deepEqual(
    draft.columns.filter((c) => c.chosen).map((c) => [c.column, c.field]),
    [
      [3, 'lead'],
      [4, 'responsibleOfficer'],
      [7, 'ignore'],
    ],
  );
});

const columnMeansNothingKnownTitle =
  'a column that means nothing known is listed and warned about; a row with words only there is unplaced';
test(columnMeansNothingKnownTitle, async () => {
  const csv = new TextEncoder().encode('Number,Action,Lead,Cost (£)\n1.1,Train staff,Named GP,£200\n,,,£50 more\n');
  const draft = await readPlanFile(csv, 'csv');
  assert.deepEqual(
    draft.columns.map((c) => [c.header, c.field]),
    [
      ['Number', 'number'],
      ['Action', 'action'],
      ['Lead', 'lead'],
      ['Cost (£)', 'ignore'],
    ],
  );
  assert.deepEqual(
    draft.unplaced.map((u) => [u.source, u.text]),
    [['row 3', '£50 more']],
  );
  assert.deepEqual(draft.warnings, [
    'The file gives the numbers of the recommendations but not their texts.',
    'Table 1, column "Cost (£)" was not recognised and will not be imported. Choose what it holds if it matters.',
    '1 row could not be placed in the plan and will not be imported; it is listed with the reason.',
  ]);
});

test('a year for dates written without one, when given', async () => {
  const csv = new TextEncoder().encode('Number,Action,Lead,By when\n1.1,Train staff,Named GP,30 September\n');
  assert.deepEqual(rec(await readPlanFile(csv, 'csv'), '1.1').actions[0]?.due, { text: '30 September', date: null });
  assert.deepEqual(rec(await readPlanFile(csv, 'csv', { referenceYear: 2016 }), '1.1').actions[0]?.due, {
    text: '30 September',
    date: '2016-09-30',
  });
});

async function workbook(rows: (string | number)[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Budget');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

async function rejection(content: Uint8Array, format: PlanFormat): Promise<string> {
  try {
    await readPlanFile(content, format);
  } catch (error) {
    assert.ok(error instanceof ImportRejected, `expected ImportRejected, got ${String(error)}`);
    return error.message;
  }
  assert.fail('the file was not refused');
}

const noPlanRefusedTitle =
  'a spreadsheet, CSV or document with no plan in it is refused, saying what was looked for and what to do';
test(noPlanRefusedTitle, async () => {
  const budget = await workbook([
    ['Cost centre', 'Budget', 'Spent'],
    ['Safeguarding', 120000, 80000],
  ]);
  assert.match(
    await rejection(budget, 'xlsx'),
    new RegExp(
      /^This spreadsheet has no table whose headings look like an action plan: /.source +
        /we looked on every sheet for a row of headings such as Number, Recommendation, Action, Lead/.source +
        /.*add a heading row/.source,
    ),
  );
  assert.match(
    await rejection(new TextEncoder().encode('Name,Email\nA Person,a@example.org\n'), 'csv'),
    /^This CSV file has no table whose headings look like an action plan/,
  );
  const letter = new Uint8Array(
    await Packer.toBuffer(
      new Document({ sections: [{ children: [new Paragraph('Dear colleague, please find the report attached.')] }] }),
    ),
  );
  assert.match(await rejection(letter, 'docx'), /^This document has no action plan that Clasp could find/);
});

test('empty and damaged files are refused with a clear message', async () => {
  assert.match(await rejection(new Uint8Array(), 'xlsx'), /empty/);
  assert.match(
    await rejection(new TextEncoder().encode('not a zip at all'), 'docx'),
    /could not be read as a Word document/,
  );
  assert.match(
    await rejection(fixture('grouped-plan.xlsx').subarray(0, 2000), 'xlsx'),
    /could not be read as an Excel workbook/,
  );
});

// ---- 1,000 actions: parsed whole; the time is printed, not asserted (bench/ measures it) ----

const HEADERS = ['Ref', 'Recommendation', 'Improvement action', 'Lead', 'Timescale', 'RAG', 'Update'];

function largePlanRows(): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < 1000; i++) {
    const number = `${Math.floor(i / 40) + 1}.${Math.floor((i % 40) / 4) + 1}`;
    const first = i % 4 === 0;
    rows.push([
      first ? number : '',
      first ? `Make sure that safeguarding recommendation ${number} is met across the area.` : '',
      `Action ${i + 1}: deliver and audit safeguarding training for team ${i + 1}.`,
      'Named Nurse',
      'Mar-17',
      ['Green', 'Amber', 'Red', 'Blue'][i % 4] ?? '',
      `12/10/16 – Training booked for team ${i + 1}. 15/11/16 – Half the team trained.`,
    ]);
  }
  return rows;
}

test('a generated plan of 1,000 actions is read whole, from Excel and from Word', async (t) => {
  const rows = largePlanRows();
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Plan');
  sheet.addRow(HEADERS);
  for (const row of rows) sheet.addRow(row);
  const xlsx = new Uint8Array(await book.xlsx.writeBuffer());
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const table = new Table({ rows: [HEADERS, ...rows].map((r) => new TableRow({ children: r.map(cell) })) });
  const docx = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [table] }] })));

  for (const [format, content] of [
    ['xlsx', xlsx],
    ['docx', docx],
  ] as const) {
    const started = performance.now();
    const draft = await readPlanFile(content, format);
    const ms = performance.now() - started;
    t.diagnostic(`1,000-action ${format} (${Math.round(content.byteLength / 1024)} KB) parsed in ${Math.round(ms)} ms`);
    assert.equal(draft.recommendations.length, 250);
    assert.equal(
      draft.recommendations.reduce((n, r) => n + r.actions.length, 0),
      1000,
    );
    assert.deepEqual(draft.unplaced, []);
    const last = draft.recommendations.at(-1)?.actions.at(-1);
    assert.deepEqual([last?.rating, last?.due?.date, last?.progress.length], ['blue', '2017-03-31', 2]);
  }
});
