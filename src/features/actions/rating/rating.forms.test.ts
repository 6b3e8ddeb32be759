import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormInvalid, parseForm } from '../../../platform/form-schema.ts';
import { ratingForm, type RatingRules } from './rating.forms.ts';

const BRAG: RatingRules = {
  ratings: ['blue', 'green', 'amber', 'red'],
  staleDays: 90,
  hasRecentEvidence: false,
  challengeable: true,
};

/** The problems a body is refused with, in the order the error summary lists them. */
async function problems(form: ReturnType<typeof ratingForm>, body: unknown) {
  try {
    await parseForm(form, body);
  } catch (error) {
    if (error instanceof FormInvalid) return Object.entries(error.errors.fields);
    throw error;
  }
  assert.fail('the form was taken');
}

test('Green or Blue without accepted recent evidence needs a reason; Amber and Red do not', async () => {
  const agree = { decision: 'agree', rating: 'blue', rationale: 'Seen.' };
  assert.deepEqual(await problems(ratingForm(BRAG), agree), [
    [
      'overrideReason',
      'There is no accepted evidence dated in the last 90 days. ' +
        'Give a reason to agree Blue without it, or accept evidence first',
    ],
  ]);
  assert.deepEqual(await parseForm(ratingForm(BRAG), { ...agree, overrideReason: 'Shown at the meeting.' }), {
    decision: 'agree',
    rating: 'blue',
    rationale: 'Seen.',
    overrideReason: 'Shown at the meeting.',
  });
  assert.equal((await parseForm(ratingForm({ ...BRAG, hasRecentEvidence: true }), agree)).decision, 'agree');
  assert.equal((await parseForm(ratingForm(BRAG), { ...agree, rating: 'amber' })).decision, 'agree');
});

test('an agreement needs a rating of the plan’s scale and the reasons', async () => {
  const rag = ratingForm({ ...BRAG, ratings: ['green', 'amber', 'red'] });
  assert.deepEqual(await problems(rag, { decision: 'agree', rating: 'blue', rationale: '' }), [
    ['rating', 'Select the rating the group agreed'],
    ['rationale', 'Enter why the group agreed this rating'],
  ]);
  assert.deepEqual(await problems(rag, {}), [
    ['decision', 'Choose whether to agree a rating or challenge the proposed rating'],
  ]);
});

test('a challenge: its reasons in the field the caller sends them in', async () => {
  const page = ratingForm(BRAG, { challengeField: 'challengeRationale' });
  assert.deepEqual(await parseForm(page, { decision: 'challenge', challengeRationale: 'One ward only.' }), {
    decision: 'challenge',
    rationale: 'One ward only.',
    rationaleField: 'challengeRationale',
  });
  assert.deepEqual(await problems(page, { decision: 'challenge', challengeRationale: '' }), [
    ['challengeRationale', 'Enter why the group challenges the proposed rating'],
  ]);
  assert.deepEqual(await problems(ratingForm({ ...BRAG, challengeable: false }), { decision: 'challenge' }), [
    ['rationale', 'There is no proposed rating waiting for the group to decide on, so there is nothing to challenge'],
  ]);
});
