// A hand-made board report for tests of the HTML, Word and PDF writers: the Rotherham demo
// plan (test/fixtures/snapshots/rotherham-demo.json) as at 31 July 2016, its numbers worked
// out once and written down here so that a writer's test does not depend on the model that
// builds reports. Every part of the report has entries and every rating has actions; every
// recommendation has a rating (as in the demo plan), so a test wanting "No rating yet" sets one.
import {
  RATING_COLOURS,
  RATING_NAMES,
  ratingKey,
  ratingLabel,
  type Rating,
  type RatingOrNone,
} from '../../src/domain/ratings.ts';
import { formatLongDate } from '../../src/domain/dates.ts';
import type { PlanComparison } from '../../src/domain/plan-comparison.ts';
import type {
  BoardReport,
  ChartSpec,
  RatingCountsWithNone,
} from '../../src/features/outputs/board-report/board-report.ts';

const SERIES_ORDER: RatingOrNone[] = ['blue', 'green', 'amber', 'red', 'none'];

function counts(blue: number, green: number, amber: number, red: number, none: number): RatingCountsWithNone {
  return { blue, green, amber, red, none };
}

function total(c: RatingCountsWithNone): number {
  return c.blue + c.green + c.amber + c.red + c.none;
}

const ORGANISATIONS: [string, RatingCountsWithNone][] = [
  ['GP practices in Rotherham', counts(3, 1, 0, 0, 1)],
  ['NHS England', counts(10, 3, 0, 0, 2)],
  ['NHS Rotherham Clinical Commissioning Group', counts(24, 5, 2, 1, 1)],
  ['Rotherham Doncaster and South Humber NHS Foundation Trust', counts(25, 4, 1, 0, 0)],
  ['Rotherham Metropolitan Borough Council', counts(20, 5, 1, 0, 1)],
  ['The Rotherham NHS Foundation Trust', counts(51, 8, 2, 1, 2)],
];

/** Issued versions and now, oldest first: the "ratings over time" chart. */
const OVER_TIME: [string, RatingCountsWithNone][] = [
  ['10 August 2015', counts(0, 20, 38, 20, 15)],
  ['19 November 2015', counts(21, 34, 20, 8, 10)],
  ['21 January 2016', counts(45, 26, 11, 4, 7)],
  ['19 May 2016', counts(63, 18, 5, 2, 5)],
  ['31 July 2016', counts(72, 13, 3, 1, 4)],
];

function describeCounts(c: RatingCountsWithNone): string {
  return SERIES_ORDER.map((key) => `${RATING_NAMES[key]} ${c[key]}`).join(', ');
}

function chart(
  id: string,
  title: string,
  rows: [string, RatingCountsWithNone][],
  shape: Pick<ChartSpec, 'orientation' | 'categoryAxisName'>,
): ChartSpec {
  return {
    id,
    title,
    description: `${title}. ${rows.map(([name, c]) => `${name}: ${describeCounts(c)}.`).join(' ')}`,
    categories: rows.map(([name]) => name),
    series: SERIES_ORDER.map((key) => ({
      key,
      name: RATING_NAMES[key],
      colour: RATING_COLOURS[key].fill,
      values: rows.map(([, c]) => c[key]),
    })),
    valueAxisName: 'Actions',
    ...shape,
  };
}

function ref(actionId: number, number: number, recommendationNumber: string) {
  return { actionId, label: `Action ${number} of recommendation ${recommendationNumber}`, recommendationNumber };
}

function changesSinceLastBoard(): PlanComparison {
  return {
    from: { label: 'Version 9 (19 May 2016)', number: '9', takenAt: '2016-05-19T16:00:00.000Z', asOf: '2016-05-19' },
    to: { label: 'Version 10 (31 July 2016)', number: '10', takenAt: '2016-07-31T16:00:00.000Z', asOf: '2016-07-31' },
    addedRecommendations: [],
    removedRecommendations: [],
    changedRecommendations: [
      {
        recommendationId: 20,
        number: '4.8',
        changes: [
          {
            field: 'Outcome',
            before: 'Care leavers have a health passport.',
            after: 'Every care leaver has a health passport and knows how to use it.',
          },
        ],
      },
    ],
    addedActions: [
      {
        ...ref(94, 8, '4.8'),
        action: 'Re-audit health passports given to care leavers six months after the new template is in use.',
        agency: 'TRFT',
      },
    ],
    removedActions: [
      { ...ref(81, 6, '4.7'), action: 'Pilot a drop-in clinic for care leavers at the youth centre.', agency: 'TRFT' },
    ],
    changedActions: [
      {
        ...ref(85, 3, '4.9'),
        changes: [
          { field: 'Date of action', before: '31 March 2016', after: '30 September 2016' },
          {
            field: 'Lead officer',
            before: 'Named Nurse Looked After Children',
            after: 'Head of Nursing, Children and Young People',
          },
        ],
      },
    ],
    ratingChanges: [
      { ...ref(1, 1, '1.1'), before: 'green', after: 'blue' },
      { ...ref(85, 3, '4.9'), before: 'green', after: 'amber' },
      { ...ref(79, 7, '4.8'), before: null, after: 'amber' },
    ],
    newProgress: [
      {
        ...ref(3, 3, '1.1'),
        progressId: 310,
        on: '2016-07-14',
        text:
          'Safeguarding training for practice staff booked for September 2016; ' +
          '31 of 36 practices have named leads.',
        author: 'Named GP Safeguarding',
      },
      {
        ...ref(85, 3, '4.9'),
        progressId: 311,
        on: '2016-07-14',
        text: 'Audit delayed by staff absence; new date agreed with the designated nurse.',
        author: 'Named Nurse Looked After Children',
      },
    ],
    newEvidence: [
      {
        ...ref(1, 1, '1.1'),
        evidenceId: 140,
        title: 'GP safeguarding training figures, June 2016',
        effectiveOn: '2016-06-30',
        status: 'accepted',
      },
      {
        ...ref(79, 7, '4.8'),
        evidenceId: 141,
        title: 'Health passport draft template',
        effectiveOn: '2016-07-01',
        status: 'submitted',
      },
    ],
    evidenceDecisions: [
      {
        ...ref(90, 1, '4.11'),
        evidenceId: 120,
        title: 'Initial health assessment audit',
        before: 'Submitted',
        after: 'Rejected',
      },
    ],
    unchanged: false,
  };
}

const EXCEPTIONS: BoardReport['exceptions'] = [
  {
    kind: 'overdue',
    kindWords: 'Overdue',
    items: [
      {
        label: 'Action 2 of recommendation 1.1',
        recommendationNumber: '1.1',
        reason: 'Due 6 November 2014 and not completed: 633 days overdue.',
      },
      {
        label: 'Action 1 of recommendation 2.1',
        recommendationNumber: '2.1',
        reason: 'Due 31 August 2015 and not completed: 335 days overdue.',
      },
      {
        label: 'Action 2 of recommendation 2.2',
        recommendationNumber: '2.2',
        reason: 'Due 31 January 2016 and not completed: 182 days overdue.',
      },
    ],
  },
  {
    kind: 'stale',
    kindWords: 'No progress for 90 days',
    items: [
      {
        label: 'Action 2 of recommendation 1.1',
        recommendationNumber: '1.1',
        reason: 'No progress recorded since 11 August 2015 (355 days; the limit is 90).',
      },
      {
        label: 'Action 1 of recommendation 2.1',
        recommendationNumber: '2.1',
        reason: 'No progress recorded since 14 April 2016 (108 days; the limit is 90).',
      },
    ],
  },
  {
    kind: 'unevidenced',
    kindWords: 'Green or Blue without accepted evidence',
    items: [
      {
        label: 'Action 4 of recommendation 1.1',
        recommendationNumber: '1.1',
        reason: 'Rated Blue (agreed) with no accepted evidence.',
      },
      {
        label: 'Action 1 of recommendation 4.11',
        recommendationNumber: '4.11',
        reason: 'Rated Green (agreed) with no accepted evidence.',
      },
    ],
  },
  {
    kind: 'disputed',
    kindWords: 'Disputed rating',
    items: [
      {
        label: 'Action 5 of recommendation 3.1',
        recommendationNumber: '3.1',
        reason: 'Proposed Blue on 9 June 2016, but the agreed rating is Green (agreed 16 June 2016).',
      },
    ],
  },
  {
    kind: 'not_smart',
    kindWords: 'Not SMART',
    items: [
      {
        label: 'Action 3 of recommendation 4.6',
        recommendationNumber: '4.6',
        reason: 'Not SMART: the date "Immediate" is not a date.',
      },
    ],
  },
  {
    kind: 'uncovered_organisation',
    kindWords: 'Organisation with no action of its own',
    items: [
      {
        label: 'NHS England',
        recommendationNumber: '2.1',
        reason: 'NHS England is addressed by recommendation 2.1 but has no action of its own.',
      },
    ],
  },
  {
    kind: 'concern_without_recommendation',
    kindWords: 'Concern that no recommendation answers',
    items: [
      {
        label: 'Finding 1.4',
        recommendationNumber: null,
        reason: 'Finding 1.4 raises a concern but leads to no recommendation.',
      },
    ],
  },
];

type RecommendationRow = [
  number: string,
  rating: RatingOrNone,
  actions: number,
  acceptedEvidence: number,
  lastProgressOn: string | null,
  lastAgreedOn: string | null,
  text: string,
];

/** The 24 recommendations: rating rolled up from their actions (the worst rated one), and its basis. */
const RECOMMENDATIONS: RecommendationRow[] = [
  [
    '1.1',
    'green',
    5,
    3,
    '2016-07-14',
    '2016-07-21',
    'Work with GPs to ensure that they fully understand the local child protection processes, including ' +
      'their responsibilities around record keeping, information governance and information sharing.',
  ],
  [
    '2.1',
    'green',
    5,
    5,
    '2016-06-09',
    '2016-06-16',
    'Ensure children and young people who have attended the emergency department following ' +
      'an episode of self-harm or other mental health care need and admitted on to the ' +
      "trust's paediatric ward are looked after by appropriately trained practitioners " +
      'and that there is a clear, written risk management plan in place for each child.',
  ],
  [
    '2.2',
    'green',
    2,
    2,
    '2016-07-26',
    '2015-11-19',
    'Develop a perinatal mental health pathway that is compliant with NICE guidance and reflects ' +
      'all services that are available to support women with perinatal mental health needs.',
  ],
  [
    '2.3',
    'blue',
    2,
    1,
    '2016-01-12',
    '2016-01-21',
    'Ensure that health practitioners are completing referrals to ' +
      "children's social care that clearly assess and articulate the risk.",
  ],
  [
    '2.4',
    'blue',
    2,
    2,
    '2015-11-05',
    '2015-11-19',
    'Ensure effective governance around record keeping, including use of chronologies, ' +
      'case note entry, sharing of information and understanding of consent.',
  ],
  [
    '2.5',
    'blue',
    3,
    2,
    '2016-01-07',
    '2016-01-21',
    'Ensure that pharmacists and practitioners working from the local walk-in centre are aware ' +
      'of their role in referring young people for local screening for sexually transmitted ' +
      'infections or in raising safeguarding concerns and that clear pathways of care are in place.',
  ],
  [
    '3.1',
    'green',
    5,
    5,
    '2016-06-09',
    '2016-06-16',
    'Ensure that children and young people who are working with CAMHS ' +
      'practitioners have a clearly identified lead professional and that regular ' +
      "communication takes place with the child's GP where there is concern.",
  ],
  [
    '3.2',
    'green',
    7,
    7,
    '2016-07-27',
    '2016-06-16',
    'Ensure that children and young people engaged with CAMHS have access to a clear pathway ' +
      'of care that includes arrangements for stepping up and down from Tier 4 services.',
  ],
  [
    '3.3',
    'green',
    2,
    2,
    '2016-04-28',
    '2016-05-19',
    'Improve the emergency department documentation and assessment templates to ' +
      'ensure safeguarding processes are robust and support practitioners in the ' +
      'identification and recording of children of adults who are accessing services.',
  ],
  [
    '3.4',
    'amber',
    3,
    2,
    '2016-01-14',
    '2016-01-21',
    'Implement a clear operational performance management system to demonstrate compliance ' +
      'with organisational requirements and effective safeguarding and child protection practice.',
  ],
  [
    '3.5',
    'blue',
    3,
    3,
    '2015-11-26',
    '2015-12-17',
    'Ensure that CAMHs practitioners develop clear service care plans for individual children. ' +
      'These should explicitly underpin child protection plans where these are in place.',
  ],
  [
    '3.6',
    'blue',
    2,
    2,
    '2016-01-14',
    '2016-01-21',
    'Adult mental health and substance misuse practitioners should, where appropriate, ' +
      'share relapse indicators with other professionals working with vulnerable families.',
  ],
  [
    '4.1',
    'blue',
    5,
    5,
    '2016-01-28',
    '2016-02-18',
    'Ensure that previous attendances at the emergency department by children or young ' +
      'people are routinely considered as part of the safeguarding triage assessment.',
  ],
  [
    '4.2',
    'blue',
    3,
    3,
    '2016-01-14',
    '2016-01-21',
    'Improve the identification and recording of children who are cared for by ' +
      'adults who attend ED following risk taking behaviours or mental health concerns ' +
      'and that these children are brought to the attention of paediatric liaison.',
  ],
  [
    '4.3',
    'blue',
    8,
    8,
    '2016-02-04',
    '2016-02-18',
    'Improve the risk assessment for vulnerability in midwifery services, CASH and GUM to ' +
      'ensure that vulnerability is being identified and responded to at the earliest opportunity.',
  ],
  [
    '4.4',
    'blue',
    3,
    3,
    '2016-01-14',
    '2016-01-21',
    'Ensure a robust communication process is in place to ' +
      'facilitate joint working between midwives and health visitors.',
  ],
  [
    '4.5',
    'red',
    4,
    3,
    '2016-02-11',
    '2016-02-18',
    'Ensure that midwives are routinely including information ' +
      'from general practice as part of the initial risk assessment.',
  ],
  [
    '4.6',
    'green',
    4,
    4,
    '2016-06-09',
    '2016-06-16',
    'Work with partners to develop a clear pre-birth protocol for expectant ' +
      'women to include robust plans for timely discharge of mother and baby.',
  ],
  [
    '4.7',
    'green',
    6,
    5,
    '2016-05-12',
    '2016-05-19',
    'Ensure that practitioners working in CASH and GUM are clear about their contribution ' +
      'to local arrangements for child sexual exploitation and child protection.',
  ],
  [
    '4.8',
    'amber',
    8,
    6,
    '2016-06-30',
    '2016-07-21',
    'Ensure that children looked after receive timely, comprehensive and child centred initial health ' +
      'assessments and review health assessments that reflect the voice of the child and ' +
      "the child's health journey whilst they have been looked after. " +
      'Assessments should include information from other health professionals working with the child ' +
      'and every attempt should be made to include parental health histories.',
  ],
  [
    '4.9',
    'amber',
    4,
    3,
    '2016-07-14',
    '2016-07-21',
    'Ensure that health plans developed from initial health assessments and health reviews are SMART.',
  ],
  [
    '4.10',
    'blue',
    3,
    3,
    '2015-12-03',
    '2015-12-17',
    'Improve opportunities for young people who are looked after to participate in their health reviews.',
  ],
  [
    '4.11',
    'green',
    2,
    1,
    '2016-05-12',
    '2016-05-19',
    'Improve the arrangements to support young people with their healthcare as they prepare ' +
      'to leave care and ensure that they are provided with comprehensive health care summaries.',
  ],
  [
    '4.12',
    'green',
    2,
    2,
    '2016-05-12',
    '2016-05-19',
    'Improve the quality assurance process of paediatric liaison within the emergency ' +
      'department so that the trust and the CCG are confident that practitioners are ' +
      'remaining vigilant to potential safeguarding and child protection concerns.',
  ],
];

const AGREED_BY = 'Peer challenge group';

function basisWords(accepted: number, lastProgressOn: string | null, agreedOn: string | null): string {
  const evidence = `${accepted} accepted ${accepted === 1 ? 'piece' : 'pieces'} of evidence`;
  const progress = lastProgressOn ? `last progress ${formatLongDate(lastProgressOn)}` : 'no progress recorded';
  const agreed = agreedOn
    ? ` Rating agreed by the ${AGREED_BY.toLowerCase()} on ${formatLongDate(agreedOn)}.`
    : ' No rating agreed yet.';
  return `${evidence}; ${progress}.${agreed}`.replace(/^./, (c) => c.toUpperCase());
}

function recommendation([
  number,
  rating,
  actions,
  acceptedEvidence,
  lastProgressOn,
  lastAgreedOn,
  text,
]: RecommendationRow): BoardReport['recommendations'][number] {
  return {
    number,
    text,
    rating,
    ratingWords: ratingLabel('BRAG', rating === 'none' ? null : (rating satisfies Rating)),
    basisWords: basisWords(acceptedEvidence, lastProgressOn, lastAgreedOn),
    acceptedEvidence,
    lastProgressOn,
    lastAgreedBy: lastAgreedOn ? AGREED_BY : null,
    lastAgreedOn,
    actions,
  };
}

/**
 * A fresh, complete board report each call (tests may change it freely). `overrides`
 * replaces whole top-level fields: `{ changes: null }`, `{ previousWords: null }`.
 */
export function sampleBoardReport(overrides: Partial<BoardReport> = {}): BoardReport {
  const overall = counts(72, 13, 3, 1, 4);
  const report: BoardReport = {
    title: 'Rotherham: progress of the CLAS action plan',
    reviewTitle: 'Review of health services for Children Looked After and Safeguarding in Rotherham',
    area: 'Rotherham',
    scale: 'BRAG',
    asOfWords: '31 July 2016',
    asOf: '2016-07-31',
    takenAt: '2016-07-31T16:00:00.000Z',
    basisWords: 'Version 10, issued 31 July 2016 (Health and Wellbeing Board)',
    previousWords: 'Version 9, issued 19 May 2016 (Health and Wellbeing Board)',
    illustrativeNotice:
      'Illustrative data: ratings, evidence and later progress are ' +
      "invented to demonstrate Clasp and are not Rotherham's real record.",
    key: ratingKey('BRAG'),
    summary: {
      totalActions: total(overall),
      totalRecommendations: RECOMMENDATIONS.length,
      counts: overall,
      sentences: [
        'The plan has 93 actions under 24 recommendations.',
        '72 of 93 actions are completed (Blue) and 13 are on target (Green).',
        '3 actions are off target with remedial action (Amber) and 1 has not yet started (Red).',
        '4 actions have no rating yet.',
        'An action shared by several organisations counts once for each of them in the table by organisation.',
      ],
      byOrganisation: ORGANISATIONS.map(([organisation, c]) => ({ organisation, counts: c, total: total(c) })),
      due: {
        planDueWords: 'The plan was due with CQC on 11 August 2015; that date has passed.',
        overdue: 19,
        dueWithin30Days: 0,
        dueLater: 1,
        noDate: 1,
        completed: 72,
        sentences: [
          '19 actions are past their date and not completed.',
          'No actions fall due in the next 30 days.',
          '1 action is due later.',
          '1 action has a date that cannot be worked out ("On-going continuous monitoring").',
        ],
      },
      trend: [
        'Since version 9 (19 May 2016), 9 more actions are completed: 72, up from 63.',
        'Green actions went down from 18 to 13, Amber from 5 to 3 and Red from 2 to 1.',
        'Actions with no rating went down from 5 to 4.',
      ],
      lasting: {
        lapsed: 1,
        held: 2,
        due: 3,
        noDate: 66,
        sentences: ['Assurance lapsed for 1 completed action: the day for fresh accepted evidence passed without it.'],
      },
    },
    charts: {
      byOrganisation: chart('ratings-by-organisation', 'Ratings of actions by organisation', ORGANISATIONS, {
        orientation: 'horizontal',
        categoryAxisName: 'Organisation',
      }),
      overTime: chart('ratings-over-time', 'Ratings of actions over time', OVER_TIME, {
        orientation: 'vertical',
        categoryAxisName: 'Date',
      }),
    },
    changes: changesSinceLastBoard(),
    exceptions: structuredClone(EXCEPTIONS),
    deadlines: {
      known: true,
      items: [
        {
          label: 'Action 1 of recommendation 2.3',
          recommendationNumber: '2.3',
          originalWords: '31 December 2015',
          currentWords: '31 March 2016',
          moves: 1,
          proposedWords: 'None',
        },
      ],
    },
    lapsed: [
      {
        label: 'Action 1 of recommendation 1.1',
        recommendationNumber: '1.1',
        statusWords: 'Assurance lapsed',
        dueWords: '30 June 2016',
        sustainHow: 'Re-audit of initial health assessments every six months.',
      },
    ],
    questions: [
      {
        id: 1,
        about: 'Recommendation 1.1',
        text: 'How will the board know the audits continue?',
        askedBy: 'Councillor Ahmed',
        forum: 'health_wellbeing_board',
        meeting: 'Health and Wellbeing Board, 19 May 2016',
        askedOn: '2016-05-19',
        organisation: 'NHS Rotherham CCG',
        response: {
          text: 'The designated nurse reports the audit to the board twice a year.',
          publishedOn: '2016-06-10',
          approvedBy: 'Plan coordinator',
        },
      },
      {
        id: 2,
        about: 'the review',
        text: 'When will the plan be signed off?',
        askedBy: 'Scrutiny panel chair',
        forum: 'scrutiny_panel',
        meeting: '',
        askedOn: '2016-07-04',
        organisation: null,
        response: null,
      },
    ],
    recommendations: RECOMMENDATIONS.map(recommendation),
  };
  return { ...report, ...overrides };
}
