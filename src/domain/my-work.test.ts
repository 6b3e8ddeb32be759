import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { workFor, type WorkAction, type WorkReview, type WorkRoles } from './my-work.ts';
import type { DueDateChange } from './due-dates.ts';
import type { PlanException } from './exceptions.ts';

const TRUST = 1;
const COUNCIL = 2;

const onAction = (kind: PlanException['kind'], id: number, reason: string): PlanException => ({
  kind,
  subject: { type: 'action', id: String(id), label: `Action ${id}` },
  reason,
});

function review(over: Partial<WorkReview> = {}): WorkReview {
  return {
    reviewId: 7,
    today: '2026-11-23',
    actions: [
      {
        id: 1,
        label: 'Action 1 of recommendation 1.1',
        organisationIds: [TRUST],
        dueDate: '2026-10-31',
        complete: false,
      },
      {
        id: 2,
        label: 'Action 2 of recommendation 1.1',
        organisationIds: [TRUST],
        dueDate: '2026-12-10',
        complete: false,
      },
      {
        id: 3,
        label: 'Action 1 of recommendation 2.1',
        organisationIds: [COUNCIL],
        dueDate: '2026-12-01',
        complete: false,
      },
      {
        id: 4,
        label: 'Action 2 of recommendation 2.1',
        organisationIds: [TRUST],
        dueDate: '2026-12-01',
        complete: true,
      },
    ],
    exceptions: [
      onAction('overdue', 1, 'Due 31 October 2026 and not completed: 23 days overdue.'),
      onAction('stale', 3, 'No progress recorded since 1 June 2026 (175 days; the limit is 90).'),
      onAction(
        'awaiting_decision',
        2,
        'Proposed Green on 20 November 2026; waiting for the group’s decision for 3 days.',
      ),
      onAction('disputed', 1, 'Proposed Blue on 1 November 2026 and challenged on 5 November 2026: One ward only.'),
      onAction('revised_date_proposed', 2, 'A new due date, 31 January 2027, is proposed: the audit moved.'),
    ],
    evidence: [
      {
        id: 10,
        actionId: 1,
        title: 'Audit',
        status: 'rejected',
        addedAt: '2026-11-01T10:00:00Z',
        decidedAt: '2026-11-05T10:00:00Z',
        reason: 'One ward only',
      },
      {
        id: 11,
        actionId: 2,
        title: 'Minutes',
        status: 'submitted',
        addedAt: '2026-11-20T10:00:00Z',
        decidedAt: null,
        reason: null,
      },
      {
        id: 12,
        actionId: 3,
        title: 'Policy',
        status: 'submitted',
        addedAt: '2026-11-02T10:00:00Z',
        decidedAt: null,
        reason: null,
      },
    ],
    awaitingDecisionSince: new Map([[2, '2026-11-20']]),
    organisations: [
      { id: TRUST, name: 'Testshire Hospitals' },
      { id: COUNCIL, name: 'Testshire Council' },
    ],
    planDue: '2025-03-31',
    planSent: true,
    ...over,
  };
}

const roles = (r: Partial<WorkRoles>): WorkRoles => ({ editorOf: [], assures: false, coordinates: false, ...r });
const summary = (items: ReturnType<typeof workFor>) => items.map((i) => `${i.kind} ${i.subject}`);

describe('My work', () => {
  it('gives an organisation editor the open actions of their organisations that need something', () => {
    assert.deepEqual(summary(workFor(review(), roles({ editorOf: [TRUST] }))), [
      'overdue Action 1 of recommendation 1.1',
      'evidence_rejected Action 1 of recommendation 1.1',
      'rating_disputed Action 1 of recommendation 1.1',
      'due_soon Action 2 of recommendation 1.1',
    ]);
  });

  it('links each item to the form that clears it, and says why in one sentence', () => {
    const [overdue, rejected] = workFor(review(), roles({ editorOf: [TRUST] }));
    assert.ok(overdue && rejected);
    assert.equal(overdue.href, '/reviews/7/actions/1/progress/new?returnTo=/my-work');
    assert.equal(rejected.href, '/reviews/7/actions/1/evidence/new');
    assert.equal(rejected.detail, 'Evidence “Audit” was rejected on 5 November 2026: One ward only.');
    const soon = workFor(review(), roles({ editorOf: [TRUST] })).find((i) => i.kind === 'due_soon');
    assert.equal(soon?.detail, 'Due 10 December 2026, in 17 days.');
  });

  it('leaves out completed actions, other organisations’ actions, and evidence sent again after a rejection', () => {
    const later = review({
      evidence: [
        ...review().evidence,
        {
          id: 13,
          actionId: 1,
          title: 'Re-audit',
          status: 'submitted',
          addedAt: '2026-11-10T10:00:00Z',
          decidedAt: null,
          reason: null,
        },
      ],
    });
    const kinds = summary(workFor(later, roles({ editorOf: [TRUST] })));
    assert.ok(!kinds.some((k) => k.startsWith('evidence_rejected')));
    assert.ok(!kinds.some((k) => k.includes('recommendation 2.1')));
  });

  it('gives an assurer the evidence and proposals waiting for them, oldest first', () => {
    const items = workFor(review(), roles({ assures: true }));
    assert.deepEqual(summary(items), [
      'evidence_to_decide Action 1 of recommendation 2.1: “Policy”',
      'evidence_to_decide Action 2 of recommendation 1.1: “Minutes”',
      'rating_to_decide Action 2 of recommendation 1.1',
    ]);
    assert.equal(items[0]?.href, '/reviews/7/evidence/12/decision?returnTo=/my-work');
    assert.equal(items[2]?.href, '/reviews/7/actions/2/rating?returnTo=/my-work');
  });

  it('gives a coordinator the organisations to chase and the plan’s own deadline while it is not sent', () => {
    const items = workFor(review({ planSent: false, planDue: '2026-12-01' }), roles({ coordinates: true }));
    assert.deepEqual(
      items.map((i) => [i.kind, i.subject, i.detail]),
      [
        ['plan_deadline', 'The action plan', 'The action plan is due with CQC on 1 December 2026, in 8 days.'],
        [
          'revised_date_to_agree',
          'Action 2 of recommendation 1.1',
          'A new due date, 31 January 2027, is proposed: the audit moved.',
        ],
        ['organisation_behind', 'Testshire Council', '1 action with no recent progress.'],
        ['organisation_behind', 'Testshire Hospitals', '1 action overdue.'],
      ],
    );
    assert.deepEqual(
      summary(workFor(review(), roles({ coordinates: true }))).length,
      3,
      'a sent plan is not a deadline',
    );
  });

  it('links a coordinator to the form that agrees a revised date, and back to My work', () => {
    const item = workFor(review(), roles({ coordinates: true })).find((i) => i.kind === 'revised_date_to_agree');
    assert.equal(item?.href, '/reviews/7/actions/2/due-date?returnTo=/my-work');
  });

  it('gives nothing to someone with no role that asks anything', () => {
    assert.deepEqual(workFor(review(), roles({})), []);
  });
});

/* A revised due date refused: an item for the organisation's editors until they act on it. */
describe('My work: a revised due date refused', () => {
  const change = (over: Partial<DueDateChange> & Pick<DueDateChange, 'id' | 'kind'>): DueDateChange => ({
    proposalId: null,
    fromDate: '2026-12-10',
    toDate: '2027-01-31',
    reason: '',
    by: 'Someone',
    at: '2026-11-01T10:00:00.000Z',
    ...over,
  });
  const proposed = change({ id: 1, kind: 'proposed', reason: 'The audit moved', at: '2026-11-10T09:00:00.000Z' });
  const refused = change({
    id: 2,
    kind: 'refused',
    proposalId: 1,
    reason: 'The board needs the audit by December',
    at: '2026-11-12T15:00:00.000Z',
  });
  const withHistory = (history: DueDateChange[], over: Partial<WorkAction> = {}) => {
    const actions = review().actions.map((a) => (a.id === 2 ? { ...a, dueDateChanges: history, ...over } : a));
    return review({ actions, exceptions: [] });
  };
  const refusals = (r: WorkReview, who: Partial<WorkRoles> = { editorOf: [TRUST] }) =>
    workFor(r, roles(who)).filter((i) => i.kind === 'revised_date_refused');

  const cases: { name: string; history: DueDateChange[]; over?: Partial<WorkAction>; shown: boolean }[] = [
    { name: 'refused, nothing since', history: [proposed, refused], shown: true },
    {
      name: 'refused, progress posted the same day',
      history: [proposed, refused],
      over: { lastProgressOn: '2026-11-12' },
      shown: false,
    },
    {
      name: 'refused, progress dated before the refusal',
      history: [proposed, refused],
      over: { lastProgressOn: '2026-11-11' },
      shown: true,
    },
    {
      name: 'refused, then another date proposed',
      history: [proposed, refused, change({ id: 3, kind: 'proposed', toDate: '2027-01-15', reason: 'Smaller audit' })],
      shown: false,
    },
    {
      name: 'refused, then the coordinator set a date',
      history: [proposed, refused, change({ id: 3, kind: 'set', toDate: '2027-01-10', reason: 'Agreed at board' })],
      shown: false,
    },
    {
      name: 'agreed, not refused',
      history: [proposed, change({ id: 2, kind: 'agreed', proposalId: 1, reason: 'Fine' })],
      shown: false,
    },
    { name: 'still waiting', history: [proposed], shown: false },
    { name: 'refused on a completed action', history: [proposed, refused], over: { complete: true }, shown: false },
    { name: 'no history', history: [], shown: false },
  ];
  for (const c of cases) {
    it(`${c.shown ? 'shows' : 'does not show'} a refusal: ${c.name}`, () => {
      assert.equal(refusals(withHistory(c.history, c.over)).length, c.shown ? 1 : 0);
    });
  }

  it('says what was refused, when and why, and links to the revised date form and back', () => {
    const [item] = refusals(withHistory([refused, proposed]));
    assert.ok(item);
    assert.equal(item.subject, 'Action 2 of recommendation 1.1');
    assert.equal(
      item.detail,
      'The revised due date of 31 January 2027 was refused on 12 November 2026: ' +
        'The board needs the audit by December. It is still due on 10 December 2026.',
    );
    assert.equal(item.href, '/reviews/7/actions/2/due-date?returnTo=/my-work');
    assert.equal(item.todo, 'Propose another date or post a progress update');
    assert.equal(item.since, '2026-11-12');
    assert.equal(item.section, 'editing');
  });

  it('goes only to the editors of the action’s organisations', () => {
    const r = withHistory([proposed, refused]);
    assert.equal(refusals(r, { editorOf: [COUNCIL] }).length, 0);
    assert.equal(refusals(r, { assures: true, coordinates: true }).length, 0);
  });

  it('comes after a disputed rating and before what is due soon', () => {
    const r = withHistory([proposed, refused]);
    assert.deepEqual(
      workFor({ ...r, exceptions: review().exceptions }, roles({ editorOf: [TRUST] })).map((i) => i.kind),
      ['overdue', 'evidence_rejected', 'rating_disputed', 'revised_date_refused', 'due_soon'],
    );
  });
});
