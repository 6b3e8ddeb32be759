import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  workFor,
  type WorkAction,
  type WorkQuestion,
  type WorkRequest,
  type WorkReview,
  type WorkRoles,
} from './my-work.ts';
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

describe('My work from meetings, questions, lasting assurance and assignments', () => {
  const LEAD = 41;
  const OTHER = 42;
  const request = (over: Partial<WorkRequest> = {}): WorkRequest => ({
    id: 5,
    actionId: 2,
    text: 'An audit of every ward, not one.',
    ownerUserId: LEAD,
    dueOn: '2026-12-31',
    madeAt: '2026-11-21T15:00:00.000Z',
    status: 'open',
    meeting: { forum: 'peer_challenge', startsAt: '2026-11-21T14:00' },
    ...over,
  });
  const question = (over: Partial<WorkQuestion> = {}): WorkQuestion => ({
    id: 9,
    about: 'Recommendation 1.1',
    text: 'How will the trust know the audit is kept up?',
    askedBy: 'Cllr Ada Jones',
    forum: 'scrutiny_panel',
    askedOn: '2026-10-01',
    organisationId: TRUST,
    responseStatus: 'none',
    responseAt: null,
    ...over,
  });
  const kinds = (r: WorkReview, who: Partial<WorkRoles>) =>
    workFor(r, roles(who))
      .filter((i) => !['overdue', 'stale', 'evidence_rejected', 'rating_disputed', 'due_soon'].includes(i.kind))
      .filter((i) => !['evidence_to_decide', 'rating_to_decide', 'revised_date_to_agree'].includes(i.kind))
      .filter((i) => i.kind !== 'organisation_behind')
      .map((i) => `${i.kind} ${i.section}`);

  it('gives more evidence asked for at a meeting to its owner only, saying when it is due', () => {
    const r = review({ requests: [request()] });
    const [item] = workFor(r, roles({ userId: LEAD })).filter((i) => i.kind === 'evidence_requested');
    assert.ok(item);
    assert.equal(item.subject, 'Action 2 of recommendation 1.1');
    assert.equal(
      item.detail,
      'The peer challenge group asked on 21 November 2026 for more evidence: ' +
        '“An audit of every ward, not one”. Due 31 December 2026, in 38 days.',
    );
    assert.equal(item.href, '/reviews/7/actions/2/evidence/new');
    assert.equal(item.section, 'editing');
    assert.deepEqual(kinds(r, { userId: OTHER, editorOf: [TRUST] }), [], 'not to other editors when it has an owner');
    const late = workFor({ ...r, today: '2027-01-05' }, roles({ userId: LEAD })).find(
      (i) => i.kind === 'evidence_requested',
    );
    assert.match(late?.detail ?? '', /Due 31 December 2026: 5 days overdue\.$/);
  });

  it('gives a request with no owner to the editors of the action’s organisations', () => {
    const r = review({ requests: [request({ ownerUserId: null })] });
    assert.deepEqual(kinds(r, { userId: OTHER, editorOf: [TRUST] }), ['evidence_requested editing']);
    assert.deepEqual(kinds(r, { userId: OTHER, editorOf: [COUNCIL] }), []);
    assert.deepEqual(kinds(r, { userId: LEAD, coordinates: true, assures: true }), []);
  });

  it('drops a request once it is met or closed, or once evidence is added to the action after it', () => {
    const mine = (r: WorkReview) => kinds(r, { userId: LEAD });
    assert.deepEqual(mine(review({ requests: [request({ status: 'met' })] })), []);
    assert.deepEqual(mine(review({ requests: [request({ status: 'closed' })] })), []);
    const added = (addedAt: string) => ({
      id: 20,
      actionId: 2,
      title: 'Ward audit',
      status: 'submitted' as const,
      addedAt,
      decidedAt: null,
      reason: null,
    });
    const before = review({ requests: [request()], evidence: [added('2026-11-21T14:30:00.000Z')] });
    assert.deepEqual(
      mine(before),
      ['evidence_requested editing'],
      'evidence from before the request does not answer it',
    );
    const after = review({ requests: [request()], evidence: [added('2026-11-22T09:00:00.000Z')] });
    assert.deepEqual(mine(after), []);
  });

  it('gives a question to the answering organisation’s editors, or to coordinators when none is named', () => {
    const r = review({ questions: [question()] });
    const [item] = workFor(r, roles({ editorOf: [TRUST] })).filter((i) => i.kind === 'question_to_answer');
    assert.ok(item);
    assert.equal(item.subject, 'Question about recommendation 1.1');
    assert.equal(
      item.detail,
      'Cllr Ada Jones (Scrutiny panel) asked on 1 October 2026: ' +
        '“How will the trust know the audit is kept up?”. No response has been drafted.',
    );
    assert.equal(item.href, '/reviews/7/questions/9#response');
    assert.deepEqual(kinds(r, { editorOf: [COUNCIL] }), []);
    assert.deepEqual(
      kinds(r, { coordinates: true, assures: true }),
      [],
      'the organisation answers, not the coordinator',
    );
    const unowned = review({ questions: [question({ organisationId: null })] });
    assert.deepEqual(kinds(unowned, { coordinates: true }), ['question_to_answer coordination']);
    assert.deepEqual(kinds(unowned, { editorOf: [TRUST] }), []);
  });

  it('gives a drafted response to the coordinators to approve, and nothing once published', () => {
    const drafted = review({
      questions: [question({ responseStatus: 'draft', responseAt: '2026-11-20T10:00:00.000Z' })],
    });
    assert.deepEqual(kinds(drafted, { coordinates: true }), ['response_to_approve coordination']);
    assert.deepEqual(kinds(drafted, { editorOf: [TRUST] }), []);
    const published = review({ questions: [question({ responseStatus: 'published' })] });
    assert.deepEqual(kinds(published, { coordinates: true, editorOf: [TRUST] }), []);
  });

  it('asks an organisation to accept an action given to it, and tells coordinators of a dispute', () => {
    const given = { actionId: 3, organisationId: COUNCIL, assignedAt: '2026-11-02T09:00:00.000Z' };
    const waiting = review({ assignments: [{ ...given, latest: null }] });
    const [item] = workFor(waiting, roles({ editorOf: [COUNCIL] })).filter((i) => i.kind === 'assignment_to_accept');
    assert.equal(
      item?.detail,
      'Given to Testshire Council on 2 November 2026. ' +
        'Accept it, or dispute it with the reason if it is not yours to do.',
    );
    assert.equal(item.href, '/reviews/7/actions/3/assignment?organisation=2');
    assert.deepEqual(kinds(waiting, { editorOf: [TRUST] }), []);
    assert.deepEqual(kinds(waiting, { coordinates: true }), []);
    const done = review({ assignments: [{ ...given, actionId: 4, organisationId: TRUST, latest: null }] });
    assert.deepEqual(kinds(done, { editorOf: [TRUST] }), [], 'a completed action is not chased for an answer');
    const later = review({ assignments: [{ ...given, assignedAt: '2026-11-24T09:00:00.000Z', latest: null }] });
    assert.deepEqual(kinds(later, { editorOf: [COUNCIL] }), [], 'not before the day it was given (a past as-of day)');
    const at = '2026-11-05T09:00:00.000Z';
    const accepted = review({
      assignments: [{ ...given, latest: { response: 'accepted', reason: '', at, by: 'Ed' } }],
    });
    assert.deepEqual(kinds(accepted, { editorOf: [COUNCIL], coordinates: true }), []);
    const disputed = review({
      assignments: [{ ...given, latest: { response: 'disputed', reason: 'This action is for the CCG', at, by: 'Ed' } }],
    });
    assert.deepEqual(kinds(disputed, { editorOf: [COUNCIL] }), []);
    const [dispute] = workFor(disputed, roles({ coordinates: true })).filter((i) => i.kind === 'assignment_disputed');
    assert.equal(dispute?.detail, 'Testshire Council disputed it on 5 November 2026: This action is for the CCG.');
    assert.equal(dispute.section, 'coordination');
  });

  it('tells the lead and the editors when a completed action’s assurance lapses', () => {
    const completed = (over: Partial<WorkAction>): WorkReview => {
      const base = review();
      return {
        ...base,
        scale: 'BRAG',
        staleDays: 90,
        actions: base.actions.map((a) =>
          a.id === 4
            ? {
                ...a,
                leadUserId: LEAD,
                agreed: 'blue',
                agreedAt: '2026-03-01',
                reassuranceDueOn: '2026-10-31',
                acceptedEvidenceDates: ['2026-02-20'],
                ...over,
              }
            : a,
        ),
      };
    };
    const lapsed = completed({});
    const [item] = workFor(lapsed, roles({ userId: LEAD })).filter((i) => i.kind === 'assurance_lapsed');
    assert.ok(item);
    assert.equal(item.subject, 'Action 2 of recommendation 2.1');
    assert.equal(
      item.detail,
      'Agreed complete on 1 March 2026. Fresh evidence that it lasts was due by 31 October 2026, 23 days ago, ' +
        'and none has been accepted: its assurance has lapsed.',
    );
    assert.deepEqual(kinds(lapsed, { userId: OTHER, editorOf: [TRUST] }), ['assurance_lapsed editing']);
    assert.deepEqual(kinds(lapsed, { userId: OTHER, editorOf: [COUNCIL], coordinates: true }), []);
    assert.deepEqual(kinds(completed({ acceptedEvidenceDates: ['2026-10-20'] }), { userId: LEAD }), [], 'held');
    assert.deepEqual(kinds(completed({ reassuranceDueOn: '2026-12-31' }), { userId: LEAD }), [], 'still due');
    assert.deepEqual(kinds(completed({ agreed: 'green' }), { userId: LEAD }), [], 'not complete');
  });
});
