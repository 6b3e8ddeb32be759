import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, dayOfWeek, daysBetween, daysInMonth, formatLongDate, isoFromParts, parseIsoDate } from './dates.ts';

const formatCases: { input: string; expected: string }[] = [
  { input: '2015-09-30', expected: '30 September 2015' },
  { input: '2015-08-11', expected: '11 August 2015' },
  { input: '2016-01-01', expected: '1 January 2016' },
  { input: '2016-02-29', expected: '29 February 2016' },
];
for (const { input, expected } of formatCases) {
  test(`formatLongDate(${input}) is "${expected}"`, () => assert.equal(formatLongDate(input), expected));
}

const betweenCases: { input: [string, string]; expected: number }[] = [
  { input: ['2015-07-14', '2015-08-11'], expected: 28 },
  { input: ['2015-08-11', '2015-07-14'], expected: -28 },
  { input: ['2015-08-11', '2015-08-11'], expected: 0 },
  // Crosses the 29 March 2015 clock change: still whole days, because arithmetic is UTC.
  { input: ['2015-03-28', '2015-03-30'], expected: 2 },
  { input: ['2016-02-28', '2016-03-01'], expected: 2 },
  { input: ['2015-02-28', '2015-03-01'], expected: 1 },
  { input: ['2015-09-30', '2023-11-22'], expected: 2975 },
];
for (const { input, expected } of betweenCases) {
  test(`daysBetween(${input[0]}, ${input[1]}) is ${expected}`, () => assert.equal(daysBetween(...input), expected));
}

const addCases: { input: [string, number]; expected: string }[] = [
  { input: ['2015-12-31', 1], expected: '2016-01-01' },
  { input: ['2016-02-28', 1], expected: '2016-02-29' },
  { input: ['2015-10-24', 2], expected: '2015-10-26' },
  { input: ['2015-08-11', -28], expected: '2015-07-14' },
];
for (const { input, expected } of addCases) {
  test(`addDays(${input[0]}, ${input[1]}) is ${expected}`, () => assert.equal(addDays(...input), expected));
}

const partsCases: { input: string; expected: ReturnType<typeof parseIsoDate> }[] = [
  { input: '2015-12-31', expected: { year: 2015, month: 12, day: 31 } },
  { input: '2015-06-31', expected: null },
  { input: '2015-02-29', expected: null },
  { input: '2016-02-29', expected: { year: 2016, month: 2, day: 29 } },
  { input: '31/12/2015', expected: null },
  { input: '2015-1-5', expected: null },
  { input: '', expected: null },
];
for (const { input, expected } of partsCases) {
  test(`parseIsoDate("${input}")`, () => assert.deepEqual(parseIsoDate(input), expected));
}

const miscCases: { name: string; actual: () => unknown; expected: unknown }[] = [
  { name: 'daysInMonth February 2016 (leap)', actual: () => daysInMonth(2016, 2), expected: 29 },
  { name: 'daysInMonth February 2017', actual: () => daysInMonth(2017, 2), expected: 28 },
  { name: 'daysInMonth June', actual: () => daysInMonth(2016, 6), expected: 30 },
  { name: 'isoFromParts pads', actual: () => isoFromParts(2016, 1, 5), expected: '2016-01-05' },
  { name: 'isoFromParts refuses 31 June', actual: () => isoFromParts(2016, 6, 31), expected: null },
  { name: 'isoFromParts refuses two-digit years', actual: () => isoFromParts(16, 1, 5), expected: null },
  { name: 'dayOfWeek 2015-07-14 is Tuesday', actual: () => dayOfWeek('2015-07-14'), expected: 2 },
  { name: 'dayOfWeek 2015-07-19 is Sunday', actual: () => dayOfWeek('2015-07-19'), expected: 0 },
];
for (const { name, actual, expected } of miscCases) {
  test(name, () => assert.deepEqual(actual(), expected));
}

const invalidCases: { input: string }[] = [{ input: '2015-13-01' }, { input: 'Jan-16' }];
for (const { input } of invalidCases) {
  test(`formatLongDate("${input}") throws`, () => assert.throws(() => formatLongDate(input), RangeError));
}
