import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSmart, type SmartGap, type SmartInput } from './smart.ts';

const complete: SmartInput = {
  lead: 'Deputy Designated Nurse and Health MASH',
  dueDate: '2015-12-31',
  dateWords: '31 December 2015',
  measure: 'Audit report for each provider',
  recommendationOutcome:
    'Referrals received by Rotherham children’s social ' + 'care … will be sufficiently comprehensive.',
};

const cases: { name: string; input: Partial<SmartInput>; expected: SmartGap[] }[] = [
  { name: 'complete action', input: {}, expected: [] },
  { name: 'outcome alone counts as the measure', input: { measure: '' }, expected: [] },
  { name: 'own measure alone is enough', input: { recommendationOutcome: '' }, expected: [] },
  { name: 'blank lead', input: { lead: '  ' }, expected: [{ part: 'lead', reason: 'No lead is named' }] },
  {
    name: 'placeholder lead',
    input: { lead: 'TBC' },
    expected: [{ part: 'lead', reason: 'The lead "TBC" names no one' }],
  },
  {
    name: 'on-going is not a date',
    input: { dueDate: null, dateWords: 'On-going' },
    expected: [{ part: 'date', reason: 'The date "On-going" is not a date' }],
  },
  {
    name: 'a day not taken as the due date gives none',
    input: { dueDate: null, dateWords: 'Safeguarding PLT 6 November 2014' },
    expected: [{ part: 'date', reason: 'The date "Safeguarding PLT 6 November 2014" gives no due date' }],
  },
  {
    name: 'contract year is not a date',
    input: { dueDate: null, dateWords: 'Include in 2016/17 contract' },
    expected: [{ part: 'date', reason: 'The date "Include in 2016/17 contract" is not a date' }],
  },
  {
    name: 'no date words',
    input: { dueDate: null, dateWords: '' },
    expected: [{ part: 'date', reason: 'No date is given' }],
  },
  {
    name: 'no measure and no outcome',
    input: { measure: '', recommendationOutcome: ' ' },
    expected: [{ part: 'measure', reason: 'No measure of completion and no recommendation outcome' }],
  },
  {
    name: 'placeholder measure and no outcome',
    input: { measure: 'N/A', recommendationOutcome: '' },
    expected: [{ part: 'measure', reason: 'No measure of completion and no recommendation outcome' }],
  },
  {
    name: 'everything missing, in the order lead, date, measure',
    input: { lead: '', dueDate: null, dateWords: 'Immediate', measure: '', recommendationOutcome: '' },
    expected: [
      { part: 'lead', reason: 'No lead is named' },
      { part: 'date', reason: 'The date "Immediate" is not a date' },
      { part: 'measure', reason: 'No measure of completion and no recommendation outcome' },
    ],
  },
];
for (const { name, input, expected } of cases) {
  test(`checkSmart: ${name}`, () => assert.deepEqual(checkSmart({ ...complete, ...input }), expected));
}
