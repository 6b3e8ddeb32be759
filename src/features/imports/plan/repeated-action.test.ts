import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPlanFile } from './index.ts';

// Two rows with the same action words but dates of their own: read as one action (as a cell
// merged down two rows would be), and never silently — the preview says so.
test('a row repeating the action above with its own date is joined to it, with a warning', async () => {
  const csv = [
    'Number,Recommendation,Action,Lead,By when,RAG',
    '1.1,Improve triage,Audit the triage records,Named nurse,Mar-17,Green',
    ',,Audit the triage records,Named nurse,Sep-17,',
    ',,Train the reception staff,Practice manager,Dec-17,Amber',
  ].join('\n');
  const draft = await readPlanFile(new TextEncoder().encode(csv), 'csv');
  const actions = draft.recommendations[0]?.actions ?? [];
  assert.deepEqual(
    actions.map((a) => a.text),
    ['Audit the triage records', 'Train the reception staff'],
  );
  assert.ok(
    draft.warnings.some((w) => /repeats the action above word for word/.test(w)),
    draft.warnings.join('\n'),
  );
});
