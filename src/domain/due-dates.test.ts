import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dueDatePosition, proposalProblem, type DueDateChange, type DueDatePosition } from './due-dates.ts';

// Rotherham action 2.3/1, agreed as due 31 December 2015, whose date the trust asks to move.
let nextId = 0;
function change(kind: DueDateChange['kind'], from: string | null, to: string | null, proposalId: number | null = null) {
  nextId += 1;
  return {
    id: nextId,
    kind,
    proposalId,
    fromDate: from,
    toDate: to,
    reason: `reason ${nextId}`,
    by: kind === 'proposed' ? 'Named nurse' : 'Plan coordinator',
    at: `2015-12-${String(nextId).padStart(2, '0')}T10:00:00.000Z`,
  } satisfies DueDateChange;
}

const cases: {
  name: string;
  agreed: string | null;
  history: () => DueDateChange[];
  expected: Partial<DueDatePosition> & { pendingDate?: string | null };
}[] = [
  {
    name: 'never changed: the agreed date is the original, no moves, nothing waiting',
    agreed: '2015-12-31',
    history: () => [],
    expected: { original: '2015-12-31', moves: 0, pendingDate: null },
  },
  {
    name: 'a proposal waits and does not move the date',
    agreed: '2015-12-31',
    history: () => [change('proposed', '2015-12-31', '2016-03-31')],
    expected: { original: '2015-12-31', moves: 0, pendingDate: '2016-03-31' },
  },
  {
    name: 'an agreed proposal is one move; the original is kept',
    agreed: '2016-03-31',
    history: () => {
      const p = change('proposed', '2015-12-31', '2016-03-31');
      return [p, change('agreed', '2015-12-31', '2016-03-31', p.id)];
    },
    expected: { original: '2015-12-31', moves: 1, pendingDate: null },
  },
  {
    name: 'a refused proposal is no move and no longer waits',
    agreed: '2015-12-31',
    history: () => {
      const p = change('proposed', '2015-12-31', '2016-03-31');
      return [p, change('refused', '2015-12-31', '2016-03-31', p.id)];
    },
    expected: { original: '2015-12-31', moves: 0, pendingDate: null },
  },
  {
    name: 'a newer proposal replaces one still waiting',
    agreed: '2015-12-31',
    history: () => [change('proposed', '2015-12-31', '2016-03-31'), change('proposed', '2015-12-31', '2016-06-30')],
    expected: { moves: 0, pendingDate: '2016-06-30' },
  },
  {
    name: "the coordinator's direct change is a move and settles a waiting proposal",
    agreed: '2016-02-29',
    history: () => [change('proposed', '2015-12-31', '2016-03-31'), change('set', '2015-12-31', '2016-02-29')],
    expected: { original: '2015-12-31', moves: 1, pendingDate: null },
  },
  {
    name: 'moved twice: the original is the first agreed date',
    agreed: '2016-09-30',
    history: () => {
      const p = change('proposed', '2015-12-31', '2016-03-31');
      return [p, change('agreed', '2015-12-31', '2016-03-31', p.id), change('set', '2016-03-31', '2016-09-30')];
    },
    expected: { original: '2015-12-31', moves: 2, pendingDate: null },
  },
  {
    name: 'history given newest first reads the same',
    agreed: '2016-03-31',
    history: () => {
      const p = change('proposed', '2015-12-31', '2016-03-31');
      return [change('agreed', '2015-12-31', '2016-03-31', p.id), p];
    },
    expected: { original: '2015-12-31', moves: 1, pendingDate: null },
  },
];

for (const c of cases) {
  test(`due date position: ${c.name}`, () => {
    const position = dueDatePosition(c.agreed, c.history());
    assert.equal(position.agreed, c.agreed);
    if (c.expected.original !== undefined) assert.equal(position.original, c.expected.original);
    if (c.expected.moves !== undefined) assert.equal(position.moves, c.expected.moves);
    if (c.expected.pendingDate !== undefined)
      assert.equal(position.pending?.proposedDate ?? null, c.expected.pendingDate);
  });
}

const problems: { agreed: string | null; proposed: string; reason: string; expected: string | null }[] = [
  { agreed: '2015-12-31', proposed: '2016-03-31', reason: 'Audit delayed', expected: null },
  { agreed: '2015-12-31', proposed: '2015-11-30', reason: 'Done sooner', expected: null },
  {
    agreed: '2015-12-31',
    proposed: '2015-12-31',
    reason: 'Same',
    expected: 'Enter a date different from the agreed due date',
  },
  { agreed: '2015-12-31', proposed: '2016-03-31', reason: '  ', expected: 'Enter why the due date should move' },
  {
    agreed: null,
    proposed: '2016-03-31',
    reason: 'Ongoing',
    expected: 'This action has no agreed due date yet: change the action to give it one',
  },
];

for (const p of problems) {
  test(`proposal check: ${p.agreed ?? 'no date'} to ${p.proposed}, reason "${p.reason}"`, () => {
    assert.equal(proposalProblem(p.agreed, p.proposed, p.reason), p.expected);
  });
}
