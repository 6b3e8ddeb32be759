import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormInvalid, parseForm } from '../../platform/form-schema.ts';
import { accessForm, newOrganisationForm, newUserForm, organisationEditForm } from './admin.forms.ts';

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

test('a new person needs a name and an unused address, stored lower case', async () => {
  const taken = newUserForm({ emailTaken: (email) => Promise.resolve(email === 'nina@example.nhs.uk') });
  assert.deepEqual(await problems(taken, { name: '', email: 'not an email' }), [
    ['name', 'Enter the person’s full name'],
    ['email', 'Enter an email address in the correct format, like name@example.nhs.uk'],
  ]);
  assert.deepEqual(await problems(taken, { name: 'x'.repeat(201), email: 'NINA@example.nhs.uk' }), [
    ['name', 'Name must be 200 characters or fewer'],
    ['email', 'An account with this email address already exists'],
  ]);
  assert.deepEqual(await parseForm(taken, { name: ' Ned ', email: 'Ned@Example.nhs.uk', isAdmin: 'yes' }), {
    name: 'Ned',
    email: 'ned@example.nhs.uk',
    isAdmin: true,
  });
});

test('an access change must be one of the buttons', async () => {
  assert.deepEqual(await problems(accessForm, { change: 'delete' }), [
    ['change', 'Choose a change from the buttons on this page'],
  ]);
  assert.deepEqual(await parseForm(accessForm, { change: 'make-admin' }), { change: 'make-admin' });
});

test('an organisation needs a free name, a short name and a kind; an edit carries its version', async () => {
  const rules = { nameTaken: (name: string) => Promise.resolve(name.toLowerCase() === 'barnsley council') };
  assert.deepEqual(await problems(newOrganisationForm(rules), { name: 'Barnsley Council', shortName: '' }), [
    ['name', 'There is already an organisation with this name'],
    ['shortName', 'Enter a short name, for example TRFT'],
    ['kind', 'Select what kind of organisation it is'],
  ]);
  assert.deepEqual(
    await parseForm(organisationEditForm(rules), { name: 'Barnsley Trust', shortName: 'BT', kind: 'nhs_trust' }),
    { name: 'Barnsley Trust', shortName: 'BT', kind: 'nhs_trust', version: null },
  );
  assert.equal(
    (await parseForm(organisationEditForm(rules), { name: 'B', shortName: 'B', kind: 'other', version: '4' })).version,
    4,
  );
});
