import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Rating } from './ratings.ts';
import { rollUpRatings, worstRating, type RollUpInput, type RollUpResult } from './rating-roll-up.ts';

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
  {
    name: 'Rotherham-like BRAG plan, unrated action still rolls up to worst rated',
    input: rotherham,
    expected: rotherhamExpected,
  },
  {
    name: 'RAG plan: blue is not allowed and counts as unrated; all-green recommendation is green',
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
      byRecommendation: { '1.1': { rating: 'green', counts: counts(0, 1, 0, 0), unrated: 1, total: 2 } },
      byOrganisation: { wsht: { rating: 'green', counts: counts(0, 1, 0, 0), unrated: 1, total: 2 } },
      plan: {
        actions: { ...counts(0, 1, 0, 0), unrated: 1, total: 2 },
        recommendations: { ...counts(0, 1, 0, 0), unrated: 0, total: 1 },
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
      byRecommendation: { '4.8': { rating: null, counts: counts(0, 0, 0, 0), unrated: 1, total: 1 } },
      byOrganisation: { gp: { rating: null, counts: counts(0, 0, 0, 0), unrated: 1, total: 1 } },
      plan: {
        actions: { ...counts(0, 0, 0, 0), unrated: 1, total: 1 },
        recommendations: { ...counts(0, 0, 0, 0), unrated: 1, total: 1 },
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
        actions: { ...counts(0, 0, 0, 0), unrated: 0, total: 0 },
        recommendations: { ...counts(0, 0, 0, 0), unrated: 0, total: 0 },
      },
    },
  },
];
for (const { name, input, expected } of rollUpCases) {
  test(`rollUpRatings: ${name}`, () => assert.deepEqual(rollUpRatings(input), expected));
}
