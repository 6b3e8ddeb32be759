import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { PlanDraft } from '../drafts.ts';
import { readPlanFile } from './index.ts';

// The West Sussex plan is a flat table, one row per action, in Word and in Excel. The
// expected values are read by hand from the plan's text (shared/domain/sources).

const read = (name: string, format: 'docx' | 'xlsx') =>
  readPlanFile(new Uint8Array(fs.readFileSync(`test/fixtures/${name}`)), format);
const docx = read('west-sussex-2016-action-plan.docx', 'docx');
const xlsx = read('west-sussex-2016-action-plan.xlsx', 'xlsx');

/** The plan without where each action came from (row numbers differ between the files). */
function withoutSources(draft: PlanDraft) {
  return draft.recommendations.map((r) => ({
    ...r,
    actions: r.actions.map(({ source: _source, ...action }) => action),
  }));
}

test('the Word and Excel files give the same recommendations and actions', async () => {
  assert.deepEqual(withoutSources(await xlsx), withoutSources(await docx));
  assert.deepEqual((await xlsx).groups, (await docx).groups);
});

const rowsWithoutNumberTitle =
  '16 recommendations with 18 actions: rows without a number are more actions for the recommendation above';
test(rowsWithoutNumberTitle, async () => {
  const draft = await docx;
  assert.deepEqual(
    draft.recommendations.map((r) => [r.number, r.actions.length]),
    [
      ['2.1', 1],
      ['2.2', 1],
      ['2.3', 1],
      ['2.4', 1],
      ['2.5', 1],
      ['3.5', 1],
      ['5.4', 1],
      ['6.3', 1],
      ['6.4', 1],
      ['6.6', 1],
      ['7.1', 2],
      ['7.2', 1],
      ['7.3', 1],
      ['7.4', 1],
      ['7.5', 2],
      ['8.1', 1],
    ],
  );
  // No group headings in this plan: no groups, and no group is guessed.
  assert.deepEqual(draft.groups, []);
  assert.ok(
    draft.recommendations.every((r) => r.group === null && r.findings.length === 0 && r.anticipatedEvidence === null),
  );
});

test('hand-checked rows: number, recommendation, lead, due words and date, rating, dated progress', async () => {
  for (const draft of [await docx, await xlsx]) {
    const rec = (n: string) => draft.recommendations.find((r) => r.number === n);

    const r21 = rec('2.1');
    assert.match(
      r21?.text ?? '',
      new RegExp(
        /^That liaison between the emergency treatment centre and mental health assessment team /.source +
          /at Crawley is strengthened/.source,
      ),
    );
    assert.deepEqual(r21?.outcomes, [
      'Staff will feel empowered to complete more accurate safeguarding assessments to promote the safety and ' +
        'wellbeing of children',
    ]);
    const a21 = r21.actions[0];
    assert.match(a21?.text ?? '', /^SCT - SCT Safeguarding Children Policy defines the safeguarding responsibilities/);
    assert.equal(a21?.lead, 'Named Nurse Safeguarding Children');
    assert.deepEqual(a21.due, { text: 'Jan-16', date: '2016-01-31' });
    assert.equal(a21.rating, null); // the RAG column is empty and unshaded
    assert.equal(a21.progress.length, 1);
    assert.equal(a21.progress[0]?.date, '2015-12-31');
    assert.match(a21.progress[0].text, /^December 2015 - SCT met with the UTC staff in December\./);

    // Two progress columns: "Progress Report / Date" then "Current SCT Progress".
    assert.deepEqual(
      rec('3.5')?.actions[0]?.progress.map((p) => [p.date, p.text.slice(0, 30)]),
      [
        ['2015-12-31', 'December 2015 - Both the servi'],
        ['2016-01-31', 'January 2016 - Plans are being'],
      ],
    );

    const [mash, marac] = rec('7.1')?.actions ?? [];
    assert.deepEqual(
      mash?.progress.map((p) => p.date),
      ['2015-10-12'],
    );
    assert.equal(marac?.text, 'Full Health representation at MARAC');
    assert.equal(marac.lead, 'Named safeguarding Professionals');
    assert.deepEqual(marac.due, { text: 'Oct-15', date: '2015-10-31' });
    assert.deepEqual(
      marac.progress.map((p) => p.date),
      [null],
    );
    assert.deepEqual(rec('7.1')?.outcomes.length, 2);

    const [it, cpis] = rec('7.5')?.actions ?? [];
    assert.equal(it?.text, 'As each agency uses different IT systems this is difficult to standardise.');
    assert.equal(it.lead, null);
    assert.equal(it.due, null);
    assert.match(cpis?.text ?? '', /^Organisations with Urgent Care settings to sign up to the CP-IS/);
    assert.deepEqual(cpis?.due, { text: 'Apr-16', date: '2016-04-30' });
    assert.deepEqual(
      cpis.progress.map((p) => p.date),
      ['2015-12-31', '2016-01-31'],
    );

    assert.deepEqual(rec('2.4')?.actions[0]?.due, { text: 'On-going continuous monitoring', date: null });
    assert.deepEqual(rec('5.4')?.actions[0]?.due, { text: 'Implemented', date: null });
    assert.deepEqual(rec('6.3')?.actions[0]?.due, { text: 'Autumn 2016', date: '2016-11-30' });
    assert.equal(rec('8.1')?.actions[0]?.lead, 'Julia Carr, Head of Quality CWS CCG');
  }
});

test('the columns are read from the headings, and the ruled line under the table is listed, not dropped', async () => {
  const draft = await docx;
  assert.deepEqual(
    draft.columns.map((c) => c.field),
    ['number', 'recommendation', 'action', 'outcome', 'lead', 'due', 'rating', 'progress', 'progress'],
  );
  assert.deepEqual(
    draft.unplaced.map((u) => [u.source, u.reason]),
    [['table 1, row 20', 'It holds only dashes or other marks, no words.']],
  );
  assert.deepEqual(
    (await xlsx).unplaced.map((u) => u.source),
    ['sheet Sheet1, row 24'],
  );
  assert.match(draft.warnings.join('\n'), /1 row could not be placed/);
});
