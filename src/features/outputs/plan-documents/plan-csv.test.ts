import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { readPlanFile } from '../../imports/plan/index.ts';
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import { demoSnapshot, expectedImport, imported } from '../../../../test/helpers/plan-round-trip.ts';
import { csvField, defuseFormula, planToCsv } from './plan-csv.ts';
import { planToXlsx } from './plan-xlsx.ts';

const demo = demoSnapshot;

/** The records as a strict RFC 4180 reader sees them (no relaxed quoting). */
function records(bytes: Buffer): string[][] {
  return parse(bytes.toString('utf8'), { bom: true });
}

function field(rows: string[][], row: number, header: string): string | undefined {
  const column = rows[0]?.indexOf(header) ?? -1;
  assert.ok(column >= 0, `column ${header}`);
  return rows[row]?.[column];
}

test('UTF-8 with a byte order mark, CRLF after every record, one record per action', () => {
  const s = demo();
  const bytes = planToCsv(s);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  assert.ok(text.endsWith('\r\n'));
  // Line breaks inside cells are bare LF inside quotes, so every CRLF ends a record.
  assert.equal(text.match(/\r\n/g)?.length, 1 + 93);
  const rows = records(bytes);
  assert.equal(rows.length, 1 + s.actions.length);
  assert.ok(rows.every((r) => r.length === 30));
  assert.ok(text.includes('Findings (See …)'), 'characters beyond ASCII survive as UTF-8');
});

test('the same columns as the Excel action plan sheet', async () => {
  const s = demo();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await planToXlsx(s)) as unknown as ExcelJS.Buffer);
  const excel = (workbook.getWorksheet('Action plan')?.getRow(1).values as unknown[]).slice(1);
  assert.deepEqual(records(planToCsv(s))[0], excel);
});

test('the first action: dates as YYYY-MM-DD, the rating in words, progress one dated entry per line', () => {
  const rows = records(planToCsv(demo()));
  assert.deepEqual(
    [
      'Recommendation number',
      'Findings (See …)',
      'Date of action',
      'Complete by',
      'BRAG rating',
      'Rating status',
      'Rating agreed on',
      'Rating basis: accepted evidence',
      'Last updated',
    ].map((h) => field(rows, 1, h)),
    [
      '1.1',
      '(See 3.3 3.4 3.5)',
      'Completed 28 July 2015 29 September 2015',
      '2015-09-29',
      'Blue: completed',
      'Agreed',
      '2015-10-22',
      '1',
      '2015-09-29',
    ],
  );
  assert.deepEqual(
    field(rows, 1, 'Progress')
      ?.split('\n')
      .map((line) => line.slice(0, 20)),
    ['11 August 2015 – Evi', '29 September 2015 – '],
  );
  assert.equal(field(rows, 2, 'BRAG rating'), 'Not rated');
});

test('a cell starting = + - @ tab or carriage return is kept from running as a formula', () => {
  const cases: [string, string][] = [
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+44 1709 000000', "'+44 1709 000000"],
    ['-2 visits', "'-2 visits"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['Total = 3', 'Total = 3'],
    ["'quoted", "'quoted"],
    ['', ''],
  ];
  for (const [input, output] of cases) assert.equal(defuseFormula(input), output, JSON.stringify(input));
});

test('RFC 4180 quoting: commas, quotes and line breaks are quoted, quotes doubled', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a, b'), '"a, b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('one\ntwo'), '"one\ntwo"');
});

/** A small plan made by hand: RAG, an unrated action without progress or evidence, awkward text. */
function edgeCase(): PlanSnapshot {
  const s = demo();
  const [rec] = s.recommendations;
  const [first, second] = s.actions;
  assert.ok(rec && first && second);
  s.review.ratingScale = 'RAG';
  s.recommendations = [
    {
      ...rec,
      text: 'Make sure "every" child, in care or not,\nhas a health plan.',
      outcome: '=A1 is not a formula here',
      findingNumbers: ['1.2'],
    },
  ];
  s.actions = [
    {
      ...first,
      recommendationId: rec.id,
      action: '=HYPERLINK("https://example.org","Open")',
      lead: '@Named nurse, "lead"',
      measure: '+10% more plans',
      assurance: '-1 missed audits, down to 0',
      rating: 'amber',
      ratingStatus: 'agreed',
      disputed: false,
      progress: [{ id: 1, on: '2016-03-01', text: 'Met the team, "as agreed".\nNext: audit', author: 'Smith, Jo' }],
      evidence: [],
    },
    {
      ...second,
      recommendationId: rec.id,
      action: 'Audit the records',
      dateWords: 'Immediate',
      dueDate: null,
      rating: null,
      ratingStatus: 'none',
      disputed: false,
      agreedBy: null,
      agreedOn: null,
      progress: [],
      evidence: [],
    },
  ];
  s.exceptions = [];
  return s;
}

test('edge cases: awkward text comes back exactly, formula-like cells start with an apostrophe', () => {
  const rows = records(planToCsv(edgeCase()));
  assert.equal(rows.length, 3);
  assert.equal(field(rows, 1, 'Recommendation'), 'Make sure "every" child, in care or not,\nhas a health plan.');
  assert.equal(field(rows, 1, 'Progress'), '1 March 2016 – Met the team, "as agreed".\nNext: audit');
  assert.deepEqual(
    ['SMART action', 'Lead officer', 'Measure (how we will know)', 'Assurance', 'Outcome'].map((h) =>
      field(rows, 1, h),
    ),
    [
      '\'=HYPERLINK("https://example.org","Open")',
      '\'@Named nurse, "lead"',
      "'+10% more plans",
      "'-1 missed audits, down to 0",
      "'=A1 is not a formula here",
    ],
  );
  for (const row of rows) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/);
  assert.deepEqual(
    ['RAG rating', 'Rating status', 'Progress', 'Complete by', 'Last updated'].map((h) => field(rows, 2, h)),
    ['Not rated', 'Not rated', '', '', ''],
  );
  assert.equal(field(rows, 1, 'RAG rating'), 'Amber: in progress or off target');
});

test('round trip: the importer reads back the same recommendations, actions, dates, ratings and progress', async () => {
  const s = demo();
  const draft = await readPlanFile(new Uint8Array(planToCsv(s)), 'csv');
  assert.deepEqual(imported(draft), expectedImport(s));
  assert.equal(draft.scale, 'BRAG');
  assert.deepEqual(draft.unplaced, []);
});

test('round trip of the edge cases: the same, except that the importer keeps the apostrophe guard', async () => {
  const s = edgeCase();
  const draft = await readPlanFile(new Uint8Array(planToCsv(s)), 'csv');
  const expected = expectedImport(s);
  const guard = (text: string | null) => (text === null ? null : defuseFormula(text));
  const guarded = expected.map((r) => ({
    ...r,
    outcomes: r.outcomes.map(defuseFormula),
    actions: r.actions.map((a) => ({
      ...a,
      text: defuseFormula(a.text),
      lead: guard(a.lead),
      measure: guard(a.measure),
      assurance: guard(a.assurance),
    })),
  }));
  assert.deepEqual(imported(draft), guarded);
  assert.equal(draft.scale, 'RAG');
});

test('the same snapshot gives the same bytes', () => {
  assert.ok(planToCsv(demo()).equals(planToCsv(demo())));
});
