import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormInvalid, parseForm } from '../../platform/form-schema.ts';
import { memberForm, type MemberAccount, type MemberRules } from './members.forms.ts';

const TRUST = { id: 7, name: 'Testshire Hospitals NHS Trust' };

/** Rules for a review with one organisation, and the accounts given. */
function rules(accounts: Record<string, MemberAccount>, held = false): MemberRules {
  return {
    organisations: [TRUST],
    findAccount: (email) => Promise.resolve(accounts[email] ?? null),
    holdsRole: () => Promise.resolve(held),
  };
}

/** The problems a body is refused with, in the order the error summary lists them. */
async function problems(form: ReturnType<typeof memberForm>, body: unknown) {
  try {
    await parseForm(form, body);
  } catch (error) {
    if (error instanceof FormInvalid) return Object.entries(error.errors.fields);
    throw error;
  }
  assert.fail('the form was taken');
}

const NAME_NEEDED =
  'Enter their full name. There is no Clasp account for this email address yet, ' +
  'so we will make one and email them an invitation';

test('someone without an account needs a name; the problems keep the order of the form', async () => {
  assert.deepEqual(await problems(memberForm(rules({})), { email: 'New@Example.nhs.uk', organisationId: '9' }), [
    ['name', NAME_NEEDED],
    ['organisationId', 'Select the organisation they will act for'],
    ['role', 'Select a role'],
  ]);
  assert.deepEqual(await problems(memberForm(rules({})), { email: 'not an address', name: '' }), [
    ['email', 'Enter an email address in the correct format, like name@example.nhs.uk'],
    ['organisationId', 'Select the organisation they will act for'],
    ['role', 'Select a role'],
  ]);
  // JSON sends the organisation as a number.
  assert.deepEqual(
    await parseForm(memberForm(rules({})), {
      email: ' New@Example.nhs.uk ',
      name: 'Nia New',
      organisationId: 7,
      role: 'viewer',
    }),
    { email: 'new@example.nhs.uk', name: 'Nia New', account: null, organisation: TRUST, role: 'viewer' },
  );
});

test('refuses a disabled account, and a role the person already holds', async () => {
  const ann = { id: 3, name: 'Ann Example', disabled: false };
  const body = { email: 'ann@example.nhs.uk', organisationId: '7', role: 'editor' };
  assert.deepEqual(await problems(memberForm(rules({ 'ann@example.nhs.uk': ann }, true)), body), [
    ['email', `Ann Example is already organisation editor for ${TRUST.name} in this review`],
  ]);
  assert.deepEqual(
    await problems(memberForm(rules({ 'ann@example.nhs.uk': { ...ann, disabled: true } })), { ...body, role: '' }),
    [
      ['email', 'The account for ann@example.nhs.uk is disabled. Ask a system administrator to enable it first'],
      ['role', 'Select a role'],
    ],
  );
  assert.equal((await parseForm(memberForm(rules({ 'ann@example.nhs.uk': ann })), body)).account, ann);
});
