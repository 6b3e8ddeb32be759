import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { comparePlans } from './compare-plans.ts';
import type { PlanComparison } from './plan-comparison.ts';
import type { PlanSnapshot, SnapshotAction, SnapshotVersionRow } from './plan-snapshot.ts';

function versionRow(number: string, issuedOn: string | null): SnapshotVersionRow {
  return {
    number,
    issuedOn,
    author: 'Head of Safeguarding',
    purpose: 'hwb',
    actionText: '',
    comment: '',
    recipients: '',
    frozen: true,
  };
}

function action(
  id: number,
  recommendationId: number,
  number: number,
  fields: Partial<SnapshotAction> = {},
): SnapshotAction {
  return {
    id,
    recommendationId,
    number,
    label: `Action ${number} of recommendation 1.${recommendationId}`,
    agency: 'RCCG',
    organisationIds: [2],
    action: `Action ${id} text`,
    lead: 'Named GP',
    dateWords: '31 December 2015',
    dueDate: '2015-12-31',
    measure: 'Audit shows it',
    assurance: 'Peer challenge group',
    createdOn: '2015-08-11',
    rating: null,
    ratingStatus: 'none',
    disputed: false,
    agreedBy: null,
    agreedOn: null,
    ratingEvents: [],
    progress: [],
    evidence: [],
    ...fields,
  };
}

/** A small plan as issued in version 1: two recommendations, two actions, one progress entry. */
function baseSnapshot(): PlanSnapshot {
  const basis = {
    actions: 1,
    ratedActions: 0,
    acceptedEvidence: 0,
    lastProgressOn: null,
    lastAgreedBy: null,
    lastAgreedOn: null,
  };
  const version = versionRow('1', '2015-08-11');
  return {
    format: 1,
    takenAt: '2015-08-11T10:00:00.000Z',
    asOf: '2015-08-11',
    staleDays: 90,
    version,
    review: {
      id: 1,
      title: 'Review in Rotherham',
      type: 'CLAS',
      area: 'Rotherham',
      reviewStart: '2015-02-23',
      reviewEnd: '2015-02-27',
      reportPublished: '2015-07-14',
      reportReceived: '2015-07-14',
      planDue: '2015-08-11',
      inspectors: [],
      ratingScale: 'BRAG',
      leadOrganisation: null,
      illustrativeNotice: null,
    },
    organisations: [
      { id: 1, name: 'NHS England', shortName: 'NHS England', kind: 'nhs_england' },
      { id: 2, name: 'NHS Rotherham Clinical Commissioning Group', shortName: 'Rotherham CCG', kind: 'commissioner' },
    ],
    versions: [version],
    groups: [{ id: 1, number: 1, heading: 'NHS England & Rotherham CCG should:', organisationIds: [1, 2] }],
    recommendations: [1, 2].map((id) => ({
      id,
      groupId: 1,
      number: `1.${id}`,
      text: `Recommendation ${id}`,
      outcome: `Outcome ${id}`,
      anticipatedEvidence: '',
      assurance: '',
      responsibleOfficer: '',
      findingNumbers: ['3.3', '3.4'],
      rating: null,
      basis,
    })),
    actions: [
      action(1, 1, 1, { progress: [{ id: 1, on: '2015-08-11', text: 'Forum booked', author: 'Named GP' }] }),
      action(2, 2, 1),
    ],
    exceptions: [],
  };
}

/** A copy of the snapshot with an edit applied: the snapshots it came from never change. */
function edited(snapshot: PlanSnapshot, edit: (s: PlanSnapshot) => void): PlanSnapshot {
  const copy = structuredClone(snapshot);
  edit(copy);
  return copy;
}

function actionOf(snapshot: PlanSnapshot, id: number): SnapshotAction {
  const found = snapshot.actions.find((a) => a.id === id);
  assert.ok(found, `action ${id} is in the snapshot`);
  return found;
}

const LISTS = [
  'addedRecommendations',
  'removedRecommendations',
  'changedRecommendations',
  'addedActions',
  'removedActions',
  'changedActions',
  'ratingChanges',
  'newProgress',
  'newEvidence',
  'evidenceDecisions',
] as const;

/** How many entries each list holds, leaving out the empty ones. */
function counts(comparison: PlanComparison): Record<string, number> {
  return Object.fromEntries(
    LISTS.map((list): [string, number] => [list, comparison[list].length]).filter(([, n]) => n !== 0),
  );
}

// The scripted sequence: version 1 as issued; version 2 after adding an action and its first
// evidence; now after working on the plan for a few months.
const v1 = baseSnapshot();
const v2 = edited(v1, (s) => {
  s.takenAt = '2015-10-01T09:00:00.000Z';
  s.asOf = '2015-10-01';
  s.version = versionRow('2', '2015-10-01');
  s.actions.push(
    action(3, 1, 2, {
      action: 'Re-audit GP records',
      lead: 'Named GP',
      rating: 'green',
      ratingStatus: 'proposed',
      evidence: [
        {
          id: 1,
          kind: 'note',
          title: 'Audit plan',
          effectiveOn: '2015-09-30',
          fileName: null,
          mediaType: null,
          size: null,
          sha256: null,
          url: null,
          note: 'Plan agreed',
          status: 'submitted',
          statusReason: null,
          statusBy: null,
          statusOn: null,
          addedBy: 'Named GP',
          addedOn: '2015-09-30',
        },
      ],
    }),
  );
});
const now = edited(v2, (s) => {
  s.takenAt = '2015-11-30T09:00:00.000Z';
  s.asOf = '2015-11-30';
  s.version = null;
  const added = actionOf(s, 3);
  added.lead = 'Designated Nurse';
  added.dueDate = '2016-01-31';
  s.actions = s.actions.filter((a) => a.id !== 2);
  actionOf(s, 1).rating = 'amber';
  actionOf(s, 1).progress.push({ id: 2, on: '2015-11-20', text: 'Half the practices trained', author: 'Named GP' });
  Object.assign(added.evidence[0] ?? {}, {
    status: 'accepted',
    statusBy: 'Peer challenge group',
    statusOn: '2015-11-26',
  });
  const recommendation = s.recommendations.find((r) => r.id === 1);
  assert.ok(recommendation);
  recommendation.outcome = 'Every GP knows where child protection plans are kept';
});

describe('comparePlans on a scripted sequence of edits', () => {
  it('names each side in words', () => {
    const comparison = comparePlans(v2, now);
    assert.deepEqual(comparison.from, {
      label: 'Version 2 (1 October 2015)',
      number: '2',
      takenAt: '2015-10-01T09:00:00.000Z',
      asOf: '2015-10-01',
    });
    assert.deepEqual(comparison.to, {
      label: 'Now (30 November 2015)',
      number: null,
      takenAt: '2015-11-30T09:00:00.000Z',
      asOf: '2015-11-30',
    });
    assert.equal(comparePlans(v1, now, { from: 'Last board', to: 'Today' }).from.label, 'Last board');
    assert.equal(
      comparePlans(
        edited(v1, (s) => {
          s.version = versionRow('0.1', null);
        }),
        v1,
      ).from.label,
      'Version 0.1',
    );
  });

  it('never reads backwards for a plan assessed as at an earlier date', () => {
    const assessed = (s: PlanSnapshot) => {
      s.asOf = '2016-07-31';
      s.takenAt = '2026-12-07T09:00:00.000Z';
    };
    const issued = edited(v2, (s) => {
      assessed(s);
      s.version = versionRow('8', '2026-12-06');
    });
    const comparison = comparePlans(issued, edited(now, assessed));
    assert.equal(comparison.from.label, 'Version 8 (issued 6 December 2026, as at 31 July 2016)');
    assert.equal(comparison.to.label, 'Now (as at 31 July 2016)');
  });

  it('finds the added action, rated as it came, with its first evidence', () => {
    const comparison = comparePlans(v1, v2);
    const ref = { actionId: 3, label: 'Action 2 of recommendation 1.1', recommendationNumber: '1.1' };
    assert.deepEqual(comparison.addedActions, [{ ...ref, action: 'Re-audit GP records', agency: 'RCCG' }]);
    assert.deepEqual(comparison.ratingChanges, [{ ...ref, before: null, after: 'green' }]);
    assert.deepEqual(comparison.newEvidence, [
      { ...ref, evidenceId: 1, title: 'Audit plan', effectiveOn: '2015-09-30', status: 'submitted' },
    ]);
    assert.deepEqual(counts(comparison), { addedActions: 1, ratingChanges: 1, newEvidence: 1 });
    assert.equal(comparison.unchanged, false);
  });

  it('reports every later edit exactly once, with the words before and after', () => {
    const comparison = comparePlans(v2, now);
    assert.deepEqual(comparison.changedActions, [
      {
        actionId: 3,
        label: 'Action 2 of recommendation 1.1',
        recommendationNumber: '1.1',
        changes: [
          { field: 'Lead officer', before: 'Named GP', after: 'Designated Nurse' },
          { field: 'Due date', before: '31 December 2015', after: '31 January 2016' },
        ],
      },
    ]);
    assert.deepEqual(comparison.removedActions, [
      {
        actionId: 2,
        label: 'Action 1 of recommendation 1.2',
        recommendationNumber: '1.2',
        action: 'Action 2 text',
        agency: 'RCCG',
      },
    ]);
    const first = { actionId: 1, label: 'Action 1 of recommendation 1.1', recommendationNumber: '1.1' };
    assert.deepEqual(comparison.ratingChanges, [{ ...first, before: null, after: 'amber' }]);
    assert.deepEqual(comparison.newProgress, [
      { ...first, progressId: 2, on: '2015-11-20', text: 'Half the practices trained', author: 'Named GP' },
    ]);
    assert.deepEqual(comparison.evidenceDecisions, [
      {
        actionId: 3,
        label: 'Action 2 of recommendation 1.1',
        recommendationNumber: '1.1',
        evidenceId: 1,
        title: 'Audit plan',
        before: 'Submitted, not yet decided',
        after: 'Accepted by Peer challenge group on 26 November 2015',
      },
    ]);
    assert.deepEqual(comparison.changedRecommendations, [
      {
        recommendationId: 1,
        number: '1.1',
        changes: [
          { field: 'Outcome', before: 'Outcome 1', after: 'Every GP knows where child protection plans are kept' },
        ],
      },
    ]);
    assert.deepEqual(counts(comparison), {
      changedRecommendations: 1,
      removedActions: 1,
      changedActions: 1,
      ratingChanges: 1,
      newProgress: 1,
      evidenceDecisions: 1,
    });
  });

  it('shows an action added and edited between the two sides as added, with its latest words', () => {
    const comparison = comparePlans(v1, now);
    assert.deepEqual(
      comparison.addedActions.map((a) => a.actionId),
      [3],
    );
    assert.deepEqual(comparison.changedActions, []);
    assert.deepEqual(
      comparison.newEvidence.map((e) => [e.evidenceId, e.status]),
      [[1, 'accepted']],
    );
    assert.deepEqual(comparison.evidenceDecisions, []);
    assert.deepEqual(
      comparison.ratingChanges.map((r) => [r.actionId, r.before, r.after]),
      [
        [1, null, 'amber'],
        [3, null, 'green'],
      ],
    );
  });

  it('reads the other way round without failing', () => {
    const comparison = comparePlans(now, v1);
    assert.deepEqual(
      comparison.addedActions.map((a) => a.label),
      ['Action 1 of recommendation 1.2'],
    );
    assert.deepEqual(
      comparison.removedActions.map((a) => a.label),
      ['Action 2 of recommendation 1.1'],
    );
    assert.deepEqual(
      comparison.ratingChanges.map((r) => [r.actionId, r.before, r.after]),
      [[1, 'amber', null]],
    );
    assert.deepEqual(comparison.newProgress, []);
    assert.equal(comparison.changedRecommendations[0]?.changes[0]?.after, 'Outcome 1');
  });

  it('finds nothing when a snapshot is compared with itself', () => {
    for (const snapshot of [v1, v2, now]) {
      const comparison = comparePlans(snapshot, structuredClone(snapshot));
      assert.deepEqual(counts(comparison), {});
      assert.equal(comparison.unchanged, true);
    }
  });
});

describe('comparePlans field by field', () => {
  it('shows empty values, organisation names and findings as users read them', () => {
    const after = edited(v1, (s) => {
      Object.assign(actionOf(s, 1), { measure: '', dueDate: null, organisationIds: [2, 1] });
      const recommendation = s.recommendations[0];
      assert.ok(recommendation);
      recommendation.findingNumbers = ['3.3', '3.4', '3.5'];
      recommendation.responsibleOfficer = 'Chief Nurse';
    });
    const comparison = comparePlans(v1, after);
    assert.deepEqual(comparison.changedActions[0]?.changes, [
      { field: 'Due date', before: '31 December 2015', after: 'Not given' },
      { field: 'How we will know', before: 'Audit shows it', after: 'Not given' },
      {
        field: 'Organisations',
        before: 'NHS Rotherham Clinical Commissioning Group',
        after: 'NHS England, NHS Rotherham Clinical Commissioning Group',
      },
    ]);
    assert.deepEqual(comparison.changedRecommendations[0]?.changes, [
      { field: 'Responsible officer', before: 'Not given', after: 'Chief Nurse' },
      { field: 'Findings (See …)', before: '3.3 3.4', after: '3.3 3.4 3.5' },
    ]);
  });

  it('reports an action moved to another recommendation, but not a recommendation renumbered', () => {
    const moved = comparePlans(
      v1,
      edited(v1, (s) => {
        actionOf(s, 2).recommendationId = 1;
      }),
    );
    assert.deepEqual(moved.changedActions[0]?.changes, [{ field: 'Recommendation', before: '1.2', after: '1.1' }]);
    const renumbered = comparePlans(
      v1,
      edited(v1, (s) => {
        const recommendation = s.recommendations[1];
        assert.ok(recommendation);
        recommendation.number = '1.3';
        s.organisations[1] = { id: 2, name: 'NHS South Yorkshire ICB', shortName: 'SY ICB', kind: 'commissioner' };
      }),
    );
    assert.deepEqual(renumbered.changedActions, []);
    assert.deepEqual(renumbered.changedRecommendations, [
      { recommendationId: 2, number: '1.3', changes: [{ field: 'Number', before: '1.2', after: '1.3' }] },
    ]);
  });

  it('names a removed action by the recommendation it had, even when that went too', () => {
    const comparison = comparePlans(
      v1,
      edited(v1, (s) => {
        s.recommendations = s.recommendations.filter((r) => r.id !== 2);
        s.actions = s.actions.filter((a) => a.recommendationId !== 2);
      }),
    );
    assert.deepEqual(comparison.removedRecommendations, [
      { recommendationId: 2, number: '1.2', text: 'Recommendation 2' },
    ]);
    assert.deepEqual(
      comparison.removedActions.map((a) => [a.actionId, a.recommendationNumber]),
      [[2, '1.2']],
    );
    assert.deepEqual(counts(comparison), { removedRecommendations: 1, removedActions: 1 });
  });

  it('leaves out differences nobody could see', () => {
    const comparison = comparePlans(
      v1,
      edited(v1, (s) => {
        actionOf(s, 1).lead = 'Named GP ';
        actionOf(s, 1).organisationIds = [2, 2];
        actionOf(s, 1).ratingStatus = 'none';
      }),
    );
    assert.equal(comparison.unchanged, true);
  });
});

describe('comparePlans on the Rotherham demo plan', () => {
  const demo = JSON.parse(
    readFileSync(new URL('../../test/fixtures/snapshots/rotherham-demo.json', import.meta.url), 'utf8'),
  ) as PlanSnapshot;

  it('finds nothing against an unchanged copy', () => {
    assert.equal(comparePlans(demo, structuredClone(demo)).unchanged, true);
  });

  it('finds exactly the edits made to a copy', () => {
    const submitted = demo.actions.find((a) => a.evidence.some((e) => e.status === 'submitted'));
    const rated = demo.actions.find((a) => a.rating === 'green');
    const removed = demo.actions.find((a) => a !== submitted && a !== rated);
    assert.ok(submitted && rated && removed, 'the demo has submitted evidence and a Green action');
    const later = edited(demo, (s) => {
      s.version = null;
      s.asOf = '2016-08-31';
      s.actions = s.actions.filter((a) => a.id !== removed.id);
      actionOf(s, rated.id).rating = 'blue';
      actionOf(s, rated.id).dateWords = 'Completed August 2016';
      const evidence = actionOf(s, submitted.id).evidence.find((e) => e.status === 'submitted');
      assert.ok(evidence);
      Object.assign(evidence, { status: 'rejected', statusBy: 'Peer challenge group', statusOn: '2016-08-25' });
      actionOf(s, submitted.id).progress.push({
        id: 100_000,
        on: '2016-08-30',
        text: 'Re-audit booked',
        author: 'Named nurse',
      });
    });
    const comparison = comparePlans(demo, later);
    assert.equal(comparison.to.label, 'Now (as at 31 August 2016)', 'assessed as at a date, not the day it was taken');
    assert.deepEqual(counts(comparison), {
      removedActions: 1,
      changedActions: 1,
      ratingChanges: 1,
      newProgress: 1,
      evidenceDecisions: 1,
    });
    assert.equal(comparison.removedActions[0]?.label, removed.label);
    assert.deepEqual(
      comparison.ratingChanges.map((r) => [r.actionId, r.before, r.after]),
      [[rated.id, 'green', 'blue']],
    );
    assert.deepEqual(
      comparison.changedActions[0]?.changes.map((c) => c.field),
      ['Date of action'],
    );
    assert.match(comparison.evidenceDecisions[0]?.after ?? '', /^Rejected by Peer challenge group on 25 August 2016$/);
    assert.equal(
      comparison.newProgress[0]?.recommendationNumber,
      demo.recommendations.find((r) => r.id === submitted.recommendationId)?.number,
    );
  });
});
