import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPlanFile } from './index.ts';

// A short action row can look like a heading row on its own ("Agree an action plan" beside
// "No rating yet" names an action and a number column). Inside a table, only a row that
// repeats the heading above, column for column, is skipped as a heading.

test('a short, unrated action under a recommendation is read as an action, not as a repeated heading', async () => {
  const csv = [
    'Number,Recommendation,Agency/Service,SMART Action,Lead Officer,Date of Action,BRAG',
    '1.1,Improve the triage of children.,TRFT,Add a triage prompt to the record.,Named nurse,31 March 2027,Green',
    ',,TRFT,Agree an action plan with the ward.,,,No rating yet',
    'Number,Recommendation,Agency/Service,SMART Action,Lead Officer,Date of Action,BRAG',
    '1.2,Share the audit.,RCCG,Send the audit to the board.,Head of Safeguarding,Jan-27,Amber',
  ].join('\r\n');
  const draft = await readPlanFile(new TextEncoder().encode(csv), 'csv');
  const actions = draft.recommendations.map((r) => [r.number, r.actions.map((a) => [a.text, a.rating])]);
  assert.deepEqual(actions, [
    [
      '1.1',
      [
        ['Add a triage prompt to the record.', 'green'],
        ['Agree an action plan with the ward.', null],
      ],
    ],
    ['1.2', [['Send the audit to the board.', 'amber']]],
  ]);
  assert.deepEqual(draft.warnings, [], '"No rating yet" says there is no rating; nothing to warn about');
});
