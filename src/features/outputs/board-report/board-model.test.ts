import type { Rating, RatingOrNone, RatingScale } from '../../../domain/ratings.ts';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EXCEPTION_KINDS } from '../../../domain/exceptions.ts';
import type {
  PlanSnapshot,
  SnapshotAction,
  SnapshotRatingEvent,
  SnapshotVersionRow,
} from '../../../domain/plan-snapshot.ts';
import { buildBoardReport } from './board-model.ts';

const demo = JSON.parse(
  readFileSync(new URL('../../../../test/fixtures/snapshots/rotherham-demo.json', import.meta.url), 'utf8'),
) as PlanSnapshot;
const RATINGS: RatingOrNone[] = ['blue', 'green', 'amber', 'red', 'none'];

function tally(ratings: readonly (Rating | null)[]): Record<RatingOrNone, number> {
  const counts = { blue: 0, green: 0, amber: 0, red: 0, none: 0 };
  for (const r of ratings) counts[r ?? 'none'] += 1;
  return counts;
}

/** Days from a to b, by the calendar, written apart from the code under test. */
function dayDiff(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
}

describe('buildBoardReport on the Rotherham demo snapshot', () => {
  const report = buildBoardReport({ current: demo, previous: null, changes: null });

  it('names the area, the basis and the day', () => {
    assert.equal(report.title, `${demo.review.area}: progress of the CLAS action plan`);
    assert.equal(report.basisWords, 'The plan as it stands on 31 July 2016');
    assert.equal(report.asOfWords, '31 July 2016');
    assert.equal(report.previousWords, null);
    assert.deepEqual(
      report.key.map((k) => k.name),
      ['Blue', 'Green', 'Amber', 'Red'],
    );
  });

  it('counts actions by rating, with null as no rating, and says so in sentences', () => {
    const expected = tally(demo.actions.map((a) => a.rating));
    assert.deepEqual(report.summary.counts, expected);
    assert.equal(report.summary.totalActions, demo.actions.length);
    assert.equal(report.summary.totalRecommendations, demo.recommendations.length);
    assert.ok(
      report.summary.sentences.includes(`${expected.blue} of ${demo.actions.length} actions are completed (Blue).`),
    );
    assert.ok(report.summary.sentences.includes(`${expected.none} of ${demo.actions.length} actions are not rated.`));
    assert.ok(
      report.summary.sentences.includes(
        `1 of ${demo.actions.length} actions is not yet planned, started or progressed (Red).`,
      ),
    );
  });

  it('counts an action once for each of its organisations', () => {
    assert.deepEqual(
      report.summary.byOrganisation.map((o) => o.organisation),
      demo.organisations.map((o) => o.shortName || o.name),
    );
    for (const organisation of demo.organisations) {
      const theirs = demo.actions.filter((a) => a.organisationIds.includes(organisation.id));
      const row = report.summary.byOrganisation.find(
        (o) => o.organisation === (organisation.shortName || organisation.name),
      );
      assert.deepEqual(row, {
        organisation: organisation.shortName || organisation.name,
        counts: tally(theirs.map((a) => a.rating)),
        total: theirs.length,
      });
      assert.ok(report.charts.byOrganisation.description.includes(`${theirs.length} actions for ${row.organisation}`));
    }
    const chart = report.charts.byOrganisation;
    for (const series of chart.series) {
      assert.deepEqual(
        series.values,
        report.summary.byOrganisation.map((o) => o.counts[series.key]),
      );
    }
  });

  it('places every action against its date once', () => {
    const asOf = demo.asOf;
    const open = demo.actions.filter((a) => a.rating !== 'blue');
    const overdue = open.filter((a) => a.dueDate !== null && dayDiff(a.dueDate, asOf) > 0).length;
    const soon = open.filter(
      (a) => a.dueDate !== null && dayDiff(asOf, a.dueDate) >= 0 && dayDiff(asOf, a.dueDate) <= 30,
    ).length;
    const due = report.summary.due;
    assert.equal(due.completed, demo.actions.length - open.length);
    assert.equal(due.overdue, overdue);
    assert.equal(
      due.overdue,
      demo.exceptions.filter((e) => e.kind === 'overdue').length,
      'agrees with the overdue exceptions',
    );
    assert.equal(due.dueWithin30Days, soon);
    assert.equal(due.noDate, open.filter((a) => a.dueDate === null).length);
    assert.equal(due.completed + due.overdue + due.dueWithin30Days + due.dueLater + due.noDate, demo.actions.length);
    assert.ok(
      due.sentences.includes(`${overdue} actions are overdue: the date has passed and they are not completed.`),
    );
    assert.equal(due.planDueWords, 'The plan was due with CQC by 11 August 2015.');
    assert.deepEqual(report.summary.trend, ['No earlier version has been issued, so there is no trend yet.']);
  });

  it('charts ratings month by month from the first action to the report day', () => {
    const chart = report.charts.overTime;
    assert.equal(chart.orientation, 'vertical');
    assert.equal(chart.categoryAxisName, 'End of month');
    const first = demo.actions.map((a) => a.createdOn).sort()[0];
    assert.equal(first, '2015-08-11');
    assert.equal(chart.categories[0], 'August 2015');
    assert.equal(chart.categories.at(-1), 'July 2016');
    assert.equal(chart.categories.length, 12);
    // At the end of October 2015, by a plain reading of each action's events.
    const atOctober = tally(
      demo.actions.map((a) => {
        const known = a.ratingEvents.filter((e) => e.on <= '2015-10-31');
        return (
          (known.filter((e) => e.kind === 'agreed').at(-1) ?? known.filter((e) => e.kind === 'proposed').at(-1))
            ?.rating ?? null
        );
      }),
    );
    const october = chart.categories.indexOf('October 2015');
    for (const series of chart.series) assert.equal(series.values[october], atOctober[series.key], series.key);
    assert.ok(
      chart.description.includes(
        `At the end of October 2015 there were ${demo.actions.length} actions: ${atOctober.blue} Blue`,
      ),
    );
    // On the report's day the history gives the ratings the plan shows.
    for (const series of chart.series) assert.equal(series.values.at(-1), report.summary.counts[series.key]);
  });

  it('groups the exceptions by kind, in the standard order, with recommendation numbers', () => {
    const kinds = report.exceptions.map((g) => g.kind);
    assert.deepEqual(
      kinds,
      EXCEPTION_KINDS.filter((k) => demo.exceptions.some((e) => e.kind === k)),
    );
    for (const group of report.exceptions) {
      assert.equal(group.items.length, demo.exceptions.filter((e) => e.kind === group.kind).length);
    }
    const stale = report.exceptions.find((g) => g.kind === 'stale');
    assert.equal(stale?.kindWords, `No progress for ${demo.staleDays} days`);
    const raw = demo.exceptions.find((e) => e.kind === 'overdue');
    const rec = demo.recommendations.find((r) => r.id === raw?.recommendationId);
    assert.deepEqual(report.exceptions[0]?.items[0], {
      label: raw?.label,
      recommendationNumber: rec?.number,
      reason: raw?.reason,
    });
    const finding = report.exceptions.find((g) => g.kind === 'concern_without_recommendation')?.items[0];
    assert.equal(finding?.recommendationNumber, null);
  });

  it('gives each recommendation, in plan order, the basis of its rating', () => {
    assert.deepEqual(
      report.recommendations.map((r) => r.number),
      demo.recommendations.map((r) => r.number),
    );
    const source = demo.recommendations[0];
    const first = report.recommendations[0];
    assert.ok(source && first);
    assert.equal(
      first.basisWords,
      '4 of 5 actions rated. 3 pieces of accepted evidence. Last progress 14 July 2016. Rating agreed by Peer ' +
        'challenge group on 21 July 2016.',
    );
    assert.equal(first.acceptedEvidence, source.basis.acceptedEvidence);
    assert.equal(first.actions, demo.actions.filter((a) => a.recommendationId === source.id).length);
    assert.equal(first.ratingWords, 'Not rated', 'one of its five actions is not rated, so it cannot show Green');
  });
});

// Small hand-made snapshots for the rules at their edges.

let nextId = 1;

function action(
  fields: Partial<SnapshotAction> & { events?: [SnapshotRatingEvent['kind'], Rating, string][] },
): SnapshotAction {
  const id = nextId++;
  const ratingEvents = (fields.events ?? []).map(([kind, rating, on]) => ({
    kind,
    rating,
    on,
    by: kind === 'agreed' ? 'Peer challenge group' : 'Lead',
  }));
  return {
    id,
    recommendationId: 1,
    label: `Action ${id} of recommendation 1.1`,
    number: id,
    agency: 'CCG',
    organisationIds: [1],
    action: 'Do it',
    lead: 'Lead',
    dateWords: '',
    dueDate: null,
    measure: '',
    assurance: '',
    createdOn: '2016-01-01',
    rating: null,
    ratingStatus: 'none',
    disputed: false,
    agreedBy: null,
    agreedOn: null,
    ratingEvents,
    progress: [],
    evidence: [],
    ...fields,
  };
}

function snapshot(
  fields: {
    scale?: RatingScale;
    asOf: string;
    actions: SnapshotAction[];
    version?: SnapshotVersionRow | null;
  } & Partial<PlanSnapshot>,
): PlanSnapshot {
  const { scale = 'BRAG', ...rest } = fields;
  return {
    format: 1,
    takenAt: `${fields.asOf}T09:00:00.000Z`,
    staleDays: 60,
    version: null,
    versions: [],
    groups: [],
    exceptions: [],
    review: {
      id: 1,
      title: 'Review of health services in Testshire',
      type: 'CLAS',
      area: 'Testshire',
      reviewStart: null,
      reviewEnd: null,
      reportPublished: null,
      reportReceived: null,
      planDue: null,
      inspectors: [],
      ratingScale: scale,
      leadOrganisation: null,
      illustrativeNotice: null,
    },
    organisations: [
      { id: 1, name: 'Testshire Integrated Care Board', shortName: 'Testshire ICB', kind: 'commissioner' },
      { id: 2, name: 'Healthwatch Testshire', shortName: '', kind: 'other' },
    ],
    recommendations: [
      {
        id: 1,
        groupId: 1,
        number: '1.1',
        text: 'Improve.',
        outcome: '',
        anticipatedEvidence: '',
        assurance: '',
        responsibleOfficer: '',
        findingNumbers: [],
        rating: null,
        basis: {
          actions: 1,
          ratedActions: 0,
          acceptedEvidence: 1,
          lastProgressOn: null,
          lastAgreedBy: null,
          lastAgreedOn: null,
        },
      },
    ],
    ...rest,
  };
}

describe('buildBoardReport on hand-made plans', () => {
  it('places due dates at the edges: yesterday overdue, today and day 30 due soon, day 31 later', () => {
    const plan = snapshot({
      asOf: '2016-07-31',
      actions: [
        action({ dueDate: '2016-07-30' }),
        action({ dueDate: '2016-07-31', rating: 'green' }),
        action({ dueDate: '2016-08-30', rating: 'amber' }),
        action({ dueDate: '2016-08-31' }),
        action({ dueDate: null }),
        action({ dueDate: '2016-01-01', rating: 'blue' }),
      ],
    });
    const due = buildBoardReport({ current: plan, previous: null, changes: null }).summary.due;
    assert.deepEqual(
      {
        overdue: due.overdue,
        soon: due.dueWithin30Days,
        later: due.dueLater,
        noDate: due.noDate,
        completed: due.completed,
      },
      { overdue: 1, soon: 2, later: 1, noDate: 1, completed: 1 },
    );
    assert.ok(due.sentences.includes('1 action is overdue: the date has passed and it is not completed.'));
    assert.ok(due.sentences.includes('2 actions are due in the next 30 days, by 30 August 2016.'));
  });

  it('speaks RAG when the plan uses it: Green is completed and there is no Blue', () => {
    const plan = snapshot({
      scale: 'RAG',
      asOf: '2016-07-31',
      actions: [action({ rating: 'green', dueDate: '2016-01-01' }), action({ rating: 'red' })],
    });
    const report = buildBoardReport({ current: plan, previous: null, changes: null });
    assert.deepEqual(
      report.key.map((k) => k.rating),
      ['green', 'amber', 'red'],
    );
    assert.ok(report.summary.sentences.includes('1 of 2 actions is completed (Green).'));
    assert.ok(report.summary.sentences.includes('1 of 2 actions is not started (Red).'));
    assert.equal(report.summary.due.completed, 1);
    assert.equal(report.summary.due.overdue, 0);
    assert.deepEqual(
      report.charts.byOrganisation.series.map((s) => s.key),
      ['green', 'amber', 'red', 'none'],
    );
    assert.equal(report.exceptions.length, 0);
  });

  it('shows an organisation with no actions as 0, and says so', () => {
    const report = buildBoardReport({
      current: snapshot({ asOf: '2016-07-31', actions: [action({})] }),
      previous: null,
      changes: null,
    });
    assert.deepEqual(report.summary.byOrganisation[1], {
      organisation: 'Healthwatch Testshire',
      counts: { blue: 0, green: 0, amber: 0, red: 0, none: 0 },
      total: 0,
    });
    assert.match(report.charts.byOrganisation.description, /No actions for Healthwatch Testshire\./);
  });

  it('counts only actions that existed at each period end, by the rating agreed, else proposed, then', () => {
    const early = action({
      createdOn: '2016-01-10',
      events: [
        ['proposed', 'green', '2016-01-20'],
        ['agreed', 'amber', '2016-02-05'],
        ['proposed', 'blue', '2016-03-01'],
      ],
    });
    const late = action({ createdOn: '2016-02-20' });
    const report = buildBoardReport({
      current: snapshot({ asOf: '2016-03-15', actions: [early, late] }),
      previous: null,
      changes: null,
    });
    const chart = report.charts.overTime;
    assert.deepEqual(chart.categories, ['January 2016', 'February 2016', '15 March 2016']);
    const values = Object.fromEntries(chart.series.map((s) => [s.key, s.values]));
    assert.deepEqual(values, { blue: [0, 0, 0], green: [1, 0, 0], amber: [0, 1, 1], red: [0, 0, 0], none: [0, 1, 1] });
    assert.match(chart.description, /At the end of January 2016 there was 1 action: 1 Green\./);
    assert.match(
      chart.description,
      /On 15 March 2016, the date of this report, there were 2 actions: 1 Amber and 1 not rated\./,
    );
  });

  it('switches to quarters when months would give more than 16 bars', () => {
    const report = buildBoardReport({
      current: snapshot({ asOf: '2016-12-31', actions: [action({ createdOn: '2015-01-10' })] }),
      previous: null,
      changes: null,
    });
    const chart = report.charts.overTime;
    assert.equal(chart.categoryAxisName, 'End of quarter');
    assert.deepEqual(chart.categories, [
      'March 2015',
      'June 2015',
      'September 2015',
      'December 2015',
      'March 2016',
      'June 2016',
      'September 2016',
      'December 2016',
    ]);
  });

  it('describes the trend against the previous version, and the versions in words', () => {
    const kept = action({ rating: 'green' });
    const gone = action({ rating: 'red' });
    const keptThen = { ...kept, rating: 'red' as const };
    const added = action({ rating: 'blue' });
    const previous = snapshot({
      asOf: '2016-03-01',
      actions: [keptThen, gone],
      version: {
        number: '3',
        issuedOn: '2016-03-01',
        author: 'A',
        purpose: 'hwb',
        actionText: '',
        comment: '',
        recipients: '',
        frozen: true,
      },
    });
    const current = snapshot({
      asOf: '2016-07-31',
      actions: [kept, added],
      version: {
        number: '4',
        issuedOn: '2016-07-31',
        author: 'A',
        purpose: 'Sent to the trust boards',
        actionText: '',
        comment: '',
        recipients: '',
        frozen: true,
      },
    });
    const report = buildBoardReport({ current, previous, changes: null });
    assert.equal(report.basisWords, 'Version 4, issued 31 July 2016 (Sent to the trust boards)');
    assert.equal(report.previousWords, 'Version 3, issued 1 March 2016 (Health and Wellbeing Board)');
    assert.deepEqual(report.summary.trend, [
      'The plan had 2 actions in version 3 and has 2 now.',
      '1 action is completed (Blue), up from 0 in version 3.',
      '1 action is on target (Green), up from 0 in version 3.',
      '0 actions are not yet planned, started or progressed (Red), down from 2 in version 3.',
      '1 action has been added and 1 action has been removed since the plan as it was in version 3.',
    ]);
  });

  it('says plainly what is missing from a recommendation basis', () => {
    const report = buildBoardReport({
      current: snapshot({ asOf: '2016-07-31', actions: [action({})] }),
      previous: null,
      changes: null,
    });
    assert.equal(
      report.recommendations[0]?.basisWords,
      '0 of 1 action rated. 1 piece of accepted evidence. No progress recorded. No rating has been agreed.',
    );
    assert.equal(report.recommendations[0].ratingWords, 'Not rated');
    assert.equal(report.recommendations[0].rating, 'none');
  });

  it('is pure: leaves its input alone and gives the same report twice', () => {
    const before = JSON.stringify(demo);
    const a = buildBoardReport({ current: demo, previous: demo, changes: null });
    assert.equal(JSON.stringify(demo), before);
    assert.deepEqual(buildBoardReport({ current: demo, previous: demo, changes: null }), a);
    assert.ok(
      a.summary.trend.includes('No actions have been added or removed since the plan as it was on 31 July 2016.'),
    );
    for (const rating of RATINGS) assert.equal(typeof a.summary.counts[rating], 'number');
  });
});
