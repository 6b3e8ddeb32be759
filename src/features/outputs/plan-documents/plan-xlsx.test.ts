import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { readPlanFile } from '../../imports/plan/index.ts';
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import { demoSnapshot, expectedImport, imported } from '../../../../test/helpers/plan-round-trip.ts';
import { cellText, EXCEL_CELL_LIMIT, planToXlsx } from './plan-xlsx.ts';

const demo = demoSnapshot;

async function open(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return workbook;
}

function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = workbook.getWorksheet(name);
  assert.ok(found, `sheet ${name}`);
  return found;
}

function headers(ws: ExcelJS.Worksheet): string[] {
  return (ws.getRow(1).values as unknown[]).slice(1).map(String);
}

/** The cell under a header, on a 1-based sheet row. */
function at(ws: ExcelJS.Worksheet, row: number, header: string): ExcelJS.Cell {
  const column = headers(ws).indexOf(header) + 1;
  assert.ok(column > 0, `column ${header}`);
  return ws.getRow(row).getCell(column);
}

const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);
// ExcelJS types a cell's fill as always set, but a cell never filled (such as Z1 below) has none.
const fillOf = (cell: { fill?: ExcelJS.Fill }) => (cell.fill?.type === 'pattern' ? cell.fill.fgColor?.argb : undefined);

test('four sheets; the action plan has the headings, one row per action, a frozen header and filters', async () => {
  const s = demo();
  const wb = await open(await planToXlsx(s));
  assert.deepEqual(
    wb.worksheets.map((w) => w.name),
    ['Action plan', 'Progress', 'Evidence', 'About'],
  );
  const ws = sheet(wb, 'Action plan');
  assert.deepEqual(headers(ws), [
    'Recommendation number',
    'Recommendation',
    'Addressed to',
    'Findings (See …)',
    'Outcome',
    'Anticipated evidence',
    'Responsible officer',
    'Label',
    'Agency/service',
    'Taking part',
    'SMART action',
    'Lead officer',
    'Date of action',
    'Complete by',
    'Originally agreed',
    'Times moved',
    'Measure (how we will know)',
    'Assurance',
    'BRAG rating',
    'Rating status',
    'Rating agreed by',
    'Rating agreed on',
    'Rating agreed at',
    'Rating: lasting assurance',
    'Rating: fresh evidence due',
    'Rating basis: accepted evidence',
    'Progress',
    'Evidence items',
    'Last updated',
    'Exceptions',
  ]);
  assert.equal(s.actions.length, 93);
  assert.equal(ws.rowCount, 1 + 93);
  assert.equal(ws.getRow(1).getCell(1).font.bold, true);
  assert.equal(ws.views[0]?.state, 'frozen');
  assert.deepEqual([ws.views[0].xSplit, ws.views[0].ySplit], [1, 1]);
  assert.equal(ws.autoFilter, 'A1:AD94');
  assert.equal(ws.getColumn(11).width, 60);
  assert.equal(at(ws, 2, 'SMART action').alignment.wrapText, true);
});

test('the first action row holds every field, with real date cells', async () => {
  const s = demo();
  const ws = sheet(await open(await planToXlsx(s)), 'Action plan');
  const cell = (header: string) => at(ws, 2, header).value;
  assert.equal(cell('Recommendation number'), '1.1');
  assert.match(at(ws, 2, 'Recommendation').text, /^Work with GPs to ensure/);
  assert.equal(cell('Addressed to'), 'NHS England & Rotherham CCG should:');
  assert.equal(cell('Findings (See …)'), '(See 3.3 3.4 3.5)');
  assert.match(at(ws, 2, 'Outcome').text, /^All Rotherham GP's will be aware/);
  assert.match(at(ws, 2, 'Anticipated evidence').text, /^Intercollegiate Document/);
  assert.equal(cell('Label'), 'Action 1 of recommendation 1.1');
  assert.equal(cell('Agency/service'), 'RCCG/NHS England Independent Providers');
  assert.equal(
    cell('Taking part'),
    'NHS England\nNHS Rotherham Clinical Commissioning Group\nGP practices in Rotherham',
  );
  assert.equal(cell('Lead officer'), 'Named GP and GP Practice Safeguarding Leads and deputies');
  assert.equal(cell('Date of action'), 'Completed 28 July 2015 29 September 2015');
  assert.deepEqual(cell('Complete by'), utc('2015-09-29'));
  assert.equal(at(ws, 2, 'Complete by').numFmt, 'd mmmm yyyy');
  assert.equal(cell('Rating status'), 'Agreed');
  assert.equal(cell('Rating agreed by'), 'Peer challenge group');
  assert.deepEqual(cell('Rating agreed on'), utc('2015-10-22'));
  assert.equal(cell('Rating basis: accepted evidence'), 1);
  assert.equal(
    cell('Progress'),
    '11 August 2015 – Evidence- email from NHS Rotherham CCG Named GP Safeguarding All GP Practices to have ' +
      'access to Intercollegiate 2014 expectations - evidence PM forum agenda\n' +
      '29 September 2015 – Key messages on a single health record, ' +
      'safe storage of records and information governance given at the Practice Managers Forum on 28 July and ' +
      '29 September 2015.',
  );
  assert.deepEqual(cell('Last updated'), utc('2015-09-29'));
  // Action 2 of 1.1 has exceptions in the demo; they are on its row. Its words name a day before the
  // review began, so it has no due date: it is not overdue, and not SMART.
  assert.equal(at(ws, 3, 'Complete by').value, null);
  assert.equal(
    at(ws, 3, 'Exceptions').text,
    'No progress recorded since 11 August 2015 (355 days; the limit is 90).\n' +
      'Not SMART: the date "Safeguarding PLT 6 November 2014" gives no due date.',
  );
});

const eachRatingCellFilledTitle =
  'each rating cell is filled with its colour, in a readable text colour, and says the rating in words';
test(eachRatingCellFilledTitle, async () => {
  const s = demo();
  const ws = sheet(await open(await planToXlsx(s)), 'Action plan');
  const expected = {
    blue: ['Blue: completed', 'FF005EB8', 'FFFFFFFF'],
    green: ['Green: on target', 'FF007F3B', 'FFFFFFFF'],
    amber: ['Amber: off target with remedial action', 'FFFFB81C', 'FF212B32'],
    red: ['Red: not yet planned, started or progressed', 'FFD5281B', 'FFFFFFFF'],
    none: ['Not rated', 'FFD8DDE0', 'FF212B32'],
  };
  const seen = new Set<string>();
  s.actions.forEach((action, i) => {
    const cell = at(ws, i + 2, 'BRAG rating');
    const [words, fill, font] = expected[action.rating ?? 'none'];
    assert.deepEqual([cell.value, fillOf(cell), cell.font.color?.argb], [words, fill, font], action.label);
    seen.add(action.rating ?? 'none');
  });
  assert.equal(seen.size, 5, 'the demo has every rating and unrated actions');
  const disputed = s.actions.findIndex((a) => a.disputed);
  assert.equal(at(ws, disputed + 2, 'Rating status').value, 'Agreed (disputed)');
});

test('the Progress sheet has one row per entry and the Evidence sheet one per item, with date cells', async () => {
  const s = demo();
  const wb = await open(await planToXlsx(s));
  const progress = sheet(wb, 'Progress');
  assert.deepEqual(headers(progress), ['Recommendation', 'Action', 'Dated', 'Progress', 'Recorded by']);
  assert.equal(progress.rowCount, 1 + s.actions.reduce((n, a) => n + a.progress.length, 0));
  assert.equal(progress.rowCount, 1 + 189);
  assert.deepEqual((progress.getRow(3).values as unknown[]).slice(1), [
    '1.1',
    'Action 1 of recommendation 1.1',
    utc('2015-09-29'),
    'Key messages on a single health record, safe storage of records and information governance given at the ' +
      'Practice Managers Forum on 28 July and 29 September 2015.',
    'Named GP and GP Practice Safeguarding Leads and deputies',
  ]);
  assert.equal(progress.autoFilter, 'A1:E190');

  const evidence = sheet(wb, 'Evidence');
  assert.deepEqual(headers(evidence), [
    'Recommendation',
    'Action',
    'Title',
    'Kind',
    'Dated',
    'Decision',
    'Decided by',
    'Decided on',
    'Reason',
    'File name',
    'Size (bytes)',
    'SHA-256',
    'Link or note',
    'Added by',
    'Added on',
  ]);
  assert.equal(evidence.rowCount, 1 + 85);
  const row = (header: string) => at(evidence, 2, header).value;
  assert.deepEqual(
    ['Title', 'Kind', 'Dated', 'Decision', 'Decided by', 'Decided on', 'File name', 'Size (bytes)', 'Added on'].map(
      row,
    ),
    [
      'Practice Managers Forum minutes, 29 September 2015',
      'File',
      utc('2015-09-29'),
      'Accepted',
      'Peer challenge group',
      utc('2015-10-22'),
      '1-1-1-1-practice-managers-forum-minutes-29-september-2015.txt',
      378,
      utc('2015-09-29'),
    ],
  );
  assert.equal(row('SHA-256'), 'e675b95b91351e5b3f4b80f55b40f41dae474ce0f51c97782f17fc16c508c6fa');
  const decisions = new Set<unknown>();
  evidence.eachRow((r, n) => {
    if (n > 1) decisions.add(r.getCell(6).value);
  });
  assert.deepEqual([...decisions].sort(), ['Accepted', 'Rejected', 'Submitted']);
  const link = s.actions.flatMap((a) => a.evidence).findIndex((e) => e.kind === 'link');
  assert.match(at(evidence, link + 2, 'Link or note').text, /^https?:\/\//);
});

test('the About sheet gives the review, the version and the rating key in colour', async () => {
  const ws = sheet(await open(await planToXlsx(demo())), 'About');
  const rows = new Map<string, ExcelJS.Row>();
  ws.eachRow((row) => rows.set(row.getCell(1).text, row));
  assert.equal(
    rows.get('Review')?.getCell(2).value,
    'Review of health services for Children Looked After and Safeguarding in Rotherham',
  );
  assert.equal(rows.get('Report published')?.getCell(2).value, '14 July 2015');
  assert.equal(
    rows.get('Version')?.getCell(2).value,
    'Not an issued version: the plan as it stood on 23 November 2026',
  );
  assert.equal(rows.get('Blue')?.getCell(2).value, 'Completed');
  assert.equal(fillOf(rows.get('Blue')?.getCell(1) ?? ws.getCell('Z1')), 'FF005EB8');
  assert.equal(fillOf(rows.get('Red')?.getCell(1) ?? ws.getCell('Z1')), 'FFD5281B');
});

test('the same snapshot gives the same bytes, stamped with the time it was taken', async () => {
  const s = demo();
  const first = await planToXlsx(s);
  await new Promise((resolve) => setTimeout(resolve, 1100)); // a later second, which a live timestamp would show
  const second = await planToXlsx(s);
  assert.ok(first.equals(second));
  const wb = await open(first);
  assert.equal(
    wb.title,
    'Review of health services for Children Looked After and Safeguarding in Rotherham: action plan',
  );
  assert.deepEqual([wb.created, wb.modified], [new Date(s.takenAt), new Date(s.takenAt)]);
  const core = await (await JSZip.loadAsync(first)).file('docProps/core.xml')?.async('string');
  assert.match(core ?? '', /<dcterms:created[^>]*>2026-11-23T09:00:00Z</);
  assert.match(core ?? '', /<dcterms:modified[^>]*>2026-11-23T09:00:00Z</);
});

test('round trip: the importer reads back the same recommendations, actions, dates, ratings and progress', async () => {
  const s = demo();
  const draft = await readPlanFile(new Uint8Array(await planToXlsx(s)), 'xlsx');
  assert.deepEqual(imported(draft), expectedImport(s));
  assert.equal(draft.scale, 'BRAG');
  assert.deepEqual(draft.unplaced, []);
  // The columns the importer leaves alone: those it works out again. "Addressed to" gives each
  // group its heading. Nothing else is imported twice, and nothing raises a warning.
  assert.deepEqual(
    draft.columns.filter((c) => c.field === 'ignore').map((c) => c.header),
    [
      'Label',
      'Originally agreed',
      'Times moved',
      'Rating agreed at',
      'Rating: lasting assurance',
      'Rating: fresh evidence due',
      'Rating basis: accepted evidence',
      'Last updated',
      'Exceptions',
    ],
  );
  assert.equal(draft.columns.find((c) => c.header === 'Addressed to')?.field, 'addressedTo');
  assert.deepEqual(
    draft.groups.map((g) => [g.number, g.heading]),
    s.groups.map((g) => [String(g.number), g.heading]),
  );
  assert.deepEqual(draft.warnings, []);
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
      findingNumbers: ['1.2', '4.10'],
    },
  ];
  s.actions = [
    {
      ...first,
      recommendationId: rec.id,
      action: '=HYPERLINK("https://example.org","Open")',
      lead: '@Named nurse, "lead"',
      rating: 'green',
      ratingStatus: 'proposed',
      disputed: true,
      agreedBy: null,
      agreedOn: null,
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

test('edge cases: RAG heading and key, an unrated action, empty sheets, formula-like text kept as text', async () => {
  const s = edgeCase();
  const wb = await open(await planToXlsx(s));
  const ws = sheet(wb, 'Action plan');
  assert.equal(ws.rowCount, 3);
  assert.equal(at(ws, 2, 'RAG rating').value, 'Green: completed');
  assert.equal(fillOf(at(ws, 2, 'RAG rating')), 'FF007F3B');
  assert.equal(at(ws, 2, 'Rating status').value, 'Proposed (disputed)');
  assert.deepEqual([at(ws, 3, 'RAG rating').value, fillOf(at(ws, 3, 'RAG rating'))], ['Not rated', 'FFD8DDE0']);
  assert.equal(at(ws, 3, 'Rating status').value, 'Not rated');
  assert.deepEqual(
    [at(ws, 3, 'Progress').value, at(ws, 3, 'Last updated').value, at(ws, 3, 'Complete by').value],
    [null, null, null],
  );
  const formula = at(ws, 2, 'SMART action');
  assert.equal(formula.type, ExcelJS.ValueType.String);
  assert.equal(formula.value, '=HYPERLINK("https://example.org","Open")');
  assert.equal(at(ws, 2, 'Recommendation').value, 'Make sure "every" child, in care or not,\nhas a health plan.');
  assert.equal(at(ws, 2, 'Findings (See …)').value, '(See 1.2 4.10)');
  assert.equal(sheet(wb, 'Progress').rowCount, 2);
  assert.equal(sheet(wb, 'Evidence').rowCount, 1);
  assert.equal(sheet(wb, 'Evidence').autoFilter, 'A1:O1');
  const keys: unknown[] = [];
  sheet(wb, 'About').eachRow((row) => keys.push(row.getCell(1).value));
  assert.ok(keys.includes('RAG rating key') && keys.includes('Green') && !keys.includes('Blue'));

  const draft = await readPlanFile(new Uint8Array(await planToXlsx(s)), 'xlsx');
  assert.deepEqual(imported(draft), expectedImport(s));
  assert.equal(draft.scale, 'RAG');
});

const textCellCannotHoldTitle =
  'text a cell cannot hold is made safe: control characters dropped, over-long text shortened with a note';
test(textCellCannotHoldTitle, async () => {
  assert.equal(cellText('a\u0000b\u0007c\td\ne'), 'abc\td\ne');
  assert.equal(cellText('lone \uD800 half, \uFFFE, whole 😀'), 'lone \uFFFD half, , whole 😀');
  const cut = cellText(`${'y'.repeat(EXCEL_CELL_LIMIT - 95)}😀😀😀😀`);
  assert.ok(
    cut.length <= EXCEL_CELL_LIMIT && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut),
    'no half of a pair is left at the cut',
  );
  const s = edgeCase();
  const [first] = s.actions;
  assert.ok(first);
  first.action = 'Bell\u0007 rung';
  first.progress = [{ id: 1, on: '2016-03-01', text: 'x'.repeat(40_000), author: 'Jo' }];
  const ws = sheet(await open(await planToXlsx(s)), 'Action plan');
  assert.equal(at(ws, 2, 'SMART action').value, 'Bell rung');
  const progress = at(ws, 2, 'Progress').text;
  assert.equal(progress.length, EXCEL_CELL_LIMIT);
  assert.match(progress, /shortened: an Excel cell holds at most 32,767 characters/);
});
