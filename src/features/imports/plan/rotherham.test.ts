import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { DemoDataset } from '../../demo/data/dataset-types.ts';
import type { PlanDraft } from '../drafts.ts';
import { readPlanFile } from './index.ts';

/*
 * The Rotherham plan (the block template, inside the Health and Wellbeing Board paper) against
 * an independent reading of the same .docx: the demo data set, built separately with
 * mammoth.convertToHtml and hand corrections (src/features/demo/data/SOURCES.md). Only white
 * space and quote marks are normalised before comparing: the demo data joins the halves of a
 * row split by a page break with a space or a line break by hand, and curly and straight
 * quotes differ between the report and the plan.
 */

const truth = JSON.parse(fs.readFileSync('src/features/demo/data/rotherham-2015.json', 'utf8')) as DemoDataset;
let parsed: Promise<PlanDraft> | null = null;
function plan(): Promise<PlanDraft> {
  parsed ??= readPlanFile(
    new Uint8Array(fs.readFileSync('test/fixtures/rotherham-2015-hwb-paper-and-action-plan.docx')),
    'docx',
  );
  return parsed;
}

const norm = (text: string | null | undefined) =>
  (text ?? '').replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();

async function recommendation(number: string) {
  const found = (await plan()).recommendations.find((r) => r.number === number);
  assert.ok(found, `recommendation ${number}`);
  return found;
}

test('all 24 recommendations, in order, each in its group', async () => {
  const draft = await plan();
  assert.deepEqual(
    draft.recommendations.map((r) => r.number),
    truth.recommendations.map((r) => r.number),
  );
  assert.equal(draft.recommendations.length, 24);
  assert.deepEqual(
    draft.recommendations.map((r) => r.group),
    truth.recommendations.map((r) => String(r.group)),
  );
});

const fourGroupsAddresseesRotherhamTitle =
  'the four groups and their addressees, with Rotherham, Doncaster and South Humber NHS Foundation Trust as ' +
  'one organisation';
test(fourGroupsAddresseesRotherhamTitle, async () => {
  assert.deepEqual(
    (await plan()).groups.map((g) => [g.number, g.addressees]),
    [
      ['1', ['NHS England', 'Rotherham Clinical Commissioning Group (RCCG)']],
      [
        '2',
        [
          'NHS England',
          'Rotherham Clinical Commissioning Group (RCCG)',
          'Rotherham, Doncaster and South Humber NHS Foundation Trust (RDaSH)',
          'The Rotherham Foundation NHS Trust (TRFT)',
        ],
      ],
      ['3', ['RCCG', 'Rotherham, Doncaster and South Humber NHS Foundation Trust']],
      ['4', ['RCCG', 'The Rotherham Foundation NHS Trust']],
    ],
  );
});

test('every recommendation\'s "(See …)" findings, outcome and anticipated evidence', async () => {
  for (const expected of truth.recommendations) {
    const rec = await recommendation(expected.number);
    assert.deepEqual(rec.findings, expected.findings, `${expected.number} findings`);
    assert.equal(norm(rec.outcomes.join(' ')), norm(expected.outcome), `${expected.number} outcome`);
    assert.equal(rec.outcomes.length, 1, `${expected.number} has one outcome`);
    assert.equal(
      norm(rec.anticipatedEvidence),
      norm(expected.anticipatedEvidence),
      `${expected.number} anticipated evidence`,
    );
  }
});

test('every action: agency, action text, lead, date words and progress (93 in all)', async () => {
  let count = 0;
  for (const expected of truth.recommendations) {
    const rec = await recommendation(expected.number);
    assert.equal(rec.actions.length, expected.actions.length, `${expected.number} number of actions`);
    expected.actions.forEach((want, i) => {
      const got = rec.actions[i];
      const where = `${expected.number} action ${i + 1}`;
      assert.ok(got, where);
      assert.equal(norm(got.agency), norm(want.agency), `${where} agency`);
      assert.equal(norm(got.text), norm(want.action), `${where} action`);
      assert.equal(norm(got.lead), norm(want.lead), `${where} lead`);
      assert.equal(norm(got.due?.text), norm(want.dateWords), `${where} date words`);
      assert.equal(norm(got.progress.map((p) => p.text).join(' ')), norm(want.progress), `${where} progress`);
      count += 1;
    });
  }
  assert.equal(count, 93);
});

const textsArePlansWordsTitle =
  "recommendation texts are the plan's: the report's words, apart from the five places where the plan words " +
  'them differently';
test(textsArePlansWordsTitle, async () => {
  const differ: Record<string, string> = {
    '2.5': 'local walk in centre',
    '3.5': 'CAMHS practitioners',
    '4.7': 'working in CASH and GUM service are clear',
    '4.9': 'are SMART*.',
    '4.12': 'so that the TRFT and the CCG',
  };
  for (const expected of truth.recommendations) {
    const rec = await recommendation(expected.number);
    const plansWording = differ[expected.number];
    if (plansWording) assert.ok(rec.text.includes(plansWording), `${expected.number}: ${rec.text}`);
    else assert.equal(norm(rec.text), norm(expected.text), expected.number);
  }
});

test('due dates are read from the date words', async () => {
  const due = async (number: string, index: number) => (await recommendation(number)).actions[index]?.due;
  assert.deepEqual(await due('1.1', 0), { text: 'Completed 28 July 2015 29 September 2015', date: '2015-09-29' });
  assert.deepEqual(await due('2.1', 0), {
    text: 'Include in 2016/17 contract Completed by 31 August 2015',
    date: '2015-08-31',
  });
  assert.deepEqual(await due('4.6', 2), { text: 'Immediate', date: null });
  assert.deepEqual(await due('2.5', 0), { text: 'September 2015', date: '2015-09-30' });
  // The row that arrives one column to the right, and its lower half after the page break.
  assert.deepEqual(await due('4.10', 2), { text: '30 September 2015', date: '2015-09-30' });
});

test('rows split by a page break are joined to the action above, not made new actions', async () => {
  const action = async (number: string, index: number) => (await recommendation(number)).actions[index];
  assert.match(
    (await action('2.4', 1))?.text ?? '',
    /Providers to undertake clinical record keeping audit, including the audit of:\n• how consent is recorded/,
  );
  assert.match(
    (await action('4.6', 2))?.text ?? '',
    /copied to the Director of Safeguarding Children and Young People at the same time\.$/,
  );
  assert.equal((await action('4.6', 2))?.lead, 'Wharnccliffe Ward Manager');
  assert.equal((await action('4.4', 0))?.lead?.split('\n').length, 3);
});

test('nothing is unplaced; the one repaired row is reported; the plan carries no ratings in its words', async () => {
  const draft = await plan();
  assert.deepEqual(draft.unplaced, []);
  assert.deepEqual(draft.warnings, [
    'Table 18, row 25 seemed to be one column to the right of its headings (the date was in the next column), ' +
      'so it was read one column to the left. Check this action.',
  ]);
  // The published plan's BRAG ratings were cell colours only, and this copy has no shading.
  assert.ok(draft.recommendations.every((r) => r.actions.every((a) => a.rating === null)));
});

test("the action tables' columns are read from their headings", async () => {
  const draft = await plan();
  const first = draft.columns.filter((c) => c.table === draft.columns[0]?.table);
  assert.deepEqual(
    first.map((c) => [c.header, c.field]),
    [
      ['Agency/Service', 'agency'],
      ['SMART* Action', 'action'],
      ['Lead Officer and Key Personnel', 'lead'],
      ['Date of Action', 'due'],
      ['Progress, Evidence, Date, BRAG**', 'progress'],
    ],
  );
  assert.equal(new Set(draft.columns.map((c) => c.table)).size, 14);
});
