import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormInvalid, parseForm } from '../../platform/form-schema.ts';
import { apiTokenForm, changePasswordForm, forgotPasswordForm, setPasswordForm } from './accounts.forms.ts';
import { signInForm } from './sign-in.forms.ts';

/** The problems a body is refused with, in the order the error summary lists them. */
async function problems(form: Parameters<typeof parseForm>[0], body: unknown) {
  try {
    await parseForm(form, body);
  } catch (error) {
    if (error instanceof FormInvalid) return Object.entries(error.errors.fields);
    throw error;
  }
  assert.fail('the form was taken');
}

const GOOD = 'correct horse battery';

test('sign-in asks only that the fields are filled in, and keeps the password exactly as typed', async () => {
  assert.deepEqual(await problems(signInForm, {}), [
    ['email', 'Enter your email address'],
    ['password', 'Enter your password'],
  ]);
  assert.deepEqual(await problems(signInForm, { email: 'nobody', password: 'x' }), [
    ['email', 'Enter an email address in the correct format, like name@example.nhs.uk'],
  ]);
  assert.deepEqual(await parseForm(signInForm, { email: ' A@b.nhs.uk ', password: ' spaced ', next: '//evil' }), {
    email: 'A@b.nhs.uk',
    password: ' spaced ',
    next: '/my-work',
  });
  assert.equal((await parseForm(signInForm, { email: 'a@b', password: 'p', next: '/reviews/3' })).next, '/reviews/3');
});

test('a forgotten password needs an address', async () => {
  assert.deepEqual(await problems(forgotPasswordForm, { email: ' ' }), [['email', 'Enter your email address']]);
});

test('a new password must be acceptable before it must match', async () => {
  const form = setPasswordForm({ email: 'rita@example.nhs.uk', name: 'Rita Reset' });
  assert.deepEqual(await problems(form, { password: 'short', confirm: 'other' }), [
    ['password', 'Password must be 12 characters or more. Three random words together work well'],
  ]);
  assert.deepEqual(await problems(form, { password: GOOD, confirm: 'something else' }), [
    ['confirm', 'The passwords do not match. Type the same password twice'],
  ]);
  assert.deepEqual(await parseForm(form, { password: GOOD, confirm: GOOD }), { password: GOOD });
});

test('changing your password checks the current one first', async () => {
  const form = changePasswordForm({
    email: 'cora@example.nhs.uk',
    name: 'Cora Change',
    checkCurrentPassword: (p) => Promise.resolve(p === 'old one' ? 'right' : p === 'many' ? 'throttled' : 'wrong'),
  });
  assert.deepEqual(await problems(form, { current: '', password: GOOD, confirm: 'x' }), [
    ['current', 'Enter your current password'],
    ['confirm', 'The passwords do not match. Type the same password twice'],
  ]);
  assert.deepEqual(await problems(form, { current: 'wrong', password: 'short', confirm: GOOD }), [
    ['current', 'Your current password is not right'],
    ['password', 'Password must be 12 characters or more. Three random words together work well'],
  ]);
  assert.deepEqual(await problems(form, { current: 'many', password: GOOD, confirm: GOOD }), [
    ['current', 'Too many wrong passwords. Wait 15 minutes and try again, or sign out and reset your password'],
  ]);
  assert.deepEqual(await parseForm(form, { current: 'old one', password: GOOD, confirm: GOOD }), { password: GOOD });
});

const TOKEN_RULES = {
  scopes: ['read', 'write'] as const,
  reviews: [{ id: 4, area: 'Leeds' }],
  reviewsWhenNoneTicked: null,
  earliest: '2026-12-08',
  latest: '2027-12-07',
  latestReason: 'a year' as const,
  defaultExpiry: '2027-03-07',
};

test('a token needs to say what it is for', async () => {
  assert.deepEqual(await problems(apiTokenForm(TOKEN_RULES), { tokenName: '' }), [
    ['tokenName', 'Enter what the token is for, for example "Monthly board report script"'],
  ]);
});

test('a token may not administer, outlive a year or reach reviews that are not yours', async () => {
  const form = apiTokenForm(TOKEN_RULES);
  assert.deepEqual(
    await problems(form, {
      tokenName: 'Script',
      scope: 'admin',
      expires: { day: '8', month: '12', year: '2027' },
      reviews: ['4', '5'],
    }),
    [
      ['scope', 'Only an administrator can create a token that administers. Select read only or read and change'],
      ['expires', 'The date the token expires must be within a year, on or before 7 December 2027'],
      ['reviews', 'Select only reviews you are a member of'],
    ],
  );
  const administering = apiTokenForm({ ...TOKEN_RULES, scopes: ['read', 'write', 'admin'] });
  assert.deepEqual(await problems(administering, { tokenName: 'Script', scope: 'admin', reviews: '4' }), [
    ['reviews', 'A token that administers reaches every review. Untick the reviews, or select read and change'],
  ]);
  assert.deepEqual(await parseForm(form, { tokenName: 'Script' }), {
    tokenName: 'Script',
    scope: 'read',
    expires: '2027-03-07',
    reviews: [],
  });
});
