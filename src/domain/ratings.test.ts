import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  currentRating, isComplete, isRatingAllowed, RATING_LABELS, rollUpRatings, worstRating,
  type CurrentRating, type Rating, type RatingHistoryEntry, type RatingScale, type RollUpInput, type RollUpResult,
} from './ratings.ts';

const labelCases: { input: [RatingScale, Rating]; expected: string | undefined }[] = [
  { input: ['BRAG', 'blue'], expected: 'Blue: completed' },
  { input: ['BRAG', 'green'], expected: 'Green: on target' },
  { input: ['BRAG', 'amber'], expected: 'Amber: off target with remedial action' },
  { input: ['BRAG', 'red'], expected: 'Red: not yet started or progressed' },
  { input: ['RAG', 'green'], expected: 'Green: completed' },
  { input: ['RAG', 'amber'], expected: 'Amber: in progress/off target' },
  { input: ['RAG', 'red'], expected: 'Red: not started' },
  { input: ['RAG', 'blue'], expected: undefined },
];
for (const { input: [scale, rating], expected } of labelCases) {
  test(`RATING_LABELS.${scale}.${rating} is ${JSON.stringify(expected)}`, () => assert.equal(RATING_LABELS[scale][rating], expected));
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

const worstCases: { input: Rating[]; expected: Rating | null }[] = [
  { input: [], expected: null },
  { input: ['blue'], expected: 'blue' },
  { input: ['blue', 'green'], expected: 'green' },
  { input: ['green', 'amber', 'blue'], expected: 'amber' },
  { input: ['blue', 'red', 'amber'], expected: 'red' },
  { input: ['amber', 'amber'], expected: 'amber' },
];
for (const { input, expected } of worstCases) {
  test(`worstRating([${input.join(', ')}]) is ${expected}`, () => assert.equal(worstRating(input), expected));
}

// Rotherham-like: recommendation 2.1 (CCG, TRFT, RDaSH), 2.3 (CCG, RDaSH), 2.5 with no actions yet.
const counts = (blue: number, green: number, amber: number, red: number) => ({ blue, green, amber, red });
const rotherham: RollUpInput = {
  scale: 'BRAG',
  recommendationIds: ['2.1', '2.3', '2.5'],
  organisationIds: ['ccg', 'trft', 'rdash', 'nhse'],
  actions: [
    { id: 'a1', recommendationId: '2.1', organisationIds: ['ccg', 'trft', 'rdash'], rating: 'blue' },
    { id: 'a2', recommendationId: '2.1', organisationIds: ['rdash'], rating: 'green' },
    { id: 'a3', recommendationId: '2.3', organisationIds: ['ccg', 'rdash'], rating: 'amber' },
    { id: 'a4', recommendationId: '2.3', organisationIds: ['trft'], rating: null },
    { id: 'a5', recommendationId: '2.3', organisationIds: ['rdash', 'rdash'], rating: 'red' },
  ],
};
const rotherhamExpected: RollUpResult = {
  byRecommendation: {
    '2.1': { rating: 'green', counts: counts(1, 1, 0, 0), unrated: 0, total: 2 },
    '2.3': { rating: 'red', counts: counts(0, 0, 1, 1), unrated: 1, total: 3 },
    '2.5': { rating: null, counts: counts(0, 0, 0, 0), unrated: 0, total: 0 },
  },
  byOrganisation: {
    ccg: { rating: 'amber', counts: counts(1, 0, 1, 0), unrated: 0, total: 2 },
    trft: { rating: 'blue', counts: counts(1, 0, 0, 0), unrated: 1, total: 2 },
    rdash: { rating: 'red', counts: counts(1, 1, 1, 1), unrated: 0, total: 4 },
    nhse: { rating: null, counts: counts(0, 0, 0, 0), unrated: 0, total: 0 },
  },
  plan: {
    actions: { ...counts(1, 1, 1, 1), unrated: 1, total: 5 },
    recommendations: { ...counts(0, 1, 0, 1), unrated: 1, total: 3 },
  },
};

const rollUpCases: { name: string; input: RollUpInput; expected: RollUpResult }[] = [
  { name: 'Rotherham-like BRAG plan, unrated action still rolls up to worst rated', input: rotherham, expected: rotherhamExpected },
  {
    name: 'RAG plan: blue is not allowed and counts as unrated; all-green recommendation is green',
    input: {
      scale: 'RAG', recommendationIds: ['1.1'], organisationIds: ['wsht'],
      actions: [
        { id: 'b1', recommendationId: '1.1', organisationIds: ['wsht'], rating: 'green' },
        { id: 'b2', recommendationId: '1.1', organisationIds: ['wsht'], rating: 'blue' },
      ],
    },
    expected: {
      byRecommendation: { '1.1': { rating: 'green', counts: counts(0, 1, 0, 0), unrated: 1, total: 2 } },
      byOrganisation: { wsht: { rating: 'green', counts: counts(0, 1, 0, 0), unrated: 1, total: 2 } },
      plan: { actions: { ...counts(0, 1, 0, 0), unrated: 1, total: 2 }, recommendations: { ...counts(0, 1, 0, 0), unrated: 0, total: 1 } },
    },
  },
  {
    name: 'ids only found on actions are added',
    input: {
      scale: 'BRAG', recommendationIds: [], organisationIds: [],
      actions: [{ id: 'c1', recommendationId: '4.8', organisationIds: ['gp'], rating: null }],
    },
    expected: {
      byRecommendation: { '4.8': { rating: null, counts: counts(0, 0, 0, 0), unrated: 1, total: 1 } },
      byOrganisation: { gp: { rating: null, counts: counts(0, 0, 0, 0), unrated: 1, total: 1 } },
      plan: { actions: { ...counts(0, 0, 0, 0), unrated: 1, total: 1 }, recommendations: { ...counts(0, 0, 0, 0), unrated: 1, total: 1 } },
    },
  },
  {
    name: 'empty plan',
    input: { scale: 'BRAG', recommendationIds: [], organisationIds: [], actions: [] },
    expected: {
      byRecommendation: {}, byOrganisation: {},
      plan: { actions: { ...counts(0, 0, 0, 0), unrated: 0, total: 0 }, recommendations: { ...counts(0, 0, 0, 0), unrated: 0, total: 0 } },
    },
  },
];
for (const { name, input, expected } of rollUpCases) {
  test(`rollUpRatings: ${name}`, () => assert.deepEqual(rollUpRatings(input), expected));
}

const h = (at: string, proposed: Rating | null, agreed: Rating | null): RatingHistoryEntry => ({ at, proposed, agreed });
const currentCases: { name: string; input: RatingHistoryEntry[]; expected: CurrentRating }[] = [
  { name: 'no history', input: [], expected: { agreed: null, proposed: null, agreedAt: null, proposedAt: null, disputed: false } },
  {
    name: 'proposal awaiting its first agreement is not disputed',
    input: [h('2015-09-01', 'green', null)],
    expected: { agreed: null, proposed: 'green', agreedAt: null, proposedAt: '2015-09-01', disputed: false },
  },
  {
    name: 'agreed as proposed',
    input: [h('2015-09-01', 'green', null), h('2015-09-15', null, 'green')],
    expected: { agreed: 'green', proposed: 'green', agreedAt: '2015-09-15', proposedAt: '2015-09-01', disputed: false },
  },
  {
    name: 'group overruled the proposal: the two differ, so disputed',
    input: [h('2015-09-01', 'green', null), h('2015-09-15', null, 'amber')],
    expected: { agreed: 'amber', proposed: 'green', agreedAt: '2015-09-15', proposedAt: '2015-09-01', disputed: true },
  },
  {
    name: 'overruled in the same entry: disputed',
    input: [h('2015-10-13', 'blue', 'green')],
    expected: { agreed: 'green', proposed: 'blue', agreedAt: '2015-10-13', proposedAt: '2015-10-13', disputed: true },
  },
  {
    name: 'new proposal after an agreement that differs is disputed',
    input: [h('2015-09-15', 'amber', 'amber'), h('2015-10-13', 'green', null)],
    expected: { agreed: 'amber', proposed: 'green', agreedAt: '2015-09-15', proposedAt: '2015-10-13', disputed: true },
  },
  {
    name: 'same day, proposal entered after the agreement is disputed',
    input: [h('2015-10-13', null, 'amber'), h('2015-10-13', 'blue', null)],
    expected: { agreed: 'amber', proposed: 'blue', agreedAt: '2015-10-13', proposedAt: '2015-10-13', disputed: true },
  },
  {
    name: 'new proposal equal to the agreement is not disputed',
    input: [h('2015-09-15', null, 'green'), h('2015-10-13', 'green', null)],
    expected: { agreed: 'green', proposed: 'green', agreedAt: '2015-09-15', proposedAt: '2015-10-13', disputed: false },
  },
  {
    name: 'dispute settled by a later agreement',
    input: [h('2015-09-15', null, 'amber'), h('2015-10-13', 'blue', null), h('2015-11-10', null, 'blue')],
    expected: { agreed: 'blue', proposed: 'blue', agreedAt: '2015-11-10', proposedAt: '2015-10-13', disputed: false },
  },
];
for (const { name, input, expected } of currentCases) {
  test(`currentRating: ${name}`, () => assert.deepEqual(currentRating(input), expected));
}
