import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VERSION_PURPOSE_LABELS, VERSION_PURPOSES } from '../../../domain/plan-snapshot.ts';
import { errorList, FormInvalid, parseForm } from '../../../platform/form-schema.ts';
import { issueVersionForm } from './versions.forms.ts';

/** The problems a body is refused with, in the order the error summary lists them. */
async function problems(body: unknown) {
  try {
    await parseForm(issueVersionForm, body);
  } catch (error) {
    if (error instanceof FormInvalid) return Object.entries(error.errors.fields);
    throw error;
  }
  assert.fail('the form was taken');
}

test('a version needs a purpose from the list, and "other" needs a comment', async () => {
  const none = await problems({ purpose: '', comment: '', recipients: '' });
  assert.deepEqual(
    none.map(([field]) => field),
    ['purpose'],
  );
  assert.equal(none[0]?.[1], 'Select what this version is for');
  assert.deepEqual(await problems({ purpose: 'other', comment: '  ' }), [
    ['comment', 'Say in the comment what this version is for'],
  ]);
  assert.deepEqual(await parseForm(issueVersionForm, { purpose: ' cqc ', recipients: ' CQC ' }), {
    purpose: 'cqc',
    comment: '',
    recipients: 'CQC',
  });
});

test('lists every problem in the order purpose, comment, recipients', async () => {
  const long = 'x'.repeat(2001);
  assert.deepEqual(await problems({ purpose: 'other', comment: '', recipients: long }), [
    ['comment', 'Say in the comment what this version is for'],
    ['recipients', 'The recipients must be 2,000 characters or fewer'],
  ]);
  assert.deepEqual(await problems({ purpose: 'party', comment: long, recipients: long }), [
    ['purpose', (await problems({ purpose: 'party' }))[0]?.[1]],
    ['comment', 'The comment must be 2,000 characters or fewer'],
    ['recipients', 'The recipients must be 2,000 characters or fewer'],
  ]);
});

test('the message uses only the words on the page; the API lists the purposes a script may send apart', async () => {
  let refused: FormInvalid | null = null;
  try {
    await parseForm(issueVersionForm, { purpose: 'board' });
  } catch (error) {
    if (error instanceof FormInvalid) refused = error;
  }
  assert.ok(refused);
  const problem = errorList(refused.errors)[0];
  assert.ok(problem);
  assert.deepEqual(problem, {
    field: 'purpose',
    message: 'Select what this version is for',
    allowed: VERSION_PURPOSES,
  });
  for (const purpose of VERSION_PURPOSES) {
    assert.doesNotMatch(problem.message, new RegExp(`\\b${purpose}\\b`));
    assert.doesNotMatch(problem.message, new RegExp(VERSION_PURPOSE_LABELS[purpose]));
  }
});
