import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDuePosition, workingDaysBetween, type PlanDuePosition } from './plan-due.ts';

// Easter 2025: Good Friday 18 April and Easter Monday 21 April are bank holidays; so is 5 May.
const betweenCases: { name: string; from: string; to: string; expected: number }[] = [
  { name: 'the same day', from: '2025-05-15', to: '2025-05-15', expected: 0 },
  { name: 'Thursday to Friday', from: '2025-05-15', to: '2025-05-16', expected: 1 },
  { name: 'Friday to Monday skips the weekend', from: '2025-05-16', to: '2025-05-19', expected: 1 },
  { name: 'over Easter 2025', from: '2025-04-17', to: '2025-04-22', expected: 1 },
  { name: 'the 20 working days of a plan received 14 April 2025', from: '2025-04-14', to: '2025-05-15', expected: 20 },
  { name: 'backwards counts negative', from: '2025-05-15', to: '2025-04-14', expected: -20 },
  { name: 'over Christmas 2015 (28 December a substitute day)', from: '2015-12-24', to: '2015-12-29', expected: 1 },
];
for (const { name, from, to, expected } of betweenCases) {
  test(`workingDaysBetween: ${name}`, () => assert.equal(workingDaysBetween(from, to), expected));
}

const positionCases: {
  name: string;
  input: [string | null, string | null, string];
  expected: PlanDuePosition;
}[] = [
  {
    name: 'no due date without the report dates',
    input: [null, null, '2025-05-01'],
    expected: { state: 'unknown', sentOn: null },
  },
  {
    name: 'a plan sent with no due date keeps the day it was sent',
    input: [null, '2025-05-01', '2025-05-20'],
    expected: { state: 'unknown', sentOn: '2025-05-01' },
  },
  {
    name: '9 working days left, over the early May bank holiday',
    input: ['2025-05-15', null, '2025-05-01'],
    expected: { state: 'due', dueDate: '2025-05-15', workingDaysLeft: 9 },
  },
  {
    name: 'due today is not overdue',
    input: ['2025-05-15', null, '2025-05-15'],
    expected: { state: 'due', dueDate: '2025-05-15', workingDaysLeft: 0 },
  },
  {
    name: 'overdue the next working day',
    input: ['2025-05-15', null, '2025-05-16'],
    expected: { state: 'overdue', dueDate: '2025-05-15', workingDaysOverdue: 1 },
  },
  {
    name: 'overdue on a Saturday counts working days only',
    input: ['2025-05-15', null, '2025-05-17'],
    expected: { state: 'overdue', dueDate: '2025-05-15', workingDaysOverdue: 1 },
  },
  {
    name: 'sent early',
    input: ['2015-08-11', '2015-08-07', '2016-07-31'],
    expected: { state: 'sent', dueDate: '2015-08-11', sentOn: '2015-08-07', workingDaysLate: -2 },
  },
  {
    name: 'sent two working days late',
    input: ['2015-08-11', '2015-08-13', '2016-07-31'],
    expected: { state: 'sent', dueDate: '2015-08-11', sentOn: '2015-08-13', workingDaysLate: 2 },
  },
];
for (const { name, input, expected } of positionCases) {
  test(`planDuePosition: ${name}`, () => assert.deepEqual(planDuePosition(...input), expected));
}

test('planDuePosition: today must be a date', () =>
  assert.throws(() => planDuePosition('2025-05-15', null, '15/05/2025'), RangeError));
