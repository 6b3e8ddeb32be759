import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import JSZip from 'jszip';
import type { PlanDraft } from '../drafts.ts';
import { ImportRejected } from '../errors.ts';
import { readPlanFile } from './index.ts';

// Excel plans as people lay them out: a recommendation's number, text and outcome merged down
// over the rows of its actions, a lead or date merged over several actions, headings merged
// across columns and repeated further down the sheet. Excel keeps a merged cell's value only in
// its top-left cell; every row the merge covers is read as holding it, and what a
// recommendation has once (its number, text, outcome) is read once.

type Value = string | number | null;

/** A workbook with one sheet, its rows from the first, and the merges given ("A2:A4"). */
async function workbook(rows: Value[][], merges: string[] = []): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Plan');
  rows.forEach((values, r) => {
    values.forEach((value, c) => {
      if (value !== null) sheet.getCell(r + 1, c + 1).value = value;
    });
  });
  for (const range of merges) sheet.mergeCells(range);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const HEADINGS = ['Number', 'Recommendation', 'Action', 'Outcome', 'Lead', 'By when', 'RAG'];

/** Each recommendation with its number, text, outcomes and its actions' words. */
function summary(draft: PlanDraft) {
  return draft.recommendations.map((r) => ({
    number: r.number,
    text: r.text,
    outcomes: r.outcomes,
    actions: r.actions.map((a) => [a.text, a.lead, a.due?.text ?? null, a.due?.date ?? null, a.rating]),
  }));
}

test('a number and text merged down over three action rows give one recommendation with three actions', async () => {
  const file = await workbook(
    [
      HEADINGS,
      [
        '3.1',
        'Improve the triage of children.',
        'Add a triage prompt.',
        'Children are triaged',
        'Named nurse',
        'Mar-17',
        'Green',
      ],
      [null, null, 'Train reception staff.', null, 'Practice manager', 'Jun-17', 'Amber'],
      [null, null, 'Audit the records.', null, 'Named GP', 'Sep-17', 'Red'],
      ['3.2', 'Share the audit.', 'Send it to the board.', 'The board knows.', 'Head of quality', 'Dec-17', 'Green'],
    ],
    ['A2:A4', 'B2:B4', 'D2:D4'],
  );
  const draft = await readPlanFile(file, 'xlsx');
  assert.deepEqual(summary(draft), [
    {
      number: '3.1',
      text: 'Improve the triage of children.',
      outcomes: ['Children are triaged'],
      actions: [
        ['Add a triage prompt.', 'Named nurse', 'Mar-17', '2017-03-31', 'green'],
        ['Train reception staff.', 'Practice manager', 'Jun-17', '2017-06-30', 'amber'],
        ['Audit the records.', 'Named GP', 'Sep-17', '2017-09-30', 'red'],
      ],
    },
    {
      number: '3.2',
      text: 'Share the audit.',
      outcomes: ['The board knows.'],
      actions: [['Send it to the board.', 'Head of quality', 'Dec-17', '2017-12-31', 'green']],
    },
  ]);
  assert.deepEqual(draft.warnings, []);
  assert.deepEqual(draft.unplaced, []);
});

test('an outcome merged down is one outcome, even over a row that reads as the rest of the action above', async () => {
  // Row 3 starts in lower case, so it is read as the lower half of the action above (a row cut
  // by a page break); the outcome merged over it is still the same outcome, not a second copy.
  const file = await workbook(
    [
      HEADINGS,
      [
        '4.2',
        'Review the referral pathway.',
        'Map the referral pathway',
        'Referrals are seen within a week',
        'Head of service',
        null,
        null,
      ],
      [null, null, 'and agree it with the trust.', null, null, 'Jan-17', 'Amber'],
      [null, null, 'Publish the pathway.', null, 'Communications lead', 'Mar-17', 'Green'],
    ],
    ['D2:D4'],
  );
  const draft = await readPlanFile(file, 'xlsx');
  assert.deepEqual(summary(draft), [
    {
      number: '4.2',
      text: 'Review the referral pathway.',
      outcomes: ['Referrals are seen within a week'],
      actions: [
        ['Map the referral pathway and agree it with the trust.', 'Head of service', 'Jan-17', '2017-01-31', 'amber'],
        ['Publish the pathway.', 'Communications lead', 'Mar-17', '2017-03-31', 'green'],
      ],
    },
  ]);
  assert.deepEqual(draft.warnings, []);
});

test('a merge that starts mid-table; a lead, date and rating merged over several actions belong to each', async () => {
  const file = await workbook(
    [
      HEADINGS,
      [
        '2.1',
        'Agree a self-harm pathway.',
        'Write the pathway.',
        'Children have a plan.',
        'Head of nursing',
        'Dec-16',
        'Green',
      ],
      [
        '2.2',
        'Train staff in the pathway.',
        'Train the ward staff.',
        'Staff know the pathway.',
        'Practice educator',
        'Mar-17',
        'Amber',
      ],
      [null, null, 'Train the emergency department staff.', null, null, null, null],
      [null, null, 'Check who was trained.', null, 'Named nurse', 'Jun-17', 'Green'],
      ['2.3', 'Audit the pathway.', 'Audit 20 records.', 'The pathway is followed.', 'Named nurse', 'Sep-17', 'Red'],
    ],
    ['A3:A5', 'B3:B5', 'D3:D5', 'E3:E4', 'F3:F4', 'G3:G4'],
  );
  const draft = await readPlanFile(file, 'xlsx');
  assert.deepEqual(summary(draft), [
    {
      number: '2.1',
      text: 'Agree a self-harm pathway.',
      outcomes: ['Children have a plan.'],
      actions: [['Write the pathway.', 'Head of nursing', 'Dec-16', '2016-12-31', 'green']],
    },
    {
      number: '2.2',
      text: 'Train staff in the pathway.',
      outcomes: ['Staff know the pathway.'],
      actions: [
        ['Train the ward staff.', 'Practice educator', 'Mar-17', '2017-03-31', 'amber'],
        ['Train the emergency department staff.', 'Practice educator', 'Mar-17', '2017-03-31', 'amber'],
        ['Check who was trained.', 'Named nurse', 'Jun-17', '2017-06-30', 'green'],
      ],
    },
    {
      number: '2.3',
      text: 'Audit the pathway.',
      outcomes: ['The pathway is followed.'],
      actions: [['Audit 20 records.', 'Named nurse', 'Sep-17', '2017-09-30', 'red']],
    },
  ]);
  assert.deepEqual(draft.warnings, []);
});

test('a group heading row merged across the table, then a number and text merged across and down', async () => {
  // The number and text share one cell merged across the Number and Recommendation columns
  // and down over the recommendation's two actions.
  const file = await workbook(
    [
      HEADINGS,
      ['3. NHS England and Anytown CCG should:'],
      [
        '3.1 Make sure GPs understand child protection processes.',
        null,
        'Deliver level 3 training.',
        'GPs refer children at risk.',
        'Named GP',
        'Mar-17',
        'Green',
      ],
      [null, null, 'Audit GP records.', null, 'Named GP', 'Jun-17', 'Amber'],
      ['3.2', 'Share learning from reviews.', 'Hold a learning event.', null, 'Designated nurse', 'Sep-17', 'Amber'],
    ],
    ['A2:G2', 'A3:B4', 'D3:D4'],
  );
  const draft = await readPlanFile(file, 'xlsx');
  assert.deepEqual(
    draft.groups.map((g) => [g.number, g.addressees]),
    [['3', ['NHS England', 'Anytown CCG']]],
  );
  assert.deepEqual(
    draft.recommendations.map((r) => [r.number, r.group, r.text, r.outcomes, r.actions.map((a) => a.text)]),
    [
      [
        '3.1',
        '3',
        'Make sure GPs understand child protection processes.',
        ['GPs refer children at risk.'],
        ['Deliver level 3 training.', 'Audit GP records.'],
      ],
      ['3.2', '3', 'Share learning from reviews.', [], ['Hold a learning event.']],
    ],
  );
  assert.deepEqual(draft.warnings, []);
});

const mergedActionTitle =
  'an action merged down over two rows is one action with both rows’ dates and progress, and no warning';
test(mergedActionTitle, async () => {
  const file = await workbook(
    [
      ['Number', 'Recommendation', 'Action', 'Lead', 'By when', 'Progress'],
      ['5.1', 'Audit supervision.', 'Audit supervision records.', 'Named nurse', 'Mar-17', 'Audit tool agreed.'],
      [null, null, null, null, 'Sep-17', 'Second audit booked.'],
      ['5.2', 'Review the policy.', 'Rewrite the policy.', 'Head of quality', 'Jun-17', 'Draft written.'],
      [null, null, null, null, null, 'Draft shared with the board.'],
    ],
    // 5.1: its action and lead over two rows, each with a date of its own. 5.2: its date too.
    ['A2:A3', 'B2:B3', 'C2:C3', 'D2:D3', 'A4:A5', 'B4:B5', 'C4:C5', 'D4:D5', 'E4:E5'],
  );
  const draft = await readPlanFile(file, 'xlsx');
  const actions = draft.recommendations.map((r) =>
    r.actions.map((a) => [a.text, a.lead, a.due, a.progress.map((p) => p.text)]),
  );
  assert.deepEqual(actions, [
    [
      [
        'Audit supervision records.',
        'Named nurse',
        { text: 'Mar-17\nSep-17', date: '2017-09-30' }, // the later of the two, not "17 Sep-17"
        ['Audit tool agreed.\nSecond audit booked.'],
      ],
    ],
    [
      [
        'Rewrite the policy.',
        'Head of quality',
        { text: 'Jun-17', date: '2017-06-30' },
        ['Draft written.\nDraft shared with the board.'],
      ],
    ],
  ]);
  assert.deepEqual(draft.warnings, []);
});

const repeatedHeadingTitle =
  'a heading row repeated further down the sheet, with a heading merged across two columns, is skipped';
test(repeatedHeadingTitle, async () => {
  const headings = ['Number', 'Recommendation', 'Action', 'Lead', 'By when', 'Progress', null];
  const file = await workbook(
    [
      headings,
      ['1.1', 'Improve triage.', 'Add a triage prompt.', 'Named nurse', 'Mar-17', 'Prompt live.', 'Audit due.'],
      headings,
      ['1.2', 'Share the audit.', 'Send the audit to the board.', 'Head of quality', 'Jan-17', 'Sent.', null],
    ],
    ['F1:G1', 'F3:G3'],
  );
  const draft = await readPlanFile(file, 'xlsx');
  assert.deepEqual(
    draft.recommendations.map((r) => [r.number, r.actions.map((a) => [a.text, a.progress.map((p) => p.text)])]),
    [
      ['1.1', [['Add a triage prompt.', ['Prompt live.', 'Audit due.']]]],
      ['1.2', [['Send the audit to the board.', ['Sent.']]]],
    ],
  );
  assert.deepEqual(draft.unplaced, []);
  assert.deepEqual(draft.warnings, []);
});

// ---- Fuzzing: merges anywhere over a plan, in the style of ../fuzz.test.ts ----

const SEED = Number(process.env.FUZZ_SEED ?? 20150714);
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

const PLAN: Value[][] = [
  ['Anytown action plan'],
  HEADINGS,
  ['1. NHS England and Anytown CCG should:'],
  ['1.1', 'Improve triage.', 'Add a triage prompt.', 'Children are triaged', 'Named nurse', 'Mar-17', 'Green'],
  [null, null, 'Train reception staff.', null, 'Practice manager', 'Jun-17', 'Amber'],
  [
    '1.2',
    'Share the audit.',
    'Send the audit to the board.',
    'The board knows.',
    'Head of quality',
    'Mar-17\nMar-17',
    'G',
  ],
  [null, null, 'audit again in a year.', null, null, 'Sep-17', null],
  ['2.1', 'Agree a pathway.', 'Write the pathway.', 'Children have a plan.', 'Head of nursing', 'Dec-16', 'Red'],
  [null, null, 'Publish the pathway.', null, 'Communications lead', null, 'Blue'],
];
const ROWS = PLAN.length;
const COLUMNS = HEADINGS.length;

/** Merges that do not overlap, each given by its top-left cell and its size, clipped to the plan. */
const merges = fc
  .array(
    fc.record({
      top: fc.integer({ min: 1, max: ROWS }),
      left: fc.integer({ min: 1, max: COLUMNS }),
      height: fc.integer({ min: 1, max: 4 }),
      width: fc.integer({ min: 1, max: 3 }),
    }),
    { maxLength: 8 },
  )
  .map((wanted) => {
    const taken = new Set<string>();
    const ranges: string[] = [];
    for (const m of wanted) {
      const bottom = Math.min(ROWS, m.top + m.height - 1);
      const right = Math.min(COLUMNS, m.left + m.width - 1);
      const cells: string[] = [];
      for (let r = m.top; r <= bottom; r++) for (let c = m.left; c <= right; c++) cells.push(`${r},${c}`);
      if (cells.length < 2 || cells.some((cell) => taken.has(cell))) continue;
      for (const cell of cells) taken.add(cell);
      const letter = (c: number) => String.fromCharCode(64 + c);
      ranges.push(`${letter(m.left)}${m.top}:${letter(right)}${bottom}`);
    }
    return ranges;
  });

const mergesAnywhereTitle =
  'merges anywhere over a plan give a draft or a plain refusal, each outcome once ' + `(seed ${SEED}, ${RUNS} runs)`;
test(mergesAnywhereTitle, async () => {
  const property = fc.asyncProperty(merges, async (ranges) => {
    let draft: PlanDraft;
    try {
      draft = await readPlanFile(await workbook(PLAN, ranges), 'xlsx');
    } catch (error) {
      assert.ok(error instanceof ImportRejected, `expected ImportRejected, got ${String(error)}`);
      assert.doesNotMatch(error.message, /\n|undefined|Error:/u);
      return;
    }
    const numbers = draft.recommendations.map((r) => r.number).filter((n) => n !== '');
    assert.equal(new Set(numbers).size, numbers.length, `a recommendation read twice: ${numbers.join(', ')}`);
    for (const rec of draft.recommendations) {
      for (const outcome of rec.outcomes) {
        const once = outcome.replace(/\s+/g, ' ');
        for (const known of ['Children are triaged', 'The board knows.', 'Children have a plan.'])
          assert.ok(once.split(known).length <= 2, `outcome repeated in ${rec.number}: ${outcome}`);
      }
      for (const action of rec.actions) {
        if (action.due?.text.split('\n').every((line) => line === 'Mar-17'))
          assert.equal(action.due.date, '2017-03-31', `"${action.due.text}" is the end of March 2017`);
      }
    }
  });
  try {
    await fc.assert(property, { seed: SEED, numRuns: RUNS });
  } catch (error) {
    throw new Error(
      `Fuzzing merged cells failed with seed ${SEED} (set FUZZ_SEED=${SEED} to repeat it).\n${String(error)}`,
      {
        cause: error,
      },
    );
  }
});

/** Any merge a file could name: reversed, overlapping, past the sheet, down to row 1,048,576. */
const hostileRef = fc
  .tuple(
    fc.integer({ min: 1, max: 16_384 }),
    fc.oneof(fc.integer({ min: 1, max: ROWS + 2 }), fc.integer({ min: 1, max: 1_048_576 })),
    fc.oneof(fc.integer({ min: 1, max: COLUMNS + 2 }), fc.integer({ min: 1, max: 16_384 })),
    fc.oneof(fc.integer({ min: 1, max: ROWS + 2 }), fc.integer({ min: 1, max: 1_048_576 })),
  )
  .map(([c1, r1, c2, r2]) => `${letters(c1)}${r1}:${letters(c2)}${r2}`);

function letters(column: number): string {
  let out = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

const hostileMergesTitle =
  "merges named in the file's markup, however large or odd, are read or refused in plain words " + `(seed ${SEED})`;
test(hostileMergesTitle, async () => {
  const zip = await JSZip.loadAsync(await workbook(PLAN, ['A4:A5']));
  const xml = (await zip.file('xl/worksheets/sheet1.xml')?.async('string')) ?? '';
  assert.match(xml, /<mergeCells count="1"><mergeCell ref="A4:A5"\/><\/mergeCells>/);
  const property = fc.asyncProperty(fc.array(hostileRef, { minLength: 1, maxLength: 6 }), async (refs) => {
    const cells = refs.map((ref) => `<mergeCell ref="${ref}"/>`).join('');
    zip.file(
      'xl/worksheets/sheet1.xml',
      xml.replace(
        /<mergeCells count="1">.*?<\/mergeCells>/,
        `<mergeCells count="${refs.length}">${cells}</mergeCells>`,
      ),
    );
    const file = new Uint8Array(await zip.generateAsync({ type: 'nodebuffer' }));
    try {
      const draft = await readPlanFile(file, 'xlsx');
      assert.ok(Array.isArray(draft.recommendations));
    } catch (error) {
      assert.ok(error instanceof ImportRejected, `expected ImportRejected, got ${String(error)}`);
      assert.doesNotMatch(error.message, /\n|undefined|Error:/u);
    }
  });
  await fc.assert(property, { seed: SEED, numRuns: RUNS });
});
