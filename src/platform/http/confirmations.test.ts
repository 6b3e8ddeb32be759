import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confirmationValue, returnToFrom } from './confirmations.ts';

test('returnToFrom keeps My work and pages of a review, and nothing else', () => {
  const cases: [unknown, string | null][] = [
    ['/my-work', '/my-work'],
    ['/my-work?review=3', '/my-work?review=3'],
    ['/my-work#awaiting', '/my-work#awaiting'],
    ['/reviews/3/actions/7', '/reviews/3/actions/7'],
    ['/reviews/3/overview?kind=overdue#exceptions', '/reviews/3/overview?kind=overdue#exceptions'],
    [{ value: '/my-work' }, '/my-work'],
    ['//evil.example', null],
    ['//evil.example/reviews/1', null],
    ['https://evil.example/reviews/1', null],
    ['/\\evil.example', null],
    ['/reviews/../admin', null],
    ['/reviews/%2e%2e/admin', null],
    ['/reviews//evil.example', null],
    ['/my-workshop', null],
    ['/admin/users', null],
    ['/sign-out', null],
    ['/reviews/1\n/x', null],
    ['/reviews/1 x', null],
    ['', null],
    [undefined, null],
    [['/my-work'], null],
    [`/reviews/${'1'.repeat(600)}`, null],
  ];
  for (const [value, expected] of cases) assert.equal(returnToFrom(value), expected, JSON.stringify(value));
});

test('a confirmation is signed with the session it was made for', () => {
  const value = confirmationValue('session-a', 'Version 9 issued');
  assert.ok(value);
  assert.notEqual(value, confirmationValue('session-b', 'Version 9 issued'));
  assert.equal(confirmationValue('session-a', '   '), null);
});
