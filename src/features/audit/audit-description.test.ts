import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEvent } from './audit-description.ts';
import { changesOf, formatValue, humanise } from './audit-changes.ts';
import { formatInstant } from '../../domain/dates.ts';
import { startOfLondonDay } from './london-time.ts';

describe('describeEvent', () => {
  const cases: [string, string, unknown, unknown, string][] = [
    ['progress_update', 'created', null, { progress_on: '2026-11-20', text: 'Done' }, 'Posted a progress update'],
    ['evidence_item', 'created', null, { title: 'Audit report', kind: 'file' }, 'Added evidence "Audit report"'],
    ['progress_update', 'withdrawn', null, { progress_on: '2026-11-20' }, 'Withdrew a progress update'],
    [
      'evidence_item',
      'withdrawn',
      { status: 'submitted' },
      { title: 'Audit report' },
      'Withdrew evidence "Audit report"',
    ],
    ['evidence_item', 'updated', { status: 'submitted' }, { status: 'accepted' }, 'Accepted evidence'],
    [
      'evidence_item',
      'updated',
      { status: 'submitted' },
      { status: 'rejected', status_reason: 'Unreadable' },
      'Rejected evidence',
    ],
    ['evidence', 'accepted', null, null, 'Accepted evidence'],
    ['rating_event', 'created', null, { kind: 'agreed', rating: 'blue' }, 'Agreed the rating Blue'],
    ['rating_event', 'created', null, { kind: 'proposed', rating: 'amber' }, 'Proposed the rating Amber'],
    [
      'rating_challenge',
      'created',
      null,
      { rating: 'green', rationale: 'No evidence' },
      'Challenged the proposed rating Green',
    ],
    ['action', 'updated', { due_date: '2027-03-31' }, { due_date: '2027-06-30' }, 'Changed the action'],
    ['action', 'created', null, { action_text: 'Audit' }, 'Added an action'],
    ['action', 'archived', { archivedAt: null }, { archivedAt: '2026-11-23T10:00:00Z' }, 'Archived the action'],
    ['action', 'restored', null, null, 'Restored the action'],
    ['action', 'moved', null, { direction: 'down' }, 'Moved the action down'],
    ['recommendation', 'created', null, { number: '2.3', text: 'Do it' }, 'Added recommendation 2.3'],
    ['recommendation', 'archived', null, null, 'Archived the recommendation'],
    ['recommendation_group', 'created', null, { number: 4 }, 'Added recommendation group 4'],
    ['finding', 'updated', { text: 'a' }, { text: 'b' }, 'Changed the finding'],
    ['review', 'created', null, { title: 'Review' }, 'Created the review'],
    ['review', 'updated', { area: 'A' }, { area: 'B' }, 'Changed the review details'],
    ['review', 'demo.loaded', null, null, 'Loaded the demo review'],
    ['membership', 'created', null, { role: 'editor' }, 'Added a member'],
    ['membership', 'deleted', { role: 'editor' }, null, "Removed a member's role"],
    ['user', 'signed in', null, null, 'Signed in'],
    ['plan_version', 'created', null, { number: '1.2' }, 'Issued version 1.2 of the plan'],
    ['widget', 'created', null, null, 'Added a widget'],
    ['widget', 'frobnicated', null, null, 'Frobnicated: the widget'],
  ];
  for (const [entityType, action, before, after, expected] of cases) {
    it(`${entityType} ${action} → ${expected}`, () => {
      assert.equal(describeEvent({ entityType, action, before, after }), expected);
    });
  }
});

describe('formatInstant', () => {
  const cases: [string, string][] = [
    ['2026-11-23T14:05:00Z', '23 November 2026 at 2:05pm'],
    // British Summer Time: an hour ahead of UTC.
    ['2026-07-01T09:30:00.000Z', '1 July 2026 at 10:30am'],
    ['2026-07-01T11:00:00Z', '1 July 2026 at midday'],
    ['2026-06-30T23:00:00Z', '1 July 2026 at midnight'],
    ['2026-01-01T00:01:00Z', '1 January 2026 at 12:01am'],
    // Clocks go back at 01:00 UTC on 25 October 2026.
    ['2026-10-25T00:30:00Z', '25 October 2026 at 1:30am'],
    ['2026-10-25T01:30:00Z', '25 October 2026 at 1:30am'],
    ['not a date', 'not a date'],
  ];
  for (const [iso, expected] of cases) {
    it(`${iso} → ${expected}`, () => assert.equal(formatInstant(iso), expected));
  }
});

describe('startOfLondonDay', () => {
  const cases: [string, string][] = [
    ['2026-01-15', '2026-01-15T00:00:00.000Z'],
    ['2026-07-01', '2026-06-30T23:00:00.000Z'],
    // Clocks go forward at 01:00 UTC on 29 March 2026, after midnight.
    ['2026-03-29', '2026-03-29T00:00:00.000Z'],
    ['2026-03-30', '2026-03-29T23:00:00.000Z'],
    ['2026-10-25', '2026-10-24T23:00:00.000Z'],
    ['2026-10-26', '2026-10-26T00:00:00.000Z'],
  ];
  for (const [day, expected] of cases) {
    it(`${day} begins at ${expected}`, () => assert.equal(startOfLondonDay(day), expected));
  }
});

describe('changes', () => {
  it('lists only the fields an update changed, in words, without the version counter', () => {
    assert.deepEqual(
      changesOf(
        { due_date: '2027-03-31', measure: 'Same', version: 3 },
        { due_date: '2027-06-30', measure: 'Same', version: 4 },
      ),
      {
        kind: 'update',
        rows: [{ field: 'Due date', before: '31 March 2027', after: '30 June 2027' }],
      },
    );
  });

  it('lists the values a creation recorded, and what a removal took away', () => {
    assert.deepEqual(changesOf(null, { title: 'Minutes', organisationIds: [3, 4], public: true, note: null }), {
      kind: 'values',
      heading: 'Values recorded',
      rows: [
        { field: 'Title', value: 'Minutes' },
        { field: 'Organisation IDs', value: '3, 4' },
        { field: 'Public', value: 'Yes' },
        { field: 'Note', value: 'Not set' },
      ],
    });
    assert.deepEqual(changesOf({ role: 'editor' }, null), {
      kind: 'values',
      heading: 'Values before',
      rows: [{ field: 'Role', value: 'editor' }],
    });
    assert.deepEqual(changesOf(null, null), { kind: 'none' });
  });

  it('never shows JSON or secrets', () => {
    assert.equal(
      formatValue('period', { start: '2026-01-01', end: '2026-03-31' }),
      'Start: 1 January 2026; End: 31 March 2026',
    );
    assert.equal(formatValue('password_hash', '$argon2id$v=19'), 'Hidden');
    assert.equal(formatValue('proposed_rating', 'amber'), 'Amber');
    assert.equal(formatValue('archivedAt', '2026-11-23T14:05:00.000Z'), '23 November 2026 at 2:05pm');
    assert.equal(formatValue('items', []), 'None');
  });

  it('turns field names into words', () => {
    assert.equal(humanise('progress_update_id'), 'Progress update ID');
    assert.equal(humanise('statusReason'), 'Status reason');
    assert.equal(humanise('url'), 'URL');
  });
});
