import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isCommonPassword, passwordProblem, personalParts } from './password-policy.ts';

const SHORT = 'Password must be 12 characters or more. Three random words together work well';
const PERSONAL =
  'Password must not contain your name or email address. Choose three random words that are not about you';
const COMMON = 'Password is too common: attackers try it first. Choose three random words together instead';

describe('passwordProblem', () => {
  const person = { email: 'rita.okafor-smith@example.nhs.uk', name: 'Rita Okafor-Smith' };
  const cases: [string, string | null][] = [
    ['', 'Enter a password'],
    ['eleven char', SHORT],
    ['x'.repeat(257), 'Password must be 256 characters or fewer'],
    ['rhubarb lantern orchestra', null],
    ['walnut harbour tangerine', null],
    // Common, breached passwords of 12 characters or more, as they are and padded or spaced out.
    ['qwertyuiop123', COMMON],
    ['1q2w3e4r5t6y', COMMON],
    ['password1234', COMMON],
    ['Sunshine2026!!', COMMON],
    ['i love you forever', null],
    ['iloveyou 2026', COMMON],
    ['abcabcabcabc', COMMON],
    ['zzzzzzzzzzzzzzz', COMMON],
    // The person's own name and address, in any case, for parts of 4 letters or more.
    ['my name is RITA ok', PERSONAL],
    ['okafor lantern orchestra', PERSONAL],
    ['lantern-smith-orchestra', PERSONAL],
    ['rita.okafor-smith2026', PERSONAL],
  ];
  for (const [password, expected] of cases) {
    it(`${JSON.stringify(password.slice(0, 30))} → ${expected ?? 'accepted'}`, () => {
      assert.equal(passwordProblem(password, person), expected);
    });
  }

  it('does not refuse short parts of a name (Al, Jo, Lee)', () => {
    assert.deepEqual(personalParts({ email: 'al.lee@example.nhs.uk', name: 'Al Lee' }), ['al.lee']);
    assert.equal(passwordProblem('a lee shore at alba', { email: 'al.lee@example.nhs.uk', name: 'Al Lee' }), null);
  });

  it('knows the common list, read from the shipped package', () => {
    assert.equal(isCommonPassword('123456'), true);
    assert.equal(isCommonPassword('correct horse battery staple'), false);
  });
});
