import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionLabel, listWords, numberWords, plural } from './words.ts';

const pluralCases: Array<[[number, string, string?], string]> = [
  [[0, 'action'], '0 actions'],
  [[1, 'action'], '1 action'],
  [[2, 'action'], '2 actions'],
  [[2976, 'action'], '2,976 actions'],
  [[1, 'piece of evidence', 'pieces of evidence'], '1 piece of evidence'],
  [[3, 'piece of evidence', 'pieces of evidence'], '3 pieces of evidence'],
];
for (const [args, expected] of pluralCases) {
  test(`plural(${args.join(', ')}) is "${expected}"`, () => assert.equal(plural(...args), expected));
}

test('numbers are written with thousands separators, whatever the locale', () => {
  assert.deepEqual([0, 999, 1000, 1234567].map(numberWords), ['0', '999', '1,000', '1,234,567']);
});

test('lists read "a, b and c"', () => {
  assert.deepEqual([[], ['a'], ['a', 'b'], ['a', 'b', 'c']].map(listWords), ['', 'a', 'a and b', 'a, b and c']);
});

test('an action is named by its place in its recommendation', () => {
  assert.equal(actionLabel(2, '1.1'), 'Action 2 of recommendation 1.1');
});
