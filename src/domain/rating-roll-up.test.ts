import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Rating } from './ratings.ts';
import {
  ratedWords,
  rollUpRating,
  rollUpRatings,
  worstRating,
  type RollUpInput,
  type RollUpResult,
} from './rating-roll-up.ts';

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

/*
 * The roll-up rule (issue 13): a recommendation's, an organisation's or the plan's rating is
 * never better than any of its actions, and an unrated action (null) is never ignored. It
 * ranks between Amber and Green: it stops a Green or Blue roll-up (shown as not rated until
 * every action is rated), and leaves a known Red or Amber showing.
 */
const rollUpRule: { actions: (Rating | null)[]; shows: Rating | null; why: string }[] = [
  { actions: [], shows: null, why: 'no actions: nothing to show' },
  { actions: [null], shows: null, why: 'no action rated' },
  { actions: [null, null], shows: null, why: 'no action rated' },
  { actions: ['blue'], shows: 'blue', why: 'every action complete' },
  { actions: ['blue', 'blue', 'green'], shows: 'green', why: 'the worst of the rated actions' },
  { actions: ['blue', null], shows: null, why: 'complete only when the unrated action is rated' },
  { actions: ['blue', 'blue', null], shows: null, why: 'demo 2.5: two Blue and one unrated is not Blue' },
  { actions: ['green', null], shows: null, why: 'on target only when the unrated action is rated' },
  { actions: ['amber', null], shows: 'amber', why: 'a known Amber still shows' },
  { actions: ['amber', 'blue', null], shows: 'amber', why: 'a known Amber still shows' },
  { actions: ['red', null], shows: 'red', why: 'a known Red still shows' },
  { actions: ['red', 'amber', 'green', 'blue'], shows: 'red', why: 'the worst of the rated actions' },
];
for (const { actions, shows, why } of rollUpRule) {
  test(`rollUpRating([${actions.map((a) => a ?? 'unrated').join(', ')}]) shows ${shows ?? 'no rating'}: ${why}`, () =>
    assert.equal(rollUpRating(actions), shows));
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
    '2.1': { rating: 'green', counts: counts(1, 1, 0, 0), unrated: 0, total: 2, lapsed: 0 },
    '2.3': { rating: 'red', counts: counts(0, 0, 1, 1), unrated: 1, total: 3, lapsed: 0 },
    '2.5': { rating: null, counts: counts(0, 0, 0, 0), unrated: 0, total: 0, lapsed: 0 },
  },
  byOrganisation: {
    ccg: { rating: 'amber', counts: counts(1, 0, 1, 0), unrated: 0, total: 2, lapsed: 0 },
    trft: { rating: null, counts: counts(1, 0, 0, 0), unrated: 1, total: 2, lapsed: 0 },
    rdash: { rating: 'red', counts: counts(1, 1, 1, 1), unrated: 0, total: 4, lapsed: 0 },
    nhse: { rating: null, counts: counts(0, 0, 0, 0), unrated: 0, total: 0, lapsed: 0 },
  },
  plan: {
    rating: 'red',
    actions: { ...counts(1, 1, 1, 1), unrated: 1, total: 5, lapsed: 0 },
    recommendations: { ...counts(0, 1, 0, 1), unrated: 1, total: 3, lapsed: 0 },
  },
};

const rollUpCases: { name: string; input: RollUpInput; expected: RollUpResult }[] = [
  {
    name: 'Rotherham-like BRAG plan: a known Red shows beside an unrated action; Blue beside one does not',
    input: rotherham,
    expected: rotherhamExpected,
  },
  {
    name: 'RAG plan: Blue is not allowed and counts as unrated, so Green beside it is not shown',
    input: {
      scale: 'RAG',
      recommendationIds: ['1.1'],
      organisationIds: ['wsht'],
      actions: [
        { id: 'b1', recommendationId: '1.1', organisationIds: ['wsht'], rating: 'green' },
        { id: 'b2', recommendationId: '1.1', organisationIds: ['wsht'], rating: 'blue' },
      ],
    },
    expected: {
      byRecommendation: { '1.1': { rating: null, counts: counts(0, 1, 0, 0), unrated: 1, total: 2, lapsed: 0 } },
      byOrganisation: { wsht: { rating: null, counts: counts(0, 1, 0, 0), unrated: 1, total: 2, lapsed: 0 } },
      plan: {
        rating: null,
        actions: { ...counts(0, 1, 0, 0), unrated: 1, total: 2, lapsed: 0 },
        recommendations: { ...counts(0, 0, 0, 0), unrated: 1, total: 1, lapsed: 0 },
      },
    },
  },
  {
    name: 'ids only found on actions are added',
    input: {
      scale: 'BRAG',
      recommendationIds: [],
      organisationIds: [],
      actions: [{ id: 'c1', recommendationId: '4.8', organisationIds: ['gp'], rating: null }],
    },
    expected: {
      byRecommendation: { '4.8': { rating: null, counts: counts(0, 0, 0, 0), unrated: 1, total: 1, lapsed: 0 } },
      byOrganisation: { gp: { rating: null, counts: counts(0, 0, 0, 0), unrated: 1, total: 1, lapsed: 0 } },
      plan: {
        rating: null,
        actions: { ...counts(0, 0, 0, 0), unrated: 1, total: 1, lapsed: 0 },
        recommendations: { ...counts(0, 0, 0, 0), unrated: 1, total: 1, lapsed: 0 },
      },
    },
  },
  {
    name: 'lapsed assurance is counted beside the ratings and changes none of them',
    input: {
      scale: 'BRAG',
      recommendationIds: ['3.1', '3.2'],
      organisationIds: ['ccg', 'trft'],
      actions: [
        { id: 'd1', recommendationId: '3.1', organisationIds: ['ccg', 'trft'], rating: 'blue', lapsed: true },
        { id: 'd2', recommendationId: '3.1', organisationIds: ['ccg'], rating: 'blue', lapsed: false },
        { id: 'd3', recommendationId: '3.2', organisationIds: ['trft'], rating: 'blue' },
      ],
    },
    expected: {
      byRecommendation: {
        '3.1': { rating: 'blue', counts: counts(2, 0, 0, 0), unrated: 0, total: 2, lapsed: 1 },
        '3.2': { rating: 'blue', counts: counts(1, 0, 0, 0), unrated: 0, total: 1, lapsed: 0 },
      },
      byOrganisation: {
        ccg: { rating: 'blue', counts: counts(2, 0, 0, 0), unrated: 0, total: 2, lapsed: 1 },
        trft: { rating: 'blue', counts: counts(2, 0, 0, 0), unrated: 0, total: 2, lapsed: 1 },
      },
      plan: {
        rating: 'blue',
        actions: { ...counts(3, 0, 0, 0), unrated: 0, total: 3, lapsed: 1 },
        recommendations: { ...counts(2, 0, 0, 0), unrated: 0, total: 2, lapsed: 1 },
      },
    },
  },
  {
    name: 'empty plan',
    input: { scale: 'BRAG', recommendationIds: [], organisationIds: [], actions: [] },
    expected: {
      byRecommendation: {},
      byOrganisation: {},
      plan: {
        rating: null,
        actions: { ...counts(0, 0, 0, 0), unrated: 0, total: 0, lapsed: 0 },
        recommendations: { ...counts(0, 0, 0, 0), unrated: 0, total: 0, lapsed: 0 },
      },
    },
  },
];
for (const { name, input, expected } of rollUpCases) {
  test(`rollUpRatings: ${name}`, () => assert.deepEqual(rollUpRatings(input), expected));
}

const ratedWordsCases: { roll: { unrated: number; total: number; lapsed?: number }; expected: string }[] = [
  { roll: { unrated: 1, total: 3 }, expected: '2 of 3 actions rated' },
  { roll: { unrated: 0, total: 3, lapsed: 0 }, expected: '3 of 3 actions rated' },
  { roll: { unrated: 0, total: 3, lapsed: 1 }, expected: '3 of 3 actions rated; 1 with assurance lapsed' },
  { roll: { unrated: 0, total: 0, lapsed: 0 }, expected: 'No actions' },
];
for (const { roll, expected } of ratedWordsCases) {
  test(`ratedWords: ${expected}`, () => assert.equal(ratedWords(roll), expected));
}
