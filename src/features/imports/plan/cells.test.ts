import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Rating } from '../../../domain/ratings.ts';
import {
  labelledRating,
  ratingFromFill,
  ratingFromText,
  readableText,
  readDue,
  splitProgress,
  takeSeeList,
} from './cells.ts';
import type { RatingScale } from './cells.ts';

test("ratings from a rating cell's words", () => {
  const cases: [string, RatingScale, Rating | null][] = [
    ['Green', null, 'green'],
    ['G', null, 'green'],
    ['amber', null, 'amber'],
    ['A', null, 'amber'],
    ['R', null, 'red'],
    ['Red ', null, 'red'],
    ['B', null, 'blue'],
    ['BRAG: Blue', null, 'blue'],
    ['RAG rating - Amber', null, 'amber'],
    ['Amber - off target, remedial action agreed', null, 'amber'],
    ['Yellow', null, 'amber'],
    // "Complete" means Blue in BRAG and Green in RAG; without a key it is not clear.
    ['Complete', 'BRAG', 'blue'],
    ['Completed', 'RAG', 'green'],
    ['Complete', null, null],
    // Two colours, or none: not a rating.
    ['Red/Amber', null, null],
    ['Green then Amber', null, null],
    ['On track', null, null],
    ['', null, null],
    ['Awaiting evidence', 'BRAG', null],
  ];
  for (const [text, scale, expected] of cases)
    assert.equal(ratingFromText(text, scale), expected, `"${text}" (${scale ?? 'no key'})`);
});

test('ratings written into a progress narrative only with their label', () => {
  assert.equal(labelledRating('Policy agreed. BRAG: Blue'), 'blue');
  assert.equal(labelledRating('RAG status Amber – audit late'), 'amber');
  assert.equal(labelledRating('The red flag on the record is now visible'), null);
});

test('ratings from fill colours, by the nearest of red, amber, green and blue', () => {
  const cases: [string | null, Rating | null][] = [
    ['FF0000', 'red'],
    ['C00000', 'red'],
    ['FFC7CE', 'red'],
    ['E6B8B7', 'red'],
    ['FFC000', 'amber'],
    ['FFFF00', 'amber'],
    ['F79646', 'amber'],
    ['FFEB9C', 'amber'],
    ['ED7D31', 'amber'],
    ['00B050', 'green'],
    ['92D050', 'green'],
    ['C6EFCE', 'green'],
    ['9BBB59', 'green'],
    ['0070C0', 'blue'],
    ['00B0F0', 'blue'],
    ['4F81BD', 'blue'],
    ['8DB4E2', 'blue'],
    // Greys, near-white banding, black and purple are not ratings.
    ['D9D9D9', null],
    ['F2F2F2', null],
    ['DBE5F1', null],
    ['000000', null],
    ['7030A0', null],
    [null, null],
    ['not a colour', null],
  ];
  for (const [fill, expected] of cases) assert.equal(ratingFromFill(fill), expected, `${fill}`);
});

test("the due date from the cell's words, or from a real date cell", () => {
  const cell = (text: string, date: string | null = null) => ({ text, fill: null, date, span: 1 });
  assert.deepEqual(readDue(cell('Jan-16')), { text: 'Jan-16', date: '2016-01-31' });
  assert.deepEqual(readDue(cell('Completed 28 July 2015 29 September 2015')), {
    text: 'Completed 28 July 2015 29 September 2015',
    date: '2015-09-29',
  });
  assert.deepEqual(readDue(cell('On-going continuous monitoring')), {
    text: 'On-going continuous monitoring',
    date: null,
  });
  assert.deepEqual(readDue(cell('30 September')), { text: '30 September', date: null });
  assert.deepEqual(readDue(cell('30 September'), 2016), { text: '30 September', date: '2016-09-30' });
  assert.deepEqual(readDue(cell('31 March 2016', '2016-03-31')), { text: '31 March 2016', date: '2016-03-31' });
  // A month-formatted date cell ("Dec-16") means the end of that month, as the words do.
  assert.deepEqual(readDue(cell('December 2016', '2016-12-01')), { text: 'December 2016', date: '2016-12-31' });
  assert.equal(readDue(cell('')), null);
  assert.equal(readDue(undefined), null);
});

test('a due cell with its words on several lines: the same words twice are one date, different dates two', () => {
  const cell = (text: string) => ({ text, fill: null, date: null, span: 1 });
  const cases: [string, string | null][] = [
    // The same month twice is that month's end, not "17 Mar-17" (17 March).
    ['Mar-17\nMar-17', '2017-03-31'],
    ['31 March 2017\n31 March 2017', '2017-03-31'],
    ['Autumn 2017\nAutumn 2017\nAutumn 2017', '2017-11-30'],
    // Two dates, one a line: the later is when the action is due, as on one line.
    ['Mar-17\nSep-17', '2017-09-30'],
    ['Completed 28 July 2015\n29 September 2015', '2015-09-29'],
    ['Completed 28 July 2015 29 September 2015', '2015-09-29'],
    // A date split over two lines is still read whole.
    ['30 September\n2015', '2015-09-30'],
    ['On-going\nOn-going', null],
  ];
  for (const [text, date] of cases) assert.deepEqual(readDue(cell(text)), { text, date }, JSON.stringify(text));
});

test('several dated entries in one progress cell become separate entries; undated text has no date', () => {
  assert.deepEqual(splitProgress('12/10/16 – Training dates booked. 15/11/16 – 40 of 52 GPs trained.'), [
    { date: '2016-10-12', text: '12/10/16 – Training dates booked.' },
    { date: '2016-11-15', text: '15/11/16 – 40 of 52 GPs trained.' },
  ]);
  assert.deepEqual(splitProgress('Evidence required'), [{ date: null, text: 'Evidence required' }]);
  assert.deepEqual(splitProgress('Contract varied.\nUpdate Oct 2016: audit tool agreed.\nDecember 2016 - Audit done'), [
    { date: null, text: 'Contract varied.' },
    { date: '2016-10-31', text: 'Update Oct 2016: audit tool agreed.' },
    { date: '2016-12-31', text: 'December 2016 - Audit done' },
  ]);
  assert.deepEqual(splitProgress('12th October 2015 - SCARF notification pathway trial.'), [
    { date: '2015-10-12', text: '12th October 2015 - SCARF notification pathway trial.' },
  ]);
  // Dates inside a sentence, or without a year, do not start an entry.
  const inSentence =
    'Task and Finish Group Meeting - 24/09/2015. ' + 'Training undertaken 01 September – 31 December 2015.';
  assert.deepEqual(splitProgress(inSentence), [{ date: null, text: inSentence }]);
  assert.deepEqual(splitProgress(''), []);
});

test('a "(See …)" list gives its finding numbers and leaves the rest of the text', () => {
  assert.deepEqual(takeSeeList('Ensure that referrals assess the risk. (See 3.2)'), {
    findings: ['3.2'],
    rest: 'Ensure that referrals assess the risk.',
  });
  assert.deepEqual(takeSeeList('(See 4.1 4.2 4.6, 5.2.4 and 4.10)')?.findings, ['4.1', '4.2', '4.6', '5.2.4', '4.10']);
  assert.equal(takeSeeList('See the attached report'), null);
});

test('text run together by a conversion is made readable', () => {
  assert.equal(
    readableText('planned for 7 th , 18 th and 23 rd September'),
    'planned for 7th, 18th and 23rd September',
  );
  assert.equal(
    readableText('including: • Flagging on systems• Use of the tree'),
    'including:\n• Flagging on systems\n• Use of the tree',
  );
  assert.equal(
    readableText('to include: - referral criteria- allocation meetings- supervision'),
    'to include: - referral criteria- allocation meetings- supervision',
  );
  assert.equal(
    readableText('- referral criteria- allocation meetings- supervision'),
    '- referral criteria\n- allocation meetings\n- supervision',
  );
  assert.equal(readableText('• already a list item\n• another'), '• already a list item\n• another');
});
