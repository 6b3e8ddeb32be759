import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_STALE_DAYS,
  EXCEPTION_KINDS,
  EXCEPTION_SECTIONS,
  exceptionSection,
  filterExceptions,
  findExceptions,
  type ActionForExceptions,
  type ExceptionFilter,
  type ExceptionOptions,
  type ExceptionSection,
  type PlanException,
  type PlanForExceptions,
  type QuestionForExceptions,
} from './exceptions.ts';
import type { Rating, RatingHistoryEntry } from './ratings.ts';

const TRUST = 'The Rotherham NHS Foundation Trust';
const h = (at: string, proposed: Rating | null, agreed: Rating | null): RatingHistoryEntry => ({
  at,
  proposed,
  agreed,
});
const agreedBy = (at: string, agreed: Rating, overrideReason: string | null): RatingHistoryEntry => ({
  at,
  proposed: null,
  agreed,
  overrideReason,
});
const challenged = (at: string, rating: Rating, rationale: string): RatingHistoryEntry => ({
  at,
  proposed: null,
  agreed: null,
  challenged: rating,
  rationale,
});

// A clean action under Rotherham recommendation 2.3 (referrals to children's social care):
// agreed Green (on target) with evidence, progress 10 November 2015, due 31 December 2015.
function action(overrides: Partial<ActionForExceptions> = {}): ActionForExceptions {
  return {
    id: 'a1',
    recommendationId: 'r23',
    label: 'Action 1 of recommendation 2.3',
    organisationIds: ['ccg', 'rdash', 'trft'],
    lead: 'Deputy Designated Nurse and Health MASH',
    dateWords: '31 December 2015',
    dueDate: '2015-12-31',
    measure: 'Audit report for each provider',
    createdOn: '2015-08-11',
    lastProgressOn: '2015-11-10',
    ratingHistory: [h('2015-11-03', 'green', null), h('2015-11-10', null, 'green')],
    acceptedEvidenceDates: ['2015-11-10'],
    ...overrides,
  };
}

function plan(actions: ActionForExceptions[], overrides: Partial<PlanForExceptions> = {}): PlanForExceptions {
  return {
    scale: 'BRAG',
    organisations: [
      { id: 'ccg', name: 'Rotherham CCG' },
      { id: 'rdash', name: 'RDaSH' },
      { id: 'trft', name: TRUST },
    ],
    recommendations: [
      {
        id: 'r23',
        number: '2.3',
        addressedOrganisationIds: ['ccg', 'rdash', 'trft'],
        outcome: 'Referrals will be sufficiently comprehensive.',
      },
    ],
    findings: [{ id: 'f32', number: '3.2', kind: 'concern', recommendationIds: ['r23'] }],
    actions,
    ...overrides,
  };
}

const onAction = (
  kind: PlanException['kind'],
  reason: string,
  id = 'a1',
  label = 'Action 1 of recommendation 2.3',
  recommendationId = 'r23',
): PlanException => ({ kind, subject: { type: 'action', id, label }, recommendationId, reason });
const uncovered = (orgId: string, name: string, recommendationId: string, number: string): PlanException => ({
  kind: 'uncovered_organisation',
  subject: { type: 'organisation', id: orgId, label: name },
  recommendationId,
  reason: `${name} is addressed by recommendation ${number} but has no action of its own.`,
});

const cases: {
  name: string;
  input: { plan: PlanForExceptions; options: ExceptionOptions };
  expected: PlanException[];
}[] = [
  {
    name: 'a clean plan has no exceptions',
    input: { plan: plan([action()]), options: { today: '2015-12-01' } },
    expected: [],
  },
  // overdue
  {
    name: 'overdue after the due date over Christmas',
    input: { plan: plan([action()]), options: { today: '2016-01-05' } },
    expected: [onAction('overdue', 'Due 31 December 2015 and not completed: 5 days overdue.')],
  },
  // a revised due date awaiting agreement: the action still counts against its agreed date
  {
    name: 'a revised date proposed and not yet agreed is listed, and the agreed date still makes it overdue',
    input: {
      plan: plan([
        action({ proposedDueDate: { date: '2016-03-31', on: '2015-12-20T10:00:00.000Z', reason: 'Audit delayed' } }),
      ]),
      options: { today: '2016-01-05' },
    },
    expected: [
      onAction('overdue', 'Due 31 December 2015 and not completed: 5 days overdue.'),
      onAction(
        'revised_date_proposed',
        'Proposed on 20 December 2015 moving the due date from 31 December 2015 to 31 March 2016: ' +
          'Audit delayed. Waiting for the coordinator to agree or refuse it.',
      ),
    ],
  },
  {
    name: 'no proposal, no revised date item',
    input: { plan: plan([action({ proposedDueDate: null })]), options: { today: '2015-12-01' } },
    expected: [],
  },
  {
    name: 'due today is not overdue',
    input: { plan: plan([action()]), options: { today: '2015-12-31' } },
    expected: [],
  },
  {
    name: 'one day overdue is singular',
    input: { plan: plan([action()]), options: { today: '2016-01-01' } },
    expected: [onAction('overdue', 'Due 31 December 2015 and not completed: 1 day overdue.')],
  },
  {
    name: 'BRAG Blue is complete, so not overdue',
    input: {
      plan: plan([action({ ratingHistory: [h('2015-12-08', null, 'blue')], reassuranceDueOn: '2016-12-31' })]),
      options: { today: '2016-01-05' },
    },
    expected: [],
  },
  {
    name: 'RAG Green is complete, so not overdue',
    input: {
      plan: plan([action({ reassuranceDueOn: '2016-12-31' })], { scale: 'RAG' }),
      options: { today: '2016-01-05' },
    },
    expected: [],
  },
  {
    name: 'RAG Amber past its date is overdue',
    input: {
      plan: plan([action({ ratingHistory: [h('2015-11-10', null, 'amber')] })], { scale: 'RAG' }),
      options: { today: '2016-01-05' },
    },
    expected: [onAction('overdue', 'Due 31 December 2015 and not completed: 5 days overdue.')],
  },
  {
    name: 'a proposed Blue counts while nothing is agreed, and waits for the group',
    input: {
      plan: plan([action({ ratingHistory: [h('2015-12-08', 'blue', null)] })]),
      options: { today: '2016-01-05' },
    },
    expected: [
      onAction('awaiting_decision', 'Proposed Blue on 8 December 2015; waiting for the group’s decision for 28 days.'),
    ],
  },
  {
    name: 'an unrated action past its date is overdue',
    input: { plan: plan([action({ ratingHistory: [] })]), options: { today: '2016-01-05' } },
    expected: [onAction('overdue', 'Due 31 December 2015 and not completed: 5 days overdue.')],
  },
  {
    name: 'years overdue and stale (the Rutland question)',
    input: {
      plan: plan([action({ dateWords: 'Complete by end 30 September 2015', dueDate: '2015-09-30' })]),
      options: { today: '2023-11-23' },
    },
    expected: [
      onAction('overdue', 'Due 30 September 2015 and not completed: 2,976 days overdue.'),
      onAction('stale', 'No progress recorded since 10 November 2015 (2,935 days; the limit is 90).'),
    ],
  },
  // stale
  {
    name: 'stale after 91 days without progress',
    input: {
      plan: plan([action({ dueDate: '2016-03-31', dateWords: 'Mar-16', lastProgressOn: '2015-08-11' })]),
      options: { today: '2015-11-10' },
    },
    expected: [onAction('stale', 'No progress recorded since 11 August 2015 (91 days; the limit is 90).')],
  },
  {
    name: 'exactly 90 days is not stale',
    input: {
      plan: plan([action({ dueDate: '2016-03-31', dateWords: 'Mar-16', lastProgressOn: '2015-08-11' })]),
      options: { today: '2015-11-09' },
    },
    expected: [],
  },
  {
    name: 'stale counted from creation when there is no progress',
    input: {
      plan: plan([action({ dueDate: '2016-03-31', dateWords: 'Mar-16', lastProgressOn: null })]),
      options: { today: '2015-11-10' },
    },
    expected: [
      onAction(
        'stale',
        'No progress recorded since the action was created on 11 August 2015 (91 days; the limit is 90).',
      ),
    ],
  },
  {
    name: 'a shorter limit',
    input: { plan: plan([action()]), options: { today: '2015-12-11', staleDays: 30 } },
    expected: [onAction('stale', 'No progress recorded since 10 November 2015 (31 days; the limit is 30).')],
  },
  {
    name: 'a completed action is never stale',
    input: {
      plan: plan([
        action({
          lastProgressOn: '2015-08-11',
          ratingHistory: [h('2015-08-11', null, 'blue')],
          reassuranceDueOn: '2016-08-11',
        }),
      ]),
      options: { today: '2015-12-01' },
    },
    expected: [],
  },
  // unevidenced
  {
    name: 'agreed Green with no accepted evidence',
    input: { plan: plan([action({ acceptedEvidenceDates: [] })]), options: { today: '2015-12-01' } },
    expected: [onAction('unevidenced', 'Rated Green (agreed) with no accepted evidence.')],
  },
  {
    name: 'proposed Blue with no accepted evidence',
    input: {
      plan: plan([action({ acceptedEvidenceDates: [], ratingHistory: [h('2015-11-24', 'blue', null)] })]),
      options: { today: '2015-12-01' },
    },
    expected: [
      onAction('unevidenced', 'Rated Blue (proposed, not yet agreed) with no accepted evidence.'),
      onAction('awaiting_decision', 'Proposed Blue on 24 November 2015; waiting for the group’s decision for 7 days.'),
    ],
  },
  {
    name: 'Amber needs no evidence to be flagged',
    input: {
      plan: plan([action({ acceptedEvidenceDates: [], ratingHistory: [h('2015-11-10', null, 'amber')] })]),
      options: { today: '2015-12-01' },
    },
    expected: [],
  },
  // awaiting a decision, and disputed
  {
    name: 'a Blue proposal after an Amber agreement waits for a decision: a fresh proposal is not a dispute',
    input: {
      plan: plan([action({ ratingHistory: [h('2015-09-15', null, 'amber'), h('2015-10-13', 'blue', null)] })]),
      options: { today: '2015-12-01' },
    },
    expected: [
      onAction(
        'awaiting_decision',
        'Proposed Blue on 13 October 2015; waiting for the group’s decision for 49 days. ' +
          'The agreed rating is Amber (agreed 15 September 2015).',
      ),
    ],
  },
  {
    name: 'the group overruling a proposal: proposed and agreed differ',
    input: {
      plan: plan([action({ ratingHistory: [h('2015-10-13', 'blue', null), h('2015-11-10', null, 'green')] })]),
      options: { today: '2015-12-01' },
    },
    expected: [
      onAction('disputed', 'Proposed Blue on 13 October 2015, but the group agreed Green (agreed 10 November 2015).'),
    ],
  },
  // agreed by override, without accepted recent evidence
  {
    name: 'agreed Blue by override with no evidence at all: the override reason is shown',
    input: {
      plan: plan([
        action({
          acceptedEvidenceDates: [],
          ratingHistory: [
            h('2015-11-24', 'blue', null),
            agreedBy('2015-11-30', 'blue', 'The audit report is with the board'),
          ],
          reassuranceDueOn: '2016-05-31',
        }),
      ]),
      options: { today: '2015-12-01' },
    },
    expected: [
      onAction(
        'unevidenced',
        'Agreed Blue without accepted recent evidence; override reason: The audit report is with the board.',
      ),
    ],
  },
  {
    name: 'agreed Green by override with only old evidence stays listed',
    input: {
      plan: plan([
        action({
          acceptedEvidenceDates: ['2015-05-01'],
          ratingHistory: [agreedBy('2015-11-10', 'green', 'Minutes to follow.')],
        }),
      ]),
      options: { today: '2015-12-01' },
    },
    expected: [
      onAction('unevidenced', 'Agreed Green without accepted recent evidence; override reason: Minutes to follow.'),
    ],
  },
  {
    name: 'an override is answered by evidence dated within the window of the agreement, accepted later',
    input: {
      // 90 days before 10 November 2015 is 12 August 2015.
      plan: plan([
        action({
          acceptedEvidenceDates: ['2015-08-12'],
          ratingHistory: [agreedBy('2015-11-10', 'green', 'Minutes to follow.')],
        }),
      ]),
      options: { today: '2015-12-01' },
    },
    expected: [],
  },
  {
    name: 'an override of an Amber agreement is not an exception',
    input: {
      plan: plan([
        action({ acceptedEvidenceDates: [], ratingHistory: [agreedBy('2015-11-10', 'amber', 'Recorded by mistake.')] }),
      ]),
      options: { today: '2015-12-01' },
    },
    expected: [],
  },
  // challenged proposals
  {
    name: 'a challenged proposal with nothing agreed is disputed, with the challenge',
    input: {
      plan: plan([
        action({
          ratingHistory: [
            h('2015-11-24', 'blue', null),
            challenged('2015-11-30', 'blue', 'The audit covers one ward only.'),
          ],
        }),
      ]),
      options: { today: '2015-12-01' },
    },
    expected: [
      onAction(
        'disputed',
        'Proposed Blue on 24 November 2015 and challenged on 30 November 2015: The audit covers one ward only.',
      ),
    ],
  },
  {
    name: 'a challenged proposal says what the agreed rating remains',
    input: {
      plan: plan([
        action({
          ratingHistory: [
            h('2015-11-10', null, 'green'),
            h('2015-11-24', 'blue', null),
            challenged('2015-11-30', 'blue', 'One ward only'),
          ],
        }),
      ]),
      options: { today: '2015-12-01' },
    },
    expected: [
      onAction(
        'disputed',
        'Proposed Blue on 24 November 2015 and challenged on 30 November 2015: One ward only. ' +
          'The agreed rating remains Green (agreed 10 November 2015).',
      ),
    ],
  },
  {
    name: 'a proposal made after the challenge clears it',
    input: {
      plan: plan([
        action({
          ratingHistory: [
            h('2015-11-10', null, 'green'),
            h('2015-11-24', 'blue', null),
            challenged('2015-11-25', 'blue', 'One ward only.'),
            h('2015-11-30', 'green', null),
          ],
        }),
      ]),
      options: { today: '2015-12-01' },
    },
    expected: [
      onAction(
        'awaiting_decision',
        'Proposed Green on 30 November 2015; waiting for the group’s decision for 1 day. ' +
          'The agreed rating is Green (agreed 10 November 2015).',
      ),
    ],
  },
  // not SMART
  {
    name: 'no lead and an on-going date',
    input: {
      plan: plan([action({ lead: ' ', dateWords: 'On-going', dueDate: null })]),
      options: { today: '2015-12-01' },
    },
    expected: [onAction('not_smart', 'Not SMART: no lead is named; the date "On-going" is not a date.')],
  },
  {
    name: 'no measure and no outcome',
    input: {
      plan: plan([action({ measure: '' })], {
        recommendations: [{ id: 'r23', number: '2.3', addressedOrganisationIds: ['ccg'], outcome: '' }],
      }),
      options: { today: '2015-12-01' },
    },
    expected: [onAction('not_smart', 'Not SMART: no measure of completion and no recommendation outcome.')],
  },
  {
    name: 'the recommendation outcome stands in for a missing measure',
    input: { plan: plan([action({ measure: '' })]), options: { today: '2015-12-01' } },
    expected: [],
  },
  // uncovered organisations
  {
    name: 'an addressed trust with no action of its own',
    input: { plan: plan([action({ organisationIds: ['ccg', 'rdash'] })]), options: { today: '2015-12-01' } },
    expected: [uncovered('trft', TRUST, 'r23', '2.3')],
  },
  {
    name: 'archived actions are skipped and cover no one',
    input: {
      plan: plan([
        action({ organisationIds: ['ccg', 'rdash'] }),
        action({
          id: 'a2',
          label: 'Action 2 of recommendation 2.3',
          organisationIds: ['trft'],
          dueDate: '2015-09-30',
          acceptedEvidenceDates: [],
          archived: true,
        }),
      ]),
      options: { today: '2015-12-01' },
    },
    expected: [uncovered('trft', TRUST, 'r23', '2.3')],
  },
  {
    name: 'a recommendation with no actions leaves every addressed organisation uncovered, by name',
    input: { plan: plan([]), options: { today: '2015-12-01' } },
    // Sorted by name: 'RDaSH' before 'Rotherham CCG'.
    expected: [
      uncovered('rdash', 'RDaSH', 'r23', '2.3'),
      uncovered('ccg', 'Rotherham CCG', 'r23', '2.3'),
      uncovered('trft', TRUST, 'r23', '2.3'),
    ],
  },
  // concerns without recommendations
  {
    name: 'a concern with no recommendation; good practice needs none',
    input: {
      plan: plan([action()], {
        findings: [
          { id: 'f14', number: '1.4', kind: 'concern', recommendationIds: [] },
          { id: 'f16', number: '1.6', kind: 'good_practice', recommendationIds: [] },
        ],
      }),
      options: { today: '2015-12-01' },
    },
    expected: [
      {
        kind: 'concern_without_recommendation',
        subject: { type: 'finding', id: 'f14', label: 'Finding 1.4' },
        reason: 'Finding 1.4 raises a concern but leads to no recommendation.',
      },
    ],
  },
  // ordering
  {
    name: 'sorted by kind, then label in natural order (2.9 before 2.10)',
    input: {
      plan: plan(
        [
          action({
            id: 'x',
            recommendationId: 'r210',
            label: 'Action 1 of recommendation 2.10',
            organisationIds: ['ccg'],
            lead: '',
          }),
          action({
            id: 'y',
            recommendationId: 'r29',
            label: 'Action 1 of recommendation 2.9',
            organisationIds: ['ccg'],
            lead: '',
          }),
        ],
        {
          recommendations: [
            { id: 'r210', number: '2.10', addressedOrganisationIds: ['ccg', 'trft'], outcome: 'x' },
            { id: 'r29', number: '2.9', addressedOrganisationIds: ['ccg', 'trft'], outcome: 'x' },
          ],
          findings: [
            { id: 'f5210', number: '5.2.10', kind: 'concern', recommendationIds: [] },
            { id: 'f529', number: '5.2.9', kind: 'concern', recommendationIds: [] },
          ],
        },
      ),
      options: { today: '2016-01-05' },
    },
    expected: [
      onAction(
        'overdue',
        'Due 31 December 2015 and not completed: 5 days overdue.',
        'y',
        'Action 1 of recommendation 2.9',
        'r29',
      ),
      onAction(
        'overdue',
        'Due 31 December 2015 and not completed: 5 days overdue.',
        'x',
        'Action 1 of recommendation 2.10',
        'r210',
      ),
      onAction('not_smart', 'Not SMART: no lead is named.', 'y', 'Action 1 of recommendation 2.9', 'r29'),
      onAction('not_smart', 'Not SMART: no lead is named.', 'x', 'Action 1 of recommendation 2.10', 'r210'),
      uncovered('trft', TRUST, 'r29', '2.9'),
      uncovered('trft', TRUST, 'r210', '2.10'),
      {
        kind: 'concern_without_recommendation',
        subject: { type: 'finding', id: 'f529', label: 'Finding 5.2.9' },
        reason: 'Finding 5.2.9 raises a concern but leads to no recommendation.',
      },
      {
        kind: 'concern_without_recommendation',
        subject: { type: 'finding', id: 'f5210', label: 'Finding 5.2.10' },
        reason: 'Finding 5.2.10 raises a concern but leads to no recommendation.',
      },
    ],
  },
  {
    name: 'sorted by recommendation before label (action 3 of 2.1 before action 1 of 2.10)',
    input: {
      plan: plan(
        [
          action({
            id: 'p',
            recommendationId: 'r210',
            label: 'Action 1 of recommendation 2.10',
            organisationIds: ['ccg', 'trft'],
            lead: '',
          }),
          action({
            id: 'q',
            recommendationId: 'r21',
            label: 'Action 3 of recommendation 2.1',
            organisationIds: ['ccg', 'trft'],
            lead: '',
          }),
        ],
        {
          recommendations: [
            { id: 'r210', number: '2.10', addressedOrganisationIds: ['ccg'], outcome: 'x' },
            { id: 'r21', number: '2.1', addressedOrganisationIds: ['ccg'], outcome: 'x' },
          ],
          findings: [],
        },
      ),
      options: { today: '2015-12-01' },
    },
    expected: [
      onAction('not_smart', 'Not SMART: no lead is named.', 'q', 'Action 3 of recommendation 2.1', 'r21'),
      onAction('not_smart', 'Not SMART: no lead is named.', 'p', 'Action 1 of recommendation 2.10', 'r210'),
    ],
  },
];
// These cases are about which exceptions are found and why; whose they are is tested below.
const whatAndWhy = ({ organisationIds: _orgs, lead: _lead, ...rest }: PlanException): PlanException => rest;
for (const { name, input, expected } of cases) {
  test(`findExceptions: ${name}`, () =>
    assert.deepEqual(findExceptions(input.plan, input.options).map(whatAndWhy), expected));
}

// Whose each exception is: the organisations and lead the overview filters by.
const ownerCases: {
  name: string;
  input: { plan: PlanForExceptions; options: ExceptionOptions };
  expected: { kind: PlanException['kind']; subject: string; organisationIds: string[]; lead?: string }[];
}[] = [
  {
    name: "an action's exceptions carry its organisations and its lead",
    input: { plan: plan([action()]), options: { today: '2016-01-05' } },
    expected: [
      {
        kind: 'overdue',
        subject: 'a1',
        organisationIds: ['ccg', 'rdash', 'trft'],
        lead: 'Deputy Designated Nurse and Health MASH',
      },
    ],
  },
  {
    name: 'a lead is tidied of extra spaces, and an organisation named twice counts once',
    input: {
      plan: plan([action({ lead: '  Named   nurse\n for RDaSH ', organisationIds: ['rdash', 'rdash'] })], {
        recommendations: [{ id: 'r23', number: '2.3', addressedOrganisationIds: ['rdash'], outcome: 'x' }],
      }),
      options: { today: '2016-01-05' },
    },
    expected: [{ kind: 'overdue', subject: 'a1', organisationIds: ['rdash'], lead: 'Named nurse for RDaSH' }],
  },
  {
    name: 'an action with no lead has no lead to filter by',
    input: {
      plan: plan([action({ lead: '   ' })], {
        recommendations: [{ id: 'r23', number: '2.3', addressedOrganisationIds: [], outcome: 'x' }],
      }),
      options: { today: '2015-12-01' },
    },
    expected: [{ kind: 'not_smart', subject: 'a1', organisationIds: ['ccg', 'rdash', 'trft'] }],
  },
  {
    name: 'an uncovered organisation is its own, with no lead; a concern without a recommendation is nobody’s',
    input: {
      plan: plan([action({ organisationIds: ['ccg', 'trft'] })], {
        findings: [{ id: 'f14', number: '1.4', kind: 'concern', recommendationIds: [] }],
      }),
      options: { today: '2015-12-01' },
    },
    expected: [
      { kind: 'uncovered_organisation', subject: 'rdash', organisationIds: ['rdash'] },
      { kind: 'concern_without_recommendation', subject: 'f14', organisationIds: [] },
    ],
  },
];
for (const { name, input, expected } of ownerCases) {
  test(`findExceptions: ${name}`, () =>
    assert.deepEqual(
      findExceptions(input.plan, input.options).map((e) => ({
        kind: e.kind,
        subject: e.subject.id,
        organisationIds: e.organisationIds,
        ...(e.lead === undefined ? {} : { lead: e.lead }),
      })),
      expected,
    ));
}

// Needs chasing, or a gap in the plan: every kind is in exactly one section.
const sectionCases: { kind: PlanException['kind']; expected: ExceptionSection }[] = [
  { kind: 'overdue', expected: 'chasing' },
  { kind: 'stale', expected: 'chasing' },
  { kind: 'unevidenced', expected: 'chasing' },
  { kind: 'disputed', expected: 'chasing' },
  { kind: 'awaiting_decision', expected: 'chasing' },
  { kind: 'revised_date_proposed', expected: 'chasing' },
  { kind: 'not_smart', expected: 'gaps' },
  { kind: 'uncovered_organisation', expected: 'gaps' },
  { kind: 'concern_without_recommendation', expected: 'gaps' },
  { kind: 'assurance_lapsed', expected: 'chasing' },
  { kind: 'assignment_disputed', expected: 'chasing' },
  { kind: 'assignment_unaccepted', expected: 'chasing' },
  { kind: 'question_unanswered', expected: 'chasing' },
  { kind: 'no_reassurance_date', expected: 'gaps' },
];
for (const { kind, expected } of sectionCases) {
  test(`exceptionSection: ${kind} is in ${expected}`, () => assert.equal(exceptionSection(kind), expected));
}
test('exceptionSection: the table covers every kind, each in one section', () => {
  assert.deepEqual(sectionCases.map((c) => c.kind).sort(), [...EXCEPTION_KINDS].sort());
  assert.deepEqual([...EXCEPTION_SECTIONS.chasing, ...EXCEPTION_SECTIONS.gaps].sort(), [...EXCEPTION_KINDS].sort());
});

// Filtering: each filter narrows the list; together they must all hold.
const filterPlan = plan(
  [
    action({ id: 'a1', lead: 'Named nurse', organisationIds: ['trft'] }),
    action({
      id: 'a2',
      label: 'Action 2 of recommendation 2.3',
      lead: 'Designated nurse',
      organisationIds: ['ccg', 'trft'],
      lastProgressOn: '2015-06-01',
    }),
  ],
  { findings: [{ id: 'f14', number: '1.4', kind: 'concern', recommendationIds: [] }] },
);
const allFound = findExceptions(filterPlan, { today: '2016-01-05' });
const filterCases: { name: string; filter: ExceptionFilter; expected: string[] }[] = [
  {
    name: 'no filter keeps everything',
    filter: {},
    expected: [
      'overdue a1',
      'overdue a2',
      'stale a2',
      'uncovered_organisation rdash',
      'concern_without_recommendation f14',
    ],
  },
  { name: 'by kind', filter: { kind: 'stale' }, expected: ['stale a2'] },
  { name: 'by organisation', filter: { organisationId: 'ccg' }, expected: ['overdue a2', 'stale a2'] },
  {
    name: 'by an uncovered organisation',
    filter: { organisationId: 'rdash' },
    expected: ['uncovered_organisation rdash'],
  },
  { name: 'by lead, spaces tidied', filter: { lead: ' Named  nurse ' }, expected: ['overdue a1'] },
  { name: 'by lead, case counts', filter: { lead: 'named nurse' }, expected: [] },
  {
    name: 'all three together',
    filter: { kind: 'overdue', organisationId: 'trft', lead: 'Designated nurse' },
    expected: ['overdue a2'],
  },
  { name: 'filters that contradict leave nothing', filter: { kind: 'stale', lead: 'Named nurse' }, expected: [] },
];
for (const { name, filter, expected } of filterCases) {
  test(`filterExceptions: ${name}`, () =>
    assert.deepEqual(
      filterExceptions(allFound, filter).map((e) => `${e.kind} ${e.subject.id}`),
      expected,
    ));
}

const constantCases: { input: number; expected: number }[] = [{ input: DEFAULT_STALE_DAYS, expected: 90 }];
for (const { input, expected } of constantCases) {
  test(`DEFAULT_STALE_DAYS is ${expected}`, () => assert.equal(input, expected));
}

const invalidCases: { name: string; options: ExceptionOptions }[] = [
  { name: 'today must be a date', options: { today: '11/08/2015' } },
  { name: 'staleDays must be a whole number', options: { today: '2015-12-01', staleDays: -1 } },
  { name: 'assignmentDays must be a whole number', options: { today: '2015-12-01', assignmentDays: 1.5 } },
  { name: 'questionDays must be a whole number', options: { today: '2015-12-01', questionDays: -3 } },
];
for (const { name, options } of invalidCases) {
  test(`findExceptions: ${name}`, () => assert.throws(() => findExceptions(plan([action()]), options), RangeError));
}

// Issue 14: lasting assurance, assignments and questions. Each kind appears with its evidence
// missing and goes away when the evidence, the answer or the response arrives.
const completed = (overrides: Partial<ActionForExceptions> = {}): ActionForExceptions =>
  action({
    ratingHistory: [h('2015-12-01', 'blue', null), h('2015-12-08', null, 'blue')],
    acceptedEvidenceDates: ['2015-12-01'],
    sustainHow: 'Re-audit of referrals every six months',
    reassuranceDueOn: '2016-06-30',
    ...overrides,
  });
const assigned = (
  organisationId: string,
  assignedAt: string | null,
  answer: NonNullable<ActionForExceptions['assignments']>[number]['answer'] = null,
) => ({ organisationId, assignedAt, answer });
const question = (overrides: Partial<QuestionForExceptions> = {}): QuestionForExceptions => ({
  id: 'q1',
  text: 'How will the board know referrals stay comprehensive?',
  askedBy: 'Councillor Jones',
  askedOn: '2016-01-04',
  drafted: false,
  subject: { type: 'action', id: 'a1', label: 'Action 1 of recommendation 2.3' },
  recommendationId: 'r23',
  organisationIds: ['ccg'],
  ...overrides,
});
const ofKinds = (kinds: PlanException['kind'][]) => (e: PlanException) => kinds.includes(e.kind);
const ISSUE_14_KINDS: PlanException['kind'][] = [
  'assurance_lapsed',
  'no_reassurance_date',
  'assignment_disputed',
  'assignment_unaccepted',
  'question_unanswered',
];

const issue14Cases: {
  name: string;
  input: { plan: PlanForExceptions; options: ExceptionOptions };
  expected: PlanException[];
}[] = [
  {
    name: 'agreed Blue, fresh evidence due and not in: assurance lapsed, with the dates and the sustain words',
    input: { plan: plan([completed()]), options: { today: '2016-07-05' } },
    expected: [
      onAction(
        'assurance_lapsed',
        'Agreed Blue on 8 December 2015; fresh accepted evidence was due by 30 June 2016 and none has been ' +
          'accepted (5 days ago). How its effect is to be shown to last: Re-audit of referrals every six months.',
      ),
    ],
  },
  {
    name: 'fresh accepted evidence after completion and within the window: assurance held, nothing to chase',
    input: {
      plan: plan([completed({ acceptedEvidenceDates: ['2015-12-01', '2016-06-20'] })]),
      options: { today: '2016-07-05' },
    },
    expected: [],
  },
  {
    name: 'due day still to come: nothing to chase',
    input: { plan: plan([completed()]), options: { today: '2016-06-30' } },
    expected: [],
  },
  {
    name: 'agreed complete with no due day: a gap for the coordinator',
    input: { plan: plan([completed({ reassuranceDueOn: null, sustainHow: '' })]), options: { today: '2016-01-05' } },
    expected: [
      onAction(
        'no_reassurance_date',
        'Agreed Blue on 8 December 2015, with no date set by which fresh evidence is due. ' +
          'The plan does not say how its effect will be shown to last.',
      ),
    ],
  },
  {
    name: 'a proposed Blue is not a completion: no lasting-assurance exception',
    input: {
      plan: plan([completed({ ratingHistory: [h('2015-12-01', 'blue', null)], reassuranceDueOn: null })]),
      options: { today: '2016-07-05' },
    },
    expected: [],
  },
  {
    name: 'an organisation disputes the action: chased at once, whatever its age',
    input: {
      plan: plan([
        action({
          assignments: [
            assigned('ccg', '2015-12-20T10:00:00Z', {
              response: 'disputed',
              reason: 'This action is for the trust',
              by: 'Pat Commissioner',
              at: '2015-12-21T09:00:00Z',
            }),
          ],
        }),
      ]),
      options: { today: '2015-12-22' },
    },
    expected: [
      onAction(
        'assignment_disputed',
        'Rotherham CCG disputes the action (Pat Commissioner, 21 December 2015): This action is for the trust.',
      ),
    ],
  },
  {
    name: 'no answer after more than 14 days: unaccepted; at 14 days, not yet',
    input: {
      plan: plan([
        action({
          assignments: [assigned('ccg', '2015-11-16T10:00:00Z'), assigned('trft', '2015-11-17T10:00:00Z')],
        }),
      ]),
      options: { today: '2015-12-01' },
    },
    expected: [
      onAction(
        'assignment_unaccepted',
        'Assigned to Rotherham CCG on 16 November 2015 and not yet accepted or disputed (15 days; the limit is 14).',
      ),
    ],
  },
  {
    name: 'the review sets its own limit of days',
    input: {
      plan: plan([action({ assignments: [assigned('ccg', '2015-11-16T10:00:00Z')] })]),
      options: { today: '2015-12-01', assignmentDays: 30 },
    },
    expected: [],
  },
  {
    name: 'an accepted assignment, or one of a completed action, is not chased',
    input: {
      plan: plan([
        action({
          assignments: [
            assigned('ccg', '2015-08-11T10:00:00Z', {
              response: 'accepted',
              reason: '',
              by: 'Pat Commissioner',
              at: '2015-08-12T09:00:00Z',
            }),
          ],
        }),
        completed({ id: 'a2', label: 'Action 2 of recommendation 2.3', assignments: [assigned('trft', '2015-08-11')] }),
      ]),
      options: { today: '2016-01-05' },
    },
    expected: [],
  },
  {
    name: 'a question without a published response after more than 28 days',
    input: { plan: plan([action()], { questions: [question()] }), options: { today: '2016-02-05' } },
    expected: [
      onAction(
        'question_unanswered',
        'Councillor Jones asked on 4 January 2016 (32 days; the limit is 28): ' +
          '“How will the board know referrals stay comprehensive?” No response has been drafted.',
      ),
    ],
  },
  {
    name: 'a question about a recommendation, with a drafted response, under a review limit of 30 days',
    input: {
      plan: plan([action()], {
        questions: [
          question({
            drafted: true,
            subject: { type: 'recommendation', id: 'r23', label: 'Recommendation 2.3' },
          }),
        ],
      }),
      options: { today: '2016-02-05', questionDays: 30 },
    },
    expected: [
      {
        kind: 'question_unanswered',
        subject: { type: 'recommendation', id: 'r23', label: 'Recommendation 2.3' },
        recommendationId: 'r23',
        reason:
          'Councillor Jones asked on 4 January 2016 (32 days; the limit is 30): ' +
          '“How will the board know referrals stay comprehensive?” ' +
          'A response is drafted and waits for the coordinator’s approval.',
      },
    ],
  },
  {
    name: 'a question asked 28 days ago is not yet an exception',
    input: { plan: plan([action()], { questions: [question()] }), options: { today: '2016-02-01' } },
    expected: [],
  },
];
for (const { name, input, expected } of issue14Cases) {
  test(`findExceptions: ${name}`, () =>
    assert.deepEqual(
      findExceptions(input.plan, input.options).filter(ofKinds(ISSUE_14_KINDS)).map(whatAndWhy),
      expected,
    ));
}

test('findExceptions: an assignment exception belongs to the organisation it names, not all of the action’s', () => {
  const found = findExceptions(plan([action({ assignments: [assigned('trft', '2015-11-01T10:00:00Z')] })]), {
    today: '2015-12-01',
  }).filter((e) => e.kind === 'assignment_unaccepted');
  assert.deepEqual(
    found.map((e) => e.organisationIds),
    [['trft']],
  );
});
