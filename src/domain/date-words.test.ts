import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDateWords, type DateWordsKind, type DateWordsOptions } from './date-words.ts';
import { reviewBeganOn } from './review-dates.ts';

type Case = {
  input: { words: string; options?: DateWordsOptions };
  expected: { dates: string[]; date: string | null; kind: DateWordsKind; reason: string };
};

const day = (date: string, reason: string, dates: string[] = [date]): Case['expected'] => ({
  dates,
  date,
  kind: 'day',
  reason,
});
const none = (reason: string): Case['expected'] => ({ dates: [], date: null, kind: 'none', reason });

const cases: Case[] = [
  // Days, in every form found in plans.
  {
    input: { words: '31 December 2015' },
    expected: day('2015-12-31', '31 December 2015, read from "31 December 2015"'),
  },
  {
    input: { words: '31st December 2015' },
    expected: day('2015-12-31', '31 December 2015, read from "31st December 2015"'),
  },
  { input: { words: '31 Dec 2015' }, expected: day('2015-12-31', '31 December 2015, read from "31 Dec 2015"') },
  { input: { words: '31/12/2015' }, expected: day('2015-12-31', '31 December 2015, read from "31/12/2015"') },
  { input: { words: '31.12.15' }, expected: day('2015-12-31', '31 December 2015, read from "31.12.15"') },
  { input: { words: '2015-12-31' }, expected: day('2015-12-31', '31 December 2015, read from "2015-12-31"') },
  { input: { words: '01/09/2015' }, expected: day('2015-09-01', '1 September 2015, read from "01/09/2015"') },
  { input: { words: '31-Aug-15' }, expected: day('2015-08-31', '31 August 2015, read from "31-Aug-15"') },
  {
    input: { words: 'Complete by end 30 September 2015' },
    expected: day('2015-09-30', '30 September 2015, read from "Complete by end 30 September 2015"'),
  },
  {
    input: { words: 'To be completed 31 December 2015' },
    expected: day('2015-12-31', '31 December 2015, read from "To be completed 31 December 2015"'),
  },
  {
    input: { words: 'Plan sessions to commence 01 September 2015' },
    expected: day('2015-09-01', '1 September 2015, read from "Plan sessions to commence 01 September 2015"'),
  },
  {
    input: { words: '29 February 2016' },
    expected: day('2016-02-29', '29 February 2016, read from "29 February 2016"'),
  },
  // Two dates in one cell: both kept, the later is the due date.
  {
    input: { words: 'Completed 28 July 2015 29 September 2015' },
    expected: day(
      '2015-09-29',
      '29 September 2015, the latest of 2 dates (28 July 2015, 29 September 2015), ' +
        'read from "Completed 28 July 2015 29 September 2015"',
      ['2015-07-28', '2015-09-29'],
    ),
  },
  {
    input: { words: '30/11/2015 then 31/10/2015' },
    expected: day(
      '2015-11-30',
      '30 November 2015, the latest of 2 dates (30 November 2015, 31 October 2015), ' +
        'read from "30/11/2015 then 31/10/2015"',
      ['2015-11-30', '2015-10-31'],
    ),
  },
  {
    input: { words: 'Include in 2016/17 contract Completed by 31 August 2015' },
    expected: day(
      '2015-08-31',
      '31 August 2015, read from "Include in 2016/17 contract Completed by 31 August 2015"; ' +
        '"2016/17 contract" names a contract year, not a due date',
    ),
  },
  // Months: the last day of the month.
  {
    input: { words: 'Jan-16' },
    expected: {
      dates: ['2016-01-31'],
      date: '2016-01-31',
      kind: 'month',
      reason: 'End of January 2016, read from "Jan-16"',
    },
  },
  {
    input: { words: 'Mar-17' },
    expected: {
      dates: ['2017-03-31'],
      date: '2017-03-31',
      kind: 'month',
      reason: 'End of March 2017, read from "Mar-17"',
    },
  },
  // One date per line: a day never reaches across a line break to the next line's month.
  {
    input: { words: 'Mar-17\nSep-17' },
    expected: {
      dates: ['2017-03-31', '2017-09-30'],
      date: '2017-09-30',
      kind: 'month',
      reason:
        'End of September 2017, the latest of 2 dates (31 March 2017, 30 September 2017), read from "Mar-17 Sep-17"',
    },
  },
  {
    input: { words: 'Mar-17\nMar-17' },
    expected: {
      dates: ['2017-03-31'],
      date: '2017-03-31',
      kind: 'month',
      reason: 'End of March 2017, read from "Mar-17 Mar-17"',
    },
  },
  {
    input: { words: 'Feb-16' },
    expected: {
      dates: ['2016-02-29'],
      date: '2016-02-29',
      kind: 'month',
      reason: 'End of February 2016, read from "Feb-16"',
    },
  },
  {
    input: { words: 'January 2016' },
    expected: {
      dates: ['2016-01-31'],
      date: '2016-01-31',
      kind: 'month',
      reason: 'End of January 2016, read from "January 2016"',
    },
  },
  {
    input: { words: 'Sept 2015' },
    expected: {
      dates: ['2015-09-30'],
      date: '2015-09-30',
      kind: 'month',
      reason: 'End of September 2015, read from "Sept 2015"',
    },
  },
  {
    input: { words: 'end of March 2016' },
    expected: {
      dates: ['2016-03-31'],
      date: '2016-03-31',
      kind: 'month',
      reason: 'End of March 2016, read from "end of March 2016"',
    },
  },
  { input: { words: 'Jan 16' }, expected: none('No date: "Jan 16" names no date') },
  // Seasons, meteorological; winter ends in the next year.
  {
    input: { words: 'Autumn 2016' },
    expected: {
      dates: ['2016-11-30'],
      date: '2016-11-30',
      kind: 'season',
      reason: 'End of autumn 2016 (30 November 2016), read from "Autumn 2016"',
    },
  },
  {
    input: { words: 'Spring 2016' },
    expected: {
      dates: ['2016-05-31'],
      date: '2016-05-31',
      kind: 'season',
      reason: 'End of spring 2016 (31 May 2016), read from "Spring 2016"',
    },
  },
  {
    input: { words: 'summer 2016' },
    expected: {
      dates: ['2016-08-31'],
      date: '2016-08-31',
      kind: 'season',
      reason: 'End of summer 2016 (31 August 2016), read from "summer 2016"',
    },
  },
  {
    input: { words: 'Winter 2015' },
    expected: {
      dates: ['2016-02-29'],
      date: '2016-02-29',
      kind: 'season',
      reason: 'End of winter 2015/16 (29 February 2016), read from "Winter 2015"',
    },
  },
  {
    input: { words: 'Winter 2016/17' },
    expected: {
      dates: ['2017-02-28'],
      date: '2017-02-28',
      kind: 'season',
      reason: 'End of winter 2016/17 (28 February 2017), read from "Winter 2016/17"',
    },
  },
  // Years and financial years.
  {
    input: { words: '2016' },
    expected: {
      dates: ['2016-12-31'],
      date: '2016-12-31',
      kind: 'year',
      reason: 'End of 2016 (31 December 2016), read from "2016"',
    },
  },
  {
    input: { words: '2016/17' },
    expected: {
      dates: ['2017-03-31'],
      date: '2017-03-31',
      kind: 'financial-year',
      reason: 'End of financial year 2016/17 (31 March 2017), read from "2016/17"',
    },
  },
  {
    input: { words: '2016-17' },
    expected: {
      dates: ['2017-03-31'],
      date: '2017-03-31',
      kind: 'financial-year',
      reason: 'End of financial year 2016/17 (31 March 2017), read from "2016-17"',
    },
  },
  {
    input: { words: 'Q3 2016/17' },
    expected: {
      dates: ['2016-12-31'],
      date: '2016-12-31',
      kind: 'financial-year',
      reason: 'End of Q3 of financial year 2016/17 (31 December 2016), read from "Q3 2016/17"',
    },
  },
  {
    input: { words: 'Q1 2016/17' },
    expected: {
      dates: ['2016-06-30'],
      date: '2016-06-30',
      kind: 'financial-year',
      reason: 'End of Q1 of financial year 2016/17 (30 June 2016), read from "Q1 2016/17"',
    },
  },
  {
    input: { words: 'Q4 2015/16' },
    expected: {
      dates: ['2016-03-31'],
      date: '2016-03-31',
      kind: 'financial-year',
      reason: 'End of Q4 of financial year 2015/16 (31 March 2016), read from "Q4 2015/16"',
    },
  },
  {
    input: { words: 'from Quarter 3 2015/16' },
    expected: {
      dates: ['2015-12-31'],
      date: '2015-12-31',
      kind: 'financial-year',
      reason: 'End of Q3 of financial year 2015/16 (31 December 2015), read from "from Quarter 3 2015/16"',
    },
  },
  {
    input: { words: '2015/2017' },
    expected: {
      dates: ['2015-12-31', '2017-12-31'],
      date: '2017-12-31',
      kind: 'year',
      reason:
        'End of 2017 (31 December 2017), the latest of 2 dates (31 December 2015, 31 December 2017), ' +
        'read from "2015/2017"',
    },
  },
  // A day and month without a year.
  { input: { words: '30 September' }, expected: none('No date: "30 September" has no year') },
  {
    input: { words: '30 September', options: { referenceYear: 2015 } },
    expected: day('2015-09-30', '30 September 2015 (year 2015 assumed), read from "30 September"'),
  },
  {
    input: { words: '31 June', options: { referenceYear: 2016 } },
    expected: none('No date: "31 June" is not a real date'),
  },
  // Not dates.
  { input: { words: '31 June 2016' }, expected: none('No date: "31 June 2016" is not a real date') },
  { input: { words: '31/06/2016' }, expected: none('No date: "31/06/2016" is not a real date') },
  { input: { words: '29 February 2015' }, expected: none('No date: "29 February 2015" is not a real date') },
  { input: { words: 'Immediate' }, expected: none('No date: "Immediate" asks for action now but names no date') },
  { input: { words: 'Immediately' }, expected: none('No date: "Immediately" asks for action now but names no date') },
  { input: { words: 'On-going' }, expected: none('No date: "On-going" names no end date') },
  {
    input: { words: 'Ongoing continuous monitoring' },
    expected: none('No date: "Ongoing continuous monitoring" names no end date'),
  },
  { input: { words: 'Implemented' }, expected: none('No date: "Implemented" says it is done but not when') },
  {
    input: { words: 'Include in 2016/17 contract' },
    expected: none('No date: "Include in 2016/17 contract" names a contract year, not a due date'),
  },
  { input: { words: 'TBC' }, expected: none('No date: "TBC" means the date is still to be confirmed') },
  { input: { words: '' }, expected: none('No date: no date words were given') },
  { input: { words: '  \n ' }, expected: none('No date: no date words were given') },
  { input: { words: 'Monthly' }, expected: none('No date: "Monthly" names no date') },
  { input: { words: 'Tier 2/3 by 12 weeks' }, expected: none('No date: "Tier 2/3 by 12 weeks" names no date') },
];

for (const { input, expected } of cases) {
  const label = input.options
    ? `${JSON.stringify(input.words)} with ${JSON.stringify(input.options)}`
    : JSON.stringify(input.words);
  test(`readDateWords(${label}) → ${expected.date ?? 'no date'} (${expected.kind})`, () => {
    assert.deepEqual(readDateWords(input.words, input.options), { words: input.words, ...expected });
  });
}

// The original words come back untouched, whitespace and all.
const untouchedCases: { input: string; expected: string }[] = [
  { input: '  Jan-16\n', expected: '  Jan-16\n' },
  { input: 'Complete by  end\t30 September 2015', expected: 'Complete by  end\t30 September 2015' },
];
for (const { input, expected } of untouchedCases) {
  test(`readDateWords keeps ${JSON.stringify(input)} untouched`, () =>
    assert.equal(readDateWords(input).words, expected));
}

// A due date is after the review began: words whose dates are all earlier give no due date.
const reviewCases: Case[] = [
  {
    input: { words: 'Safeguarding PLT 6 November 2014', options: { reviewBegan: '2015-02-23' } },
    expected: {
      dates: ['2014-11-06'],
      date: null,
      kind: 'none',
      reason: 'No due date: 6 November 2014 is before the review began on 23 February 2015',
    },
  },
  {
    input: { words: 'Completed 28 July 2014 29 September 2014', options: { reviewBegan: '2015-02-23' } },
    expected: {
      dates: ['2014-07-28', '2014-09-29'],
      date: null,
      kind: 'none',
      reason: 'No due date: 28 July 2014 and 29 September 2014 are before the review began on 23 February 2015',
    },
  },
  {
    // The end of January 2015 is still before a review that began in February.
    input: { words: 'Jan-15', options: { reviewBegan: '2015-02-23' } },
    expected: {
      dates: ['2015-01-31'],
      date: null,
      kind: 'none',
      reason: 'No due date: 31 January 2015 is before the review began on 23 February 2015',
    },
  },
  {
    // One date after the review began is enough: the latest is the due date, as always.
    input: { words: 'Started 6 November 2014, complete 31 March 2016', options: { reviewBegan: '2015-02-23' } },
    expected: day(
      '2016-03-31',
      '31 March 2016, the latest of 2 dates (6 November 2014, 31 March 2016), ' +
        'read from "Started 6 November 2014, complete 31 March 2016"',
      ['2014-11-06', '2016-03-31'],
    ),
  },
  {
    // The day the review began is not before it.
    input: { words: '23 February 2015', options: { reviewBegan: '2015-02-23' } },
    expected: day('2015-02-23', '23 February 2015, read from "23 February 2015"'),
  },
  {
    // A year assumed for "30 September" is checked like any other.
    input: { words: '30 September', options: { referenceYear: 2014, reviewBegan: '2015-02-23' } },
    expected: {
      dates: ['2014-09-30'],
      date: null,
      kind: 'none',
      reason: 'No due date: 30 September 2014 is before the review began on 23 February 2015',
    },
  },
  {
    // Without the review's start, no date is ruled out.
    input: { words: 'Safeguarding PLT 6 November 2014', options: { reviewBegan: null } },
    expected: day('2014-11-06', '6 November 2014, read from "Safeguarding PLT 6 November 2014"'),
  },
  {
    // Words with no date say so, whenever the review began.
    input: { words: 'On-going', options: { reviewBegan: '2015-02-23' } },
    expected: none('No date: "On-going" names no end date'),
  },
];

for (const { input, expected } of reviewCases) {
  const label = `${JSON.stringify(input.words)} with ${JSON.stringify(input.options)}`;
  test(`readDateWords(${label}) → ${expected.date ?? 'no date'}`, () => {
    assert.deepEqual(readDateWords(input.words, input.options), { words: input.words, ...expected });
  });
}

const beganCases: { input: { reviewStart: string | null; published: string | null }; expected: string | null }[] = [
  { input: { reviewStart: '2015-02-23', published: '2015-05-29' }, expected: '2015-02-23' },
  { input: { reviewStart: null, published: '2015-05-29' }, expected: '2015-05-29' },
  { input: { reviewStart: null, published: null }, expected: null },
];
for (const { input, expected } of beganCases) {
  test(`reviewBeganOn(${JSON.stringify(input)}) → ${expected ?? 'null'}`, () => {
    assert.equal(reviewBeganOn(input), expected);
  });
}
