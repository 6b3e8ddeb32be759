import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isoWeek,
  nextMonday,
  remindersDue,
  type ReminderAction,
  type ReminderAssignment,
  type ReminderPerson,
  type ReminderPlan,
  type ReminderQuestion,
  type ReminderRequest,
} from './reminders.ts';

const TRUST = 1;
const COUNCIL = 2;
const SCRUTINY = 3;

function action(overrides: Partial<ReminderAction> = {}): ReminderAction {
  return {
    id: 10,
    label: 'Action 1 of recommendation 1.1',
    organisationIds: [TRUST],
    dueDate: '2026-12-31',
    createdOn: '2026-11-20',
    lastProgressOn: '2026-11-25',
    ratingHistory: [],
    evidence: [],
    archived: false,
    ...overrides,
  };
}

function plan(actions: ReminderAction[], overrides: Partial<ReminderPlan> = {}): ReminderPlan {
  return {
    reviewId: 5,
    area: 'Rotherham',
    scale: 'BRAG',
    staleDays: 90,
    planDue: null,
    planIssued: '2026-11-01',
    actions,
    ...overrides,
  };
}

const editor: ReminderPerson = {
  userId: 100,
  email: 'editor@trust.example',
  name: 'Trust Editor',
  preference: 'immediately',
  memberships: [{ role: 'editor', organisationId: TRUST }],
};
const councilEditor: ReminderPerson = {
  userId: 101,
  email: 'editor@council.example',
  name: 'Council Editor',
  preference: 'weekly',
  memberships: [{ role: 'editor', organisationId: COUNCIL }],
};
const reviewer: ReminderPerson = {
  userId: 102,
  email: 'reviewer@scrutiny.example',
  name: 'Reviewer',
  preference: 'immediately',
  memberships: [{ role: 'reviewer', organisationId: SCRUTINY }],
};
const coordinator: ReminderPerson = {
  userId: 103,
  email: 'coordinator@council.example',
  name: 'Coordinator',
  preference: 'immediately',
  memberships: [{ role: 'coordinator', organisationId: COUNCIL }],
};
const everyone = [editor, councilEditor, reviewer, coordinator];

const reasons = (p: ReminderPlan, today: string, people = everyone) =>
  remindersDue(p, people, { today }).map((r) => `${r.userId} ${r.reason} ${r.period}`);

test('an action due in 30, 7 and 1 days reminds its organisations’ editors at each milestone', () => {
  const p = plan([action({ dueDate: '2026-12-31' })]);
  assert.deepEqual(reasons(p, '2026-11-30'), []);
  assert.deepEqual(reasons(p, '2026-12-01'), ['100 action_due 2026-12-31-30']);
  // Missed days still find the milestone reached, with the same key.
  assert.deepEqual(reasons(p, '2026-12-20'), ['100 action_due 2026-12-31-30']);
  assert.deepEqual(reasons(p, '2026-12-24'), ['100 action_due 2026-12-31-7']);
  assert.deepEqual(reasons(p, '2026-12-30'), ['100 action_due 2026-12-31-1']);
  assert.deepEqual(reasons(p, '2026-12-31'), []);
  const [due] = remindersDue(p, everyone, { today: '2026-12-24' });
  assert.ok(due);
  assert.equal(due.summary, 'Action 1 of recommendation 1.1 is due on 31 December 2026, in 7 days.');
  assert.equal(due.key, '100:5:action_due:action-10:2026-12-31-7');
});

test('an overdue action reminds the day after it was due, then weekly', () => {
  const p = plan([action({ dueDate: '2026-12-01' })]);
  assert.deepEqual(reasons(p, '2026-12-02'), ['100 action_overdue 2026-12-01-week-1']);
  assert.deepEqual(reasons(p, '2026-12-08'), ['100 action_overdue 2026-12-01-week-1']);
  assert.deepEqual(reasons(p, '2026-12-09'), ['100 action_overdue 2026-12-01-week-2']);
  const [overdue] = remindersDue(p, everyone, { today: '2026-12-09' });
  assert.equal(overdue?.summary, 'Action 1 of recommendation 1.1 was due on 1 December 2026 and is 8 days overdue.');
});

test('a stale action reminds once per spell without progress', () => {
  const p = plan([action({ dueDate: null, lastProgressOn: '2026-09-01' })], { staleDays: 60 });
  assert.deepEqual(reasons(p, '2026-10-31'), []);
  assert.deepEqual(reasons(p, '2026-11-01'), ['100 action_stale since-2026-09-01']);
  assert.deepEqual(reasons(p, '2026-12-01'), ['100 action_stale since-2026-09-01']);
});

test('nothing for completed or archived actions', () => {
  const blue = action({ dueDate: '2026-12-01', ratingHistory: [{ at: '2026-11-01', proposed: null, agreed: 'blue' }] });
  assert.deepEqual(reasons(plan([blue]), '2026-12-10'), []);
  // In RAG, Green is complete; in BRAG it is only on target.
  const green = action({
    dueDate: '2026-12-01',
    ratingHistory: [{ at: '2026-11-01', proposed: null, agreed: 'green' }],
  });
  assert.deepEqual(reasons(plan([green], { scale: 'RAG' }), '2026-12-10'), []);
  assert.deepEqual(reasons(plan([green], { scale: 'BRAG' }), '2026-12-10'), ['100 action_overdue 2026-12-01-week-2']);
  assert.deepEqual(reasons(plan([action({ dueDate: '2026-12-01', archived: true })]), '2026-12-10'), []);
});

test('nothing to people who turned reminders off', () => {
  const p = plan([action({ dueDate: '2026-12-01' })]);
  assert.deepEqual(reasons(p, '2026-12-02', [{ ...editor, preference: 'off' }]), []);
});

test('evidence rejected and a rating challenged remind the editors, while recent', () => {
  const a = action({
    dueDate: null,
    organisationIds: [TRUST, COUNCIL],
    evidence: [
      { id: 7, title: 'Audit report', status: 'rejected', addedOn: '2026-11-20', decidedOn: '2026-11-28' },
      { id: 8, title: 'Old minutes', status: 'rejected', addedOn: '2026-01-20', decidedOn: '2026-02-01' },
    ],
    ratingHistory: [
      { at: '2026-11-25', proposed: 'green', agreed: null },
      { at: '2026-11-29', proposed: null, agreed: null, challenged: 'green', rationale: 'No evidence yet' },
    ],
  });
  assert.deepEqual(reasons(plan([a]), '2026-11-30').sort(), [
    '100 evidence_rejected 2026-11-28',
    '100 rating_challenged 2026-11-29',
    '101 evidence_rejected 2026-11-28',
    '101 rating_challenged 2026-11-29',
  ]);
  assert.deepEqual(reasons(plan([a]), '2026-12-30'), []);
  const weekly = remindersDue(plan([a]), everyone, { today: '2026-11-30' }).find((r) => r.userId === 101);
  assert.equal(weekly?.preference, 'weekly');
});

test('reviewers hear of evidence and proposals waiting more than 7 days, once a week', () => {
  const a = action({
    dueDate: null,
    evidence: [{ id: 9, title: 'Training log', status: 'submitted', addedOn: '2026-11-20', decidedOn: null }],
    ratingHistory: [{ at: '2026-11-21T10:00:00Z', proposed: 'amber', agreed: null }],
  });
  assert.deepEqual(reasons(plan([a]), '2026-11-27'), []);
  assert.deepEqual(reasons(plan([a]), '2026-11-28'), ['102 evidence_waiting 2026-W48']);
  assert.deepEqual(reasons(plan([a]), '2026-11-30'), [
    '102 evidence_waiting 2026-W49',
    '102 proposal_waiting 2026-W49',
  ]);
  assert.deepEqual(
    remindersDue(plan([a]), everyone, { today: '2026-11-23', waitingDays: 1 }).map((r) => r.reason),
    ['evidence_waiting', 'proposal_waiting'],
  );
  const withdrawn = action({
    dueDate: null,
    evidence: [{ id: 9, title: 'Log', status: 'submitted', addedOn: '2026-11-01', decidedOn: null, withdrawn: true }],
  });
  assert.deepEqual(reasons(plan([withdrawn]), '2026-11-30'), []);
});

test('coordinators hear of the plan’s own deadline until it is issued', () => {
  const p = plan([], { planDue: '2026-12-18', planIssued: null });
  assert.deepEqual(reasons(p, '2026-12-10'), []);
  assert.deepEqual(reasons(p, '2026-12-11'), ['103 plan_due 2026-12-18-7']);
  assert.deepEqual(reasons(p, '2026-12-17'), ['103 plan_due 2026-12-18-1']);
  assert.deepEqual(reasons(p, '2026-12-18'), ['103 plan_due 2026-12-18-today']);
  assert.deepEqual(reasons(p, '2026-12-25'), ['103 plan_due 2026-12-18-overdue']);
  assert.deepEqual(reasons({ ...p, planIssued: '2026-12-16' }, '2026-12-17'), []);
});

test('ISO weeks and the digest Monday', () => {
  assert.equal(isoWeek('2026-12-07'), '2026-W50');
  assert.equal(isoWeek('2027-01-01'), '2026-W53');
  assert.equal(isoWeek('2021-01-03'), '2020-W53');
  assert.equal(isoWeek('2024-12-30'), '2025-W01');
  assert.equal(nextMonday('2026-12-07'), '2026-12-14');
  assert.equal(nextMonday('2026-12-13'), '2026-12-14');
  assert.equal(nextMonday('2026-12-09'), '2026-12-14');
});

test('a revised due date agreed or refused tells the organisation’s editors and whoever proposed it, once', () => {
  const proposer: ReminderPerson = {
    userId: 104,
    email: 'lead@trust.example',
    name: 'Action Lead',
    preference: 'immediately',
    // Proposed the date as a coordinator: not an editor of the action's organisation.
    memberships: [{ role: 'coordinator', organisationId: TRUST }],
  };
  const refused = action({
    dueDate: '2027-03-31',
    dueDateDecisions: [
      {
        id: 7,
        kind: 'refused',
        proposedDate: '2027-06-30',
        agreedBefore: '2027-03-31',
        decidedOn: '2026-12-03',
        reason: 'The board needs the audit by March',
        proposedByUserId: 104,
      },
    ],
  });
  const people = [...everyone, proposer];
  assert.deepEqual(reasons(plan([refused]), '2026-12-02', people), [], 'nothing before the decision');
  assert.deepEqual(reasons(plan([refused]), '2026-12-03', people), [
    '100 revised_date_refused decision-7',
    '104 revised_date_refused decision-7',
  ]);
  const [first] = remindersDue(plan([refused]), people, { today: '2026-12-03' });
  assert.equal(
    first?.summary,
    'The revised due date of 30 June 2027 proposed for action 1 of recommendation 1.1 was refused on ' +
      '3 December 2026: The board needs the audit by March. It is still due on 31 March 2027.',
  );
  assert.equal(first.key, '100:5:revised_date_refused:action-10:decision-7');
  // The same key every day of the window, so it is recorded (and sent) once; nothing after 14 days.
  assert.deepEqual(reasons(plan([refused]), '2026-12-17', people), [
    '100 revised_date_refused decision-7',
    '104 revised_date_refused decision-7',
  ]);
  assert.deepEqual(reasons(plan([refused]), '2026-12-18', people), []);

  const agreed = action({
    dueDate: '2027-06-30',
    dueDateDecisions: [
      {
        id: 8,
        kind: 'agreed',
        proposedDate: '2027-06-30',
        agreedBefore: '2027-03-31',
        decidedOn: '2026-12-03',
        reason: '',
        proposedByUserId: 100,
      },
    ],
  });
  const sent = remindersDue(plan([agreed]), people, { today: '2026-12-04' });
  assert.deepEqual(
    sent.map((r) => `${r.userId} ${r.reason}`),
    ['100 revised_date_agreed'],
    'the proposer who is also an editor is told once',
  );
  assert.equal(
    sent[0]?.summary,
    'The revised due date of 30 June 2027 proposed for action 1 of recommendation 1.1 was agreed on ' +
      '3 December 2026. It is now due on 30 June 2027.',
  );
  const off = { ...editor, preference: 'off' as const };
  assert.deepEqual(reasons(plan([agreed]), '2026-12-04', [off]), [], 'nothing to someone who turned it off');
  assert.deepEqual(reasons(plan([{ ...agreed, archived: true }]), '2026-12-04', people), []);
});

/* Meetings, questions, lasting assurance and assignments (issue 14). */

const lead: ReminderPerson = {
  userId: 104,
  email: 'lead@trust.example',
  name: 'Named Nurse',
  preference: 'immediately',
  memberships: [{ role: 'viewer', organisationId: TRUST }],
};
const withLead = [...everyone, lead];
// An action with nothing else to say on these days: no due date, fresh progress.
const quiet = (overrides: Partial<ReminderAction> = {}) =>
  action({ dueDate: null, lastProgressOn: '2027-01-10', ...overrides });
const request = (overrides: Partial<ReminderRequest> = {}): ReminderRequest => ({
  id: 7,
  actionId: 10,
  text: 'An audit of every ward, not one.',
  ownerUserId: lead.userId,
  dueOn: '2027-01-31',
  madeAt: '2027-01-05T15:00:00.000Z',
  forum: 'peer_challenge',
  meetingOn: '2027-01-05',
  ...overrides,
});

test('more evidence asked for at a meeting reminds its owner once when made and once when its day passes', () => {
  const p = plan([quiet()], { requests: [request()] });
  assert.deepEqual(reasons(p, '2027-01-06', withLead), ['104 evidence_requested request-7']);
  assert.deepEqual(reasons(p, '2027-01-31', withLead), ['104 evidence_requested request-7'], 'the same key: sent once');
  assert.deepEqual(reasons(p, '2027-02-01', withLead), ['104 evidence_requested request-7-overdue']);
  const [made] = remindersDue(p, withLead, { today: '2027-01-06' });
  assert.equal(
    made?.summary,
    'The peer challenge group asked on 5 January 2027 for more evidence for action 1 of recommendation 1.1 ' +
      'by 31 January 2027: “An audit of every ward, not one”.',
  );
  assert.deepEqual(made.subject, { type: 'action', id: 10, label: 'Action 1 of recommendation 1.1' });
  const [late] = remindersDue(p, withLead, { today: '2027-02-01' });
  assert.equal(
    late?.summary,
    'More evidence for action 1 of recommendation 1.1, asked for by the peer challenge group on 5 January 2027, ' +
      'was due on 31 January 2027 and has not been added: “An audit of every ward, not one”.',
  );
});

test('a request with no owner, or an owner no longer a member, goes to the editors; evidence since stops it', () => {
  assert.deepEqual(reasons(plan([quiet()], { requests: [request({ ownerUserId: null })] }), '2027-01-06', withLead), [
    '100 evidence_requested request-7',
  ]);
  assert.deepEqual(reasons(plan([quiet()], { requests: [request()] }), '2027-01-06', everyone), [
    '100 evidence_requested request-7',
  ]);
  const answered = plan([quiet({ lastEvidenceAddedAt: '2027-01-06T09:00:00.000Z' })], { requests: [request()] });
  assert.deepEqual(reasons(answered, '2027-02-01', withLead), []);
  const older = plan([quiet({ lastEvidenceAddedAt: '2027-01-04T09:00:00.000Z' })], { requests: [request()] });
  assert.deepEqual(reasons(older, '2027-01-06', withLead), ['104 evidence_requested request-7']);
  assert.deepEqual(reasons(plan([quiet({ archived: true })], { requests: [request()] }), '2027-01-06', withLead), []);
});

test('a completed action whose fresh evidence is overdue reminds its lead and editors once per lapse', () => {
  const done = quiet({
    ratingHistory: [{ at: '2026-06-01', proposed: null, agreed: 'blue' }],
    leadUserId: lead.userId,
    reassuranceDueOn: '2027-01-31',
    acceptedEvidenceDates: ['2026-05-20'],
  });
  assert.deepEqual(reasons(plan([done]), '2027-01-31', withLead), [], 'the due day itself has not lapsed');
  assert.deepEqual(reasons(plan([done]), '2027-02-01', withLead), [
    '100 assurance_lapsed lapsed-2027-01-31',
    '104 assurance_lapsed lapsed-2027-01-31',
  ]);
  assert.deepEqual(
    reasons(plan([done]), '2027-03-15', withLead),
    ['100 assurance_lapsed lapsed-2027-01-31', '104 assurance_lapsed lapsed-2027-01-31'],
    'the same keys while it stays lapsed',
  );
  const [first] = remindersDue(plan([done]), withLead, { today: '2027-02-01' });
  assert.equal(
    first?.summary,
    'The assurance of action 1 of recommendation 1.1 has lapsed: fresh evidence that its effect lasts ' +
      'was due by 31 January 2027, and none has been accepted.',
  );
  const renewed = { ...done, acceptedEvidenceDates: ['2026-05-20', '2027-01-20'] };
  assert.deepEqual(reasons(plan([renewed]), '2027-02-01', withLead), [], 'fresh evidence holds it');
  const nextLapse = { ...renewed, reassuranceDueOn: '2028-01-31' };
  assert.deepEqual(reasons(plan([nextLapse]), '2028-02-01', withLead), [
    '100 assurance_lapsed lapsed-2028-01-31',
    '104 assurance_lapsed lapsed-2028-01-31',
  ]);
});

test('an unanswered question reminds whoever answers it, weekly, once past the review’s question days', () => {
  const question: ReminderQuestion = {
    id: 3,
    actionId: null,
    about: 'Recommendation 1.1',
    text: 'How will the trust know the audit is kept up?',
    askedBy: 'Cllr Ada Jones',
    forum: 'scrutiny_panel',
    askedOn: '2027-01-04',
    organisationId: TRUST,
    responseStatus: 'none',
  };
  const p = plan([quiet()], { questions: [question] });
  assert.deepEqual(reasons(p, '2027-02-01'), [], '28 days is not more than 28');
  assert.deepEqual(reasons(p, '2027-02-02'), ['100 question_unanswered 2027-W05']);
  assert.deepEqual(reasons(p, '2027-02-07'), ['100 question_unanswered 2027-W05']);
  assert.deepEqual(reasons(p, '2027-02-08'), ['100 question_unanswered 2027-W06']);
  assert.deepEqual(reasons(plan([quiet()], { questions: [question], questionDays: 7 }), '2027-01-12'), [
    '100 question_unanswered 2027-W02',
  ]);
  const [r] = remindersDue(p, everyone, { today: '2027-02-02' });
  assert.equal(
    r?.summary,
    'The question Cllr Ada Jones (Scrutiny panel) asked on 4 January 2027 about recommendation 1.1 ' +
      'has waited 29 days for a response: “How will the trust know the audit is kept up?”.',
  );
  assert.deepEqual(r.subject, { type: 'question', id: 3, label: 'Question about recommendation 1.1' });
  const unowned = plan([quiet()], { questions: [{ ...question, organisationId: null, actionId: 10 }] });
  assert.deepEqual(reasons(unowned, '2027-02-02'), ['103 question_unanswered 2027-W05']);
  assert.equal(
    remindersDue(unowned, everyone, { today: '2027-02-02' })[0]?.subject.label,
    'Question about action 1 of recommendation 1.1',
  );
  const drafted = plan([quiet()], { questions: [{ ...question, responseStatus: 'draft' }] });
  assert.deepEqual(reasons(drafted, '2027-02-02'), ['103 question_unanswered 2027-W05'], 'a draft waits for approval');
});

test('an action given to an organisation and not answered reminds its editors weekly after the assignment days', () => {
  const given: ReminderAssignment = {
    actionId: 10,
    organisationId: COUNCIL,
    organisationName: 'Testshire Council',
    assignedOn: '2027-01-04',
  };
  const p = plan([quiet()], { assignments: [given] });
  assert.deepEqual(reasons(p, '2027-01-18'), [], '14 days is not more than 14');
  assert.deepEqual(reasons(p, '2027-01-19'), ['101 assignment_unaccepted 2027-W03-organisation-2']);
  assert.deepEqual(reasons(p, '2027-01-26'), ['101 assignment_unaccepted 2027-W04-organisation-2']);
  assert.deepEqual(reasons(plan([quiet()], { assignments: [given], assignmentDays: 30 }), '2027-01-26'), []);
  const done = quiet({ ratingHistory: [{ at: '2027-01-10', proposed: null, agreed: 'blue' }] });
  assert.deepEqual(reasons(plan([done], { assignments: [given] }), '2027-01-19'), [], 'not for a completed action');
  assert.equal(
    remindersDue(p, everyone, { today: '2027-01-19' })[0]?.summary,
    'Action 1 of recommendation 1.1 was given to Testshire Council on 4 January 2027, 15 days ago, ' +
      'and has not been accepted or disputed.',
  );
});
