import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildRatingHistory,
  currentRating,
  hasRecentEvidence,
  inHistoryOrder,
  isComplete,
  keyLabel,
  NO_RATING,
  proposalAwaitingDecision,
  isRatingAllowed,
  needsRecentEvidence,
  RATING_COLOURS,
  ratingKey,
  ratingLabel,
  ratingOn,
  ratingsOf,
  recentEvidenceWindow,
  shownRating,
  type CurrentRating,
  type RatingChallenge,
  type RatingDecision,
  type Rating,
  type RatingHistoryEntry,
  type RatingScale,
} from './ratings.ts';

const labelCases: { input: [RatingScale, Rating | null]; expected: string }[] = [
  { input: ['BRAG', 'blue'], expected: 'Blue: completed' },
  { input: ['BRAG', 'green'], expected: 'Green: on target' },
  { input: ['BRAG', 'amber'], expected: 'Amber: off target with remedial action' },
  { input: ['BRAG', 'red'], expected: 'Red: not yet planned, started or progressed' },
  { input: ['BRAG', null], expected: 'Not rated' },
  { input: ['RAG', 'green'], expected: 'Green: completed' },
  { input: ['RAG', 'amber'], expected: 'Amber: in progress or off target' },
  { input: ['RAG', 'red'], expected: 'Red: not started' },
  { input: ['RAG', 'blue'], expected: 'Blue' },
  { input: ['RAG', null], expected: 'Not rated' },
];
for (const {
  input: [scale, rating],
  expected,
} of labelCases) {
  test(`ratingLabel(${scale}, ${rating}) is ${JSON.stringify(expected)}`, () =>
    assert.equal(ratingLabel(scale, rating), expected));
}

const allowedCases: { input: [RatingScale, Rating]; expected: boolean }[] = [
  { input: ['BRAG', 'blue'], expected: true },
  { input: ['BRAG', 'red'], expected: true },
  { input: ['RAG', 'blue'], expected: false },
  { input: ['RAG', 'green'], expected: true },
  { input: ['RAG', 'amber'], expected: true },
  { input: ['RAG', 'red'], expected: true },
];
for (const { input, expected } of allowedCases) {
  test(`isRatingAllowed(${input.join(', ')}) is ${expected}`, () => assert.equal(isRatingAllowed(...input), expected));
}

const completeCases: { input: [RatingScale, Rating]; expected: boolean }[] = [
  { input: ['BRAG', 'blue'], expected: true },
  { input: ['BRAG', 'green'], expected: false },
  { input: ['BRAG', 'amber'], expected: false },
  { input: ['BRAG', 'red'], expected: false },
  { input: ['RAG', 'green'], expected: true },
  { input: ['RAG', 'blue'], expected: false },
  { input: ['RAG', 'amber'], expected: false },
  { input: ['RAG', 'red'], expected: false },
];
for (const { input, expected } of completeCases) {
  test(`isComplete(${input.join(', ')}) is ${expected}`, () => assert.equal(isComplete(...input), expected));
}

const h = (at: string, proposed: Rating | null, agreed: Rating | null): RatingHistoryEntry => ({
  at,
  proposed,
  agreed,
});
const agreedWith = (at: string, agreed: Rating, overrideReason: string | null): RatingHistoryEntry => ({
  at,
  proposed: null,
  agreed,
  overrideReason,
});
const challengedOn = (at: string, challenged: Rating, rationale: string): RatingHistoryEntry => ({
  at,
  proposed: null,
  agreed: null,
  challenged,
  rationale,
});
const currentCases: { name: string; input: RatingHistoryEntry[]; expected: CurrentRating }[] = [
  {
    name: 'no history',
    input: [],
    expected: {
      agreed: null,
      proposed: null,
      agreedAt: null,
      proposedAt: null,
      awaitingDecision: false,
      disputed: false,
      overrideReason: null,
      challenge: null,
    },
  },
  {
    name: 'proposal awaiting its first agreement is not disputed',
    input: [h('2015-09-01', 'green', null)],
    expected: {
      agreed: null,
      proposed: 'green',
      agreedAt: null,
      proposedAt: '2015-09-01',
      awaitingDecision: true,
      disputed: false,
      overrideReason: null,
      challenge: null,
    },
  },
  {
    name: 'agreed as proposed',
    input: [h('2015-09-01', 'green', null), h('2015-09-15', null, 'green')],
    expected: {
      agreed: 'green',
      proposed: 'green',
      agreedAt: '2015-09-15',
      proposedAt: '2015-09-01',
      awaitingDecision: false,
      disputed: false,
      overrideReason: null,
      challenge: null,
    },
  },
  {
    name: 'group overruled the proposal: the two differ, so disputed',
    input: [h('2015-09-01', 'green', null), h('2015-09-15', null, 'amber')],
    expected: {
      agreed: 'amber',
      proposed: 'green',
      agreedAt: '2015-09-15',
      proposedAt: '2015-09-01',
      awaitingDecision: false,
      disputed: true,
      overrideReason: null,
      challenge: null,
    },
  },
  {
    name: 'overruled in the same entry: disputed',
    input: [h('2015-10-13', 'blue', 'green')],
    expected: {
      agreed: 'green',
      proposed: 'blue',
      agreedAt: '2015-10-13',
      proposedAt: '2015-10-13',
      awaitingDecision: false,
      disputed: true,
      overrideReason: null,
      challenge: null,
    },
  },
  {
    name: 'a new proposal after an agreement that differs awaits a decision: not a dispute',
    input: [h('2015-09-15', 'amber', 'amber'), h('2015-10-13', 'green', null)],
    expected: {
      agreed: 'amber',
      proposed: 'green',
      agreedAt: '2015-09-15',
      proposedAt: '2015-10-13',
      awaitingDecision: true,
      disputed: false,
      overrideReason: null,
      challenge: null,
    },
  },
  {
    name: 'same day, a proposal entered after the agreement awaits a decision: not a dispute',
    input: [h('2015-10-13', null, 'amber'), h('2015-10-13', 'blue', null)],
    expected: {
      agreed: 'amber',
      proposed: 'blue',
      agreedAt: '2015-10-13',
      proposedAt: '2015-10-13',
      awaitingDecision: true,
      disputed: false,
      overrideReason: null,
      challenge: null,
    },
  },
  {
    name: 'a new proposal equal to the agreement awaits a decision, and is not disputed',
    input: [h('2015-09-15', null, 'green'), h('2015-10-13', 'green', null)],
    expected: {
      agreed: 'green',
      proposed: 'green',
      agreedAt: '2015-09-15',
      proposedAt: '2015-10-13',
      awaitingDecision: true,
      disputed: false,
      overrideReason: null,
      challenge: null,
    },
  },
  {
    name: 'dispute settled by a later agreement',
    input: [h('2015-09-15', null, 'amber'), h('2015-10-13', 'blue', null), h('2015-11-10', null, 'blue')],
    expected: {
      agreed: 'blue',
      proposed: 'blue',
      agreedAt: '2015-11-10',
      proposedAt: '2015-10-13',
      awaitingDecision: false,
      disputed: false,
      overrideReason: null,
      challenge: null,
    },
  },
  {
    name: 'agreed Blue by override: the reason stays with the agreement',
    input: [
      h('2026-11-20', 'blue', null),
      agreedWith('2026-11-23', 'blue', 'Audit report due next week; the ward manager confirmed in person.'),
    ],
    expected: {
      agreed: 'blue',
      proposed: 'blue',
      agreedAt: '2026-11-23',
      proposedAt: '2026-11-20',
      awaitingDecision: false,
      disputed: false,
      overrideReason: 'Audit report due next week; the ward manager confirmed in person.',
      challenge: null,
    },
  },
  {
    name: 'a later agreement with evidence drops the override',
    input: [agreedWith('2026-10-01', 'green', 'Minutes to follow.'), agreedWith('2026-11-23', 'green', null)],
    expected: {
      agreed: 'green',
      proposed: null,
      agreedAt: '2026-11-23',
      proposedAt: null,
      awaitingDecision: false,
      disputed: false,
      overrideReason: null,
      challenge: null,
    },
  },
  {
    name: 'a challenged proposal with nothing agreed is disputed',
    input: [h('2026-11-20', 'blue', null), challengedOn('2026-11-23', 'blue', 'The audit covers one ward only.')],
    expected: {
      agreed: null,
      proposed: 'blue',
      agreedAt: null,
      proposedAt: '2026-11-20',
      awaitingDecision: false,
      disputed: true,
      overrideReason: null,
      challenge: { rating: 'blue', rationale: 'The audit covers one ward only.', at: '2026-11-23' },
    },
  },
  {
    name: 'a challenge of a proposal equal to an older agreement is still disputed',
    input: [
      h('2026-09-01', null, 'green'),
      h('2026-11-20', 'green', null),
      challengedOn('2026-11-23', 'green', 'No audit since June.'),
    ],
    expected: {
      agreed: 'green',
      proposed: 'green',
      agreedAt: '2026-09-01',
      proposedAt: '2026-11-20',
      awaitingDecision: false,
      disputed: true,
      overrideReason: null,
      challenge: { rating: 'green', rationale: 'No audit since June.', at: '2026-11-23' },
    },
  },
  {
    name: 'a new proposal after the challenge answers it',
    input: [
      h('2026-11-20', 'blue', null),
      challengedOn('2026-11-21', 'blue', 'One ward only.'),
      h('2026-11-23', 'green', null),
    ],
    expected: {
      agreed: null,
      proposed: 'green',
      agreedAt: null,
      proposedAt: '2026-11-23',
      awaitingDecision: true,
      disputed: false,
      overrideReason: null,
      challenge: null,
    },
  },
  {
    name: 'an agreement after the challenge answers it',
    input: [
      h('2026-11-20', 'blue', null),
      challengedOn('2026-11-21', 'blue', 'One ward only.'),
      h('2026-11-23', null, 'amber'),
    ],
    expected: {
      agreed: 'amber',
      proposed: 'blue',
      agreedAt: '2026-11-23',
      proposedAt: '2026-11-20',
      awaitingDecision: false,
      disputed: true,
      overrideReason: null,
      challenge: null,
    },
  },
];
for (const { name, input, expected } of currentCases) {
  test(`currentRating: ${name}`, () => assert.deepEqual(currentRating(input), expected));
}

const decision = (
  kind: 'proposed' | 'agreed',
  rating: Rating,
  decidedOn: string,
  recordedAt: string,
  overrideReason: string | null = null,
): RatingDecision => ({ kind, rating, decidedOn, recordedAt, overrideReason });
const challenge = (
  rating: Rating,
  decidedOn: string,
  recordedAt: string,
  rationale = 'Not enough.',
): RatingChallenge => ({ rating, decidedOn, recordedAt, rationale });
const historyCases: { name: string; input: [RatingDecision[], RatingChallenge[]]; expected: RatingHistoryEntry[] }[] = [
  { name: 'nothing', input: [[], []], expected: [] },
  {
    name: 'decisions keep their stored order when they share a day and an instant',
    input: [
      [
        decision('agreed', 'amber', '2015-10-13', '2026-01-01T00:00:00.000Z'),
        decision('proposed', 'blue', '2015-10-13', '2026-01-01T00:00:00.000Z'),
      ],
      [],
    ],
    expected: [
      { proposed: null, agreed: 'amber', at: '2015-10-13', overrideReason: null },
      { proposed: 'blue', agreed: null, at: '2015-10-13' },
    ],
  },
  {
    name: 'a challenge goes after the proposal it challenged and before a later proposal the same day',
    input: [
      [
        decision('proposed', 'blue', '2026-11-23', '2026-11-23T09:00:00.000Z'),
        decision('proposed', 'green', '2026-11-23', '2026-11-23T15:00:00.000Z'),
      ],
      [challenge('blue', '2026-11-23', '2026-11-23T11:00:00.000Z')],
    ],
    expected: [
      { proposed: 'blue', agreed: null, at: '2026-11-23' },
      { proposed: null, agreed: null, challenged: 'blue', rationale: 'Not enough.', at: '2026-11-23' },
      { proposed: 'green', agreed: null, at: '2026-11-23' },
    ],
  },
  {
    name: 'challenges on later days come last, oldest first; an override stays on its agreement',
    input: [
      [
        decision('agreed', 'green', '2026-10-01', '2026-10-01T10:00:00.000Z', 'Minutes to follow.'),
        decision('proposed', 'blue', '2026-11-01', '2026-11-01T10:00:00.000Z'),
      ],
      [
        challenge('blue', '2026-11-20', '2026-11-20T10:00:00.000Z', 'Second.'),
        challenge('blue', '2026-11-02', '2026-11-02T10:00:00.000Z', 'First.'),
      ],
    ],
    expected: [
      { proposed: null, agreed: 'green', at: '2026-10-01', overrideReason: 'Minutes to follow.' },
      { proposed: 'blue', agreed: null, at: '2026-11-01' },
      { proposed: null, agreed: null, challenged: 'blue', rationale: 'First.', at: '2026-11-02' },
      { proposed: null, agreed: null, challenged: 'blue', rationale: 'Second.', at: '2026-11-20' },
    ],
  },
];
for (const { name, input, expected } of historyCases) {
  test(`buildRatingHistory: ${name}`, () => assert.deepEqual(buildRatingHistory(...input), expected));
}

const scaleCases: { input: RatingScale; expected: Rating[] }[] = [
  { input: 'BRAG', expected: ['blue', 'green', 'amber', 'red'] },
  { input: 'RAG', expected: ['green', 'amber', 'red'] },
];
for (const { input, expected } of scaleCases) {
  test(`ratingsOf(${input}) is ${expected.join(', ')}`, () => assert.deepEqual(ratingsOf(input), expected));
}

const needsEvidenceCases: { input: Rating; expected: boolean }[] = [
  { input: 'blue', expected: true },
  { input: 'green', expected: true },
  { input: 'amber', expected: false },
  { input: 'red', expected: false },
];
for (const { input, expected } of needsEvidenceCases) {
  test(`needsRecentEvidence(${input}) is ${expected}`, () => assert.equal(needsRecentEvidence(input), expected));
}

const windowCases: { input: [string, number]; expected: { from: string; to: string } }[] = [
  { input: ['2026-11-23', 90], expected: { from: '2026-08-25', to: '2026-11-23' } },
  // Across a leap day: 2024-02-29 exists.
  { input: ['2024-03-30', 30], expected: { from: '2024-02-29', to: '2024-03-30' } },
  { input: ['2026-11-23', 0], expected: { from: '2026-11-23', to: '2026-11-23' } },
];
for (const { input, expected } of windowCases) {
  test(`recentEvidenceWindow(${input.join(', ')})`, () => assert.deepEqual(recentEvidenceWindow(...input), expected));
}

const recentCases: { name: string; input: [string[], string, number]; expected: boolean }[] = [
  { name: 'none', input: [[], '2026-11-23', 90], expected: false },
  { name: 'the first day of the window counts', input: [['2026-08-25'], '2026-11-23', 90], expected: true },
  { name: 'the day before the window does not', input: [['2026-08-24'], '2026-11-23', 90], expected: false },
  { name: 'today counts', input: [['2026-11-23'], '2026-11-23', 90], expected: true },
  { name: 'a date after today does not', input: [['2026-11-24'], '2026-11-23', 90], expected: false },
  { name: 'one recent among old ones', input: [['2025-01-01', '2026-11-01'], '2026-11-23', 90], expected: true },
];
for (const { name, input, expected } of recentCases) {
  test(`hasRecentEvidence: ${name}`, () => assert.equal(hasRecentEvidence(...input), expected));
}

const awaitingCases: { name: string; input: RatingHistoryEntry[]; expected: boolean }[] = [
  { name: 'no history', input: [], expected: false },
  { name: 'a first proposal', input: [h('2026-11-20', 'blue', null)], expected: true },
  {
    name: 'a proposal the group has agreed since',
    input: [h('2026-11-20', 'blue', null), h('2026-11-23', null, 'blue')],
    expected: false,
  },
  { name: 'a proposal overruled in the same entry', input: [h('2026-11-20', 'blue', 'green')], expected: false },
  {
    name: 'a proposal after an agreement',
    input: [h('2026-10-01', null, 'amber'), h('2026-11-20', 'green', null)],
    expected: true,
  },
  {
    name: 'a proposal already challenged',
    input: [
      h('2026-11-20', 'blue', null),
      { at: '2026-11-23', proposed: null, agreed: null, challenged: 'blue', rationale: 'One ward only.' },
    ],
    expected: false,
  },
];
for (const { name, input, expected } of awaitingCases) {
  test(`proposalAwaitingDecision: ${name}`, () => assert.equal(proposalAwaitingDecision(input), expected));
}

// WCAG 2.2 relative luminance and contrast ratio (1.4.3 Contrast (Minimum): 4.5:1 for text).
const luminance = (hex: string): number => {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
};
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};
for (const [rating, { fill, text }] of Object.entries(RATING_COLOURS)) {
  test(`the ${rating} rating's text (${text}) reads on its fill (${fill}) at 4.5:1 or better`, () => {
    assert.ok(contrast(text, fill) >= 4.5, `contrast ${contrast(text, fill).toFixed(2)}:1`);
  });
}
test('the contrast check can tell a poor pair from a good one', () => {
  assert.ok(contrast('#ffffff', '#ffb81c') < 4.5);
  assert.equal(contrast('#000000', '#ffffff').toFixed(0), '21');
});

test('every key names each rating of its scale in key order, and "Not rated" only when asked', () => {
  assert.deepEqual(
    ratingKey('BRAG').map((e) => keyLabel(e)),
    [
      'Blue: completed',
      'Green: on target',
      'Amber: off target with remedial action',
      'Red: not yet planned, started or progressed',
    ],
  );
  assert.deepEqual(
    ratingKey('RAG', { withNone: true }).map((e) => keyLabel(e)),
    [
      'Green: completed',
      'Amber: in progress or off target',
      'Red: not started',
      `${NO_RATING.name}: no rating proposed or agreed yet`,
    ],
  );
  assert.deepEqual(
    ratingKey('RAG', { withNone: true }).map((e) => e.colour),
    ['#007f3b', '#ffb81c', '#d5281b', '#d8dde0'],
  );
});

const shownCases: { agreed: Rating | null; proposed: Rating | null; expected: Rating | null }[] = [
  { agreed: null, proposed: null, expected: null },
  { agreed: null, proposed: 'green', expected: 'green' },
  { agreed: 'amber', proposed: null, expected: 'amber' },
  { agreed: 'amber', proposed: 'blue', expected: 'amber' },
];
for (const { agreed, proposed, expected } of shownCases) {
  test(`shownRating: agreed ${agreed}, proposed ${proposed} shows ${expected}`, () =>
    assert.equal(shownRating({ agreed, proposed }), expected));
}

// One action's history: proposed Green on 1 July 2016, challenged on 5 July, agreed Amber on
// 10 July, proposed Blue on 20 July.
const dayHistory: RatingHistoryEntry[] = [
  { at: '2016-07-01', proposed: 'green', agreed: null },
  { at: '2016-07-05', proposed: null, agreed: null, challenged: 'green', rationale: 'No evidence' },
  { at: '2016-07-10T14:00:00.000Z', proposed: null, agreed: 'amber' },
  { at: '2016-07-20', proposed: 'blue', agreed: null },
];
const onCases: { day: string; expected: Rating | null }[] = [
  { day: '2016-06-30', expected: null },
  { day: '2016-07-01', expected: 'green' },
  { day: '2016-07-05', expected: 'green' },
  { day: '2016-07-10', expected: 'amber' },
  { day: '2016-07-31', expected: 'amber' },
];
for (const { day, expected } of onCases) {
  test(`ratingOn(history, ${day}) is ${expected}`, () => assert.equal(ratingOn(dayHistory, day), expected));
}

test('a challenge written later on the same day as a proposal comes after it, in every reader', () => {
  const decisions = [
    {
      kind: 'proposed' as const,
      rating: 'green' as const,
      decidedOn: '2016-07-01',
      recordedAt: '2016-07-01T09:00:00Z',
    },
  ];
  const later = {
    rating: 'green' as const,
    decidedOn: '2016-07-01',
    recordedAt: '2016-07-01T15:00:00Z',
    rationale: 'Later',
  };
  const challenges = [later];
  assert.deepEqual(
    inHistoryOrder(decisions, challenges).map((e) => ('challenge' in e ? 'challenge' : 'decision')),
    ['decision', 'challenge'],
  );
  const earlier = [{ ...later, recordedAt: '2016-07-01T08:00:00Z' }];
  assert.deepEqual(
    inHistoryOrder(decisions, earlier).map((e) => ('challenge' in e ? 'challenge' : 'decision')),
    ['challenge', 'decision'],
  );
});
