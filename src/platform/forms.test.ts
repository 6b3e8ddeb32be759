import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormErrors, readDateInput, dateInputFrom } from './forms.ts';

const cases: { name: string; body: Record<string, string>; iso: string | null; message?: string }[] = [
  { name: 'a real date', body: { 'due-day': '31', 'due-month': '3', 'due-year': '2027' }, iso: '2027-03-31' },
  { name: 'leading zeros', body: { 'due-day': '01', 'due-month': '02', 'due-year': '2027' }, iso: '2027-02-01' },
  { name: 'nothing', body: {}, iso: null, message: 'Enter the date the action is due, for example 31 3 2027' },
  {
    name: 'no month',
    body: { 'due-day': '31', 'due-year': '2027' },
    iso: null,
    message: 'The date the action is due must include a month',
  },
  {
    name: 'no day or year',
    body: { 'due-month': '3' },
    iso: null,
    message: 'The date the action is due must include a day and year',
  },
  {
    name: 'words',
    body: { 'due-day': 'end', 'due-month': 'March', 'due-year': '2027' },
    iso: null,
    message: 'Enter the date the action is due in numbers, for example 31 3 2027',
  },
  {
    name: 'two-digit year',
    body: { 'due-day': '1', 'due-month': '3', 'due-year': '27' },
    iso: null,
    message: 'Enter the date the action is due in numbers, for example 31 3 2027',
  },
  {
    name: '31 June',
    body: { 'due-day': '31', 'due-month': '6', 'due-year': '2027' },
    iso: null,
    message: 'The date the action is due must be a real date, for example 31 3 2027',
  },
  {
    name: '29 February in a leap year',
    body: { 'due-day': '29', 'due-month': '2', 'due-year': '2028' },
    iso: '2028-02-29',
  },
];

for (const c of cases) {
  test(`readDateInput: ${c.name}`, () => {
    const errors = new FormErrors();
    const value = readDateInput(c.body, 'due', 'the action is due', errors);
    assert.equal(value.iso, c.iso);
    assert.equal(errors.fields.due, c.message);
    assert.deepEqual(errors.summary({ due: '#due-day' }), c.message ? [{ text: c.message, href: '#due-day' }] : []);
  });
}

test('readDateInput refuses a future date when asked to', () => {
  const errors = new FormErrors();
  const body = { 'on-day': '2', 'on-month': '1', 'on-year': '2030' };
  assert.equal(readDateInput(body, 'on', 'of the update', errors, { notAfter: '2026-11-23' }).iso, null);
  assert.equal(errors.fields.on, 'The date of the update must be today or in the past');
});

test('dateInputFrom fills the boxes from a saved date', () => {
  assert.deepEqual(dateInputFrom('2027-03-09'), { iso: '2027-03-09', day: '9', month: '3', year: '2027' });
  assert.deepEqual(dateInputFrom(null), { iso: null, day: '', month: '', year: '' });
});
