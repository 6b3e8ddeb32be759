// Snapshots frozen before meetings, lasting assurance and questions were kept still load and
// say plainly what they cannot tell; a snapshot that has them shows the lapse and the meeting.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import { planSnapshotSchema } from '../versions/versions.schemas.ts';
import { buildBoardReport } from './board-model.ts';

const fixture = (): PlanSnapshot =>
  JSON.parse(
    readFileSync(new URL('../../../../test/fixtures/snapshots/rotherham-demo.json', import.meta.url), 'utf8'),
  ) as PlanSnapshot;

describe('lasting assurance and meetings in the board report', () => {
  it('an old snapshot still reads, and says it cannot tell whether assurance lapsed', () => {
    const old = fixture();
    assert.equal(old.actions[0]?.reassuranceDueOn, undefined);
    assert.ok(planSnapshotSchema.safeParse(old).success, 'the old snapshot matches the schema');
    const report = buildBoardReport({ current: old, previous: null, changes: null });
    assert.deepEqual(report.summary.lasting.sentences, [
      'This version was issued before Clasp kept lasting assurance, so it cannot say whether any has lapsed.',
    ]);
    assert.equal(report.summary.lasting.lapsed, 0);
    assert.deepEqual(report.lapsed, []);
    assert.equal(report.questions, null);
  });

  it('counts a lapsed completion on its own and names the meeting that agreed a rating', () => {
    const snapshot = fixture();
    const first = snapshot.actions[0];
    assert.ok(first && first.rating === 'blue' && first.ratingStatus === 'agreed');
    for (const action of snapshot.actions) {
      action.reassuranceDueOn = null;
      action.sustainHow = '';
    }
    // Fresh evidence was due a day before the snapshot's day, and none dated after completion was accepted.
    first.reassuranceDueOn = '2016-07-30';
    first.sustainHow = 'Re-audit each year.';
    first.evidence = [];
    const recommendation = snapshot.recommendations.find((r) => r.id === first.recommendationId);
    assert.ok(recommendation);
    recommendation.basis.lastAgreedAt = { forum: 'peer_challenge', startsAt: '2017-01-12T14:00' };
    snapshot.questions = [];
    assert.ok(planSnapshotSchema.safeParse(snapshot).success, 'the new fields match the schema');
    const report = buildBoardReport({ current: snapshot, previous: null, changes: null });
    assert.equal(report.summary.lasting.lapsed, 1);
    assert.deepEqual(report.lapsed, [
      {
        label: first.label,
        recommendationNumber: recommendation.number,
        statusWords: 'Assurance lapsed',
        dueWords: '30 July 2016',
        sustainHow: 'Re-audit each year.',
      },
    ]);
    const basis = report.recommendations.find((r) => r.number === recommendation.number)?.basisWords ?? '';
    assert.match(basis, /Rating agreed by the peer challenge group, 12 January 2017/);
    assert.deepEqual(report.questions, []);
  });
});
