import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addWorkingDays, isBankHoliday, isWorkingDay, planDueDate } from './working-days.ts';

// Bank holidays in England, checked against gov.uk/bank-holidays.
const bankHolidayCases: { input: string; expected: boolean; why: string }[] = [
  { input: '2015-01-01', expected: true, why: "New Year's Day" },
  { input: '2015-01-02', expected: false, why: 'Scotland only, not England' },
  { input: '2015-04-03', expected: true, why: 'Good Friday 2015' },
  { input: '2015-04-05', expected: false, why: 'Easter Sunday is an observance, not a bank holiday' },
  { input: '2015-04-06', expected: true, why: 'Easter Monday 2015' },
  { input: '2015-03-15', expected: false, why: "Mother's Day is an observance" },
  { input: '2015-05-04', expected: true, why: 'early May 2015' },
  { input: '2015-05-25', expected: true, why: 'spring bank holiday 2015' },
  { input: '2015-08-03', expected: false, why: 'Scottish summer holiday, not England' },
  { input: '2015-08-31', expected: true, why: 'summer bank holiday 2015' },
  { input: '2015-11-30', expected: false, why: "St Andrew's Day is Scotland only" },
  { input: '2015-12-25', expected: true, why: 'Christmas Day 2015 (Friday)' },
  { input: '2015-12-28', expected: true, why: 'Boxing Day substitute 2015' },
  { input: '2015-12-29', expected: false, why: 'ordinary Tuesday' },
  { input: '2016-03-25', expected: true, why: 'Good Friday 2016' },
  { input: '2016-03-28', expected: true, why: 'Easter Monday 2016' },
  { input: '2020-05-04', expected: false, why: 'early May 2020 moved to VE day' },
  { input: '2020-05-08', expected: true, why: 'VE day 2020' },
  { input: '2020-12-28', expected: true, why: 'Boxing Day substitute 2020' },
  { input: '2021-12-27', expected: true, why: 'Christmas Day substitute 2021' },
  { input: '2021-12-28', expected: true, why: 'Boxing Day substitute 2021' },
  { input: '2022-01-03', expected: true, why: "New Year's Day substitute 2022" },
  { input: '2022-05-30', expected: false, why: 'spring bank holiday 2022 moved to 2 June' },
  { input: '2022-06-02', expected: true, why: 'spring bank holiday 2022' },
  { input: '2022-06-03', expected: true, why: 'platinum jubilee' },
  { input: '2022-09-19', expected: true, why: 'state funeral of Queen Elizabeth II' },
  { input: '2023-05-08', expected: true, why: 'coronation of King Charles III' },
  { input: '2015-07-14', expected: false, why: 'Rotherham report published' },
];
for (const { input, expected, why } of bankHolidayCases) {
  test(`isBankHoliday(${input}) is ${expected}: ${why}`, () => assert.equal(isBankHoliday(input), expected));
}

const workingDayCases: { input: string; expected: boolean; why: string }[] = [
  { input: '2015-07-14', expected: true, why: 'Tuesday' },
  { input: '2015-07-18', expected: false, why: 'Saturday' },
  { input: '2015-07-19', expected: false, why: 'Sunday' },
  { input: '2015-12-26', expected: false, why: 'Boxing Day on a Saturday' },
  { input: '2015-12-28', expected: false, why: 'substitute bank holiday' },
  { input: '2015-12-29', expected: true, why: 'Tuesday after the substitute day' },
  { input: '2022-09-19', expected: false, why: 'state funeral Monday' },
  { input: '2022-09-20', expected: true, why: 'Tuesday' },
];
for (const { input, expected, why } of workingDayCases) {
  test(`isWorkingDay(${input}) is ${expected}: ${why}`, () => assert.equal(isWorkingDay(input), expected));
}

const addCases: { input: [string, number]; expected: string; why: string }[] = [
  { input: ['2015-07-14', 0], expected: '2015-07-14', why: 'zero days is the same day' },
  { input: ['2015-07-18', 0], expected: '2015-07-18', why: 'zero days from a Saturday is still that Saturday' },
  { input: ['2015-07-14', 1], expected: '2015-07-15', why: 'counting starts the next day' },
  { input: ['2015-07-17', 1], expected: '2015-07-20', why: 'Friday + 1 skips the weekend' },
  { input: ['2015-07-18', 1], expected: '2015-07-20', why: 'start on a Saturday' },
  { input: ['2015-12-21', 5], expected: '2015-12-30', why: 'Christmas Friday and Boxing Day substitute Monday' },
  { input: ['2015-12-24', 1], expected: '2015-12-29', why: 'over Christmas 2015' },
  { input: ['2020-12-24', 1], expected: '2020-12-29', why: 'over Christmas 2020 (Boxing Day substitute 28th)' },
  { input: ['2021-12-24', 1], expected: '2021-12-29', why: 'both Christmas substitutes 27th and 28th' },
  { input: ['2021-12-31', 1], expected: '2022-01-04', why: "New Year's Day substitute 3 January" },
  { input: ['2015-04-02', 1], expected: '2015-04-07', why: 'Good Friday to Easter Monday 2015' },
  { input: ['2016-03-24', 2], expected: '2016-03-30', why: 'Easter 2016' },
  { input: ['2015-05-01', 1], expected: '2015-05-05', why: 'early May bank holiday' },
  { input: ['2015-08-28', 1], expected: '2015-09-01', why: 'summer bank holiday' },
  { input: ['2020-05-01', 1], expected: '2020-05-04', why: '4 May 2020 was a working day (VE day move)' },
  { input: ['2020-05-07', 1], expected: '2020-05-11', why: 'VE day Friday' },
  { input: ['2022-06-01', 1], expected: '2022-06-06', why: 'platinum jubilee Thursday and Friday' },
  { input: ['2023-05-05', 1], expected: '2023-05-09', why: 'coronation Monday' },
  { input: ['2023-04-28', 6], expected: '2023-05-10', why: 'early May and coronation in one span' },
  { input: ['2022-09-16', 1], expected: '2022-09-20', why: 'state funeral Monday' },
];
for (const { input, expected, why } of addCases) {
  test(`addWorkingDays(${input[0]}, ${input[1]}) is ${expected}: ${why}`, () =>
    assert.equal(addWorkingDays(...input), expected));
}

const planDueCases: { input: string; expected: string; why: string }[] = [
  { input: '2015-07-14', expected: '2015-08-11', why: 'Rotherham: published 14 July, sent 11 August 2015' },
  { input: '2015-07-19', expected: '2015-08-14', why: 'received on a Sunday' },
  { input: '2015-07-18', expected: '2015-08-14', why: 'received on a Saturday counts from Monday too' },
  { input: '2015-12-10', expected: '2016-01-12', why: 'Christmas, Boxing Day substitute and New Year 2015/16' },
  { input: '2020-12-01', expected: '2020-12-31', why: 'Christmas 2020 with Boxing Day substitute' },
  { input: '2022-05-20', expected: '2022-06-21', why: 'platinum jubilee; 30 May 2022 was a working day' },
  { input: '2022-09-01', expected: '2022-09-30', why: 'state funeral' },
  { input: '2015-03-20', expected: '2015-04-21', why: 'Easter 2015' },
  { input: '2023-04-20', expected: '2023-05-22', why: 'early May and coronation 2023' },
];
for (const { input, expected, why } of planDueCases) {
  test(`planDueDate(${input}) is ${expected}: ${why}`, () => assert.equal(planDueDate(input), expected));
}

const invalidCases: { name: string; call: () => unknown }[] = [
  { name: 'isBankHoliday refuses a non-date', call: () => isBankHoliday('31/12/2015') },
  { name: 'isWorkingDay refuses 29 February 2015', call: () => isWorkingDay('2015-02-29') },
  { name: 'addWorkingDays refuses negative counts', call: () => addWorkingDays('2015-07-14', -1) },
  { name: 'addWorkingDays refuses fractions', call: () => addWorkingDays('2015-07-14', 1.5) },
  { name: 'planDueDate refuses date words', call: () => planDueDate('Jan-16') },
];
for (const { name, call } of invalidCases) {
  test(name, () => assert.throws(call, RangeError));
}
