import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { workFor, type WorkReview, type WorkRoles } from './my-work.ts';
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
    assert.equal(overdue.href, '/reviews/7/actions/1/progress/new');
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
    assert.equal(items[0]?.href, '/reviews/7/evidence/12/decision');
    assert.equal(items[2]?.href, '/reviews/7/actions/2/rating');
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

  it('gives nothing to someone with no role that asks anything', () => {
    assert.deepEqual(workFor(review(), roles({})), []);
  });
});
