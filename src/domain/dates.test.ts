import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays,
  dayOfWeek,
  daysBetween,
  daysInMonth,
  formatLongDate,
  isoFromParts,
  monthFromTyped,
  parseIsoDate,
  splitTypedDate,
} from './dates.ts';

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

// What people type into a date's month box: numbers, names and abbreviations (GOV.UK date input pattern).
const monthCases: { typed: string; month: number | null }[] = [
  { typed: '1', month: 1 },
  { typed: '01', month: 1 },
  { typed: ' 12 ', month: 12 },
  { typed: '13', month: 13 }, // a number as typed: the whole date then fails as not real
  { typed: 'Jan', month: 1 },
  { typed: 'jan', month: 1 },
  { typed: 'JAN', month: 1 },
  { typed: 'January', month: 1 },
  { typed: 'january', month: 1 },
  { typed: 'Feb', month: 2 },
  { typed: 'March', month: 3 },
  { typed: 'may', month: 5 },
  { typed: 'Jun', month: 6 },
  { typed: 'July', month: 7 },
  { typed: 'Sep', month: 9 },
  { typed: 'Sept', month: 9 },
  { typed: 'sept.', month: 9 },
  { typed: 'September', month: 9 },
  { typed: 'Dec.', month: 12 },
  { typed: 'December', month: 12 },
  { typed: '', month: null },
  { typed: 'Ja', month: null },
  { typed: 'Janu', month: null },
  { typed: 'Janvier', month: null },
  { typed: 'Septem', month: null },
  { typed: '1.5', month: null },
  { typed: '123', month: null },
];
for (const { typed, month } of monthCases) {
  test(`monthFromTyped(${JSON.stringify(typed)}) is ${String(month)}`, () =>
    assert.equal(monthFromTyped(typed), month));
}

const wholeDateCases: { typed: string; parts: ReturnType<typeof splitTypedDate> }[] = [
  { typed: '6 Jan 2026', parts: { day: '6', month: 'Jan', year: '2026' } },
  { typed: ' 6 january 2026 ', parts: { day: '6', month: 'january', year: '2026' } },
  { typed: '6th January 2026', parts: { day: '6', month: 'January', year: '2026' } },
  { typed: '21st Sept. 2026', parts: { day: '21', month: 'Sept.', year: '2026' } },
  { typed: '6 Jan, 2026', parts: { day: '6', month: 'Jan', year: '2026' } },
  { typed: '06/01/2026', parts: { day: '06', month: '01', year: '2026' } },
  { typed: '6-1-2026', parts: { day: '6', month: '1', year: '2026' } },
  { typed: '6.1.2026', parts: { day: '6', month: '1', year: '2026' } },
  { typed: '6', parts: null },
  { typed: '6 Jan', parts: null },
  { typed: 'Jan 6 2026', parts: null },
  { typed: '2026-01-06', parts: null },
  { typed: '6 Jan 26', parts: null },
];
for (const { typed, parts } of wholeDateCases) {
  test(`splitTypedDate(${JSON.stringify(typed)})`, () => assert.deepEqual(splitTypedDate(typed), parts));
}
