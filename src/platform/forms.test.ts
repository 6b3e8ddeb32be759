import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormErrors, dateBoxes, dateInputFrom, fieldText } from './forms.ts';

test('FormErrors keeps the first message of each field and links a date to its day box', () => {
  const errors = new FormErrors();
  assert.equal(errors.any, false);
  assert.deepEqual(errors.summary({ due: '#due-day' }), []);
  errors.add('due', 'The date the action is due must include a month');
  errors.add('due', 'A later message about the same field');
  errors.add('measure', 'Enter the measure');
  assert.equal(errors.any, true);
  assert.deepEqual(errors.fields, {
    due: 'The date the action is due must include a month',
    measure: 'Enter the measure',
  });
  assert.deepEqual(errors.summary({ due: '#due-day' }), [
    { text: 'The date the action is due must include a month', href: '#due-day' },
    { text: 'Enter the measure', href: '#measure' },
  ]);
});

test('dateInputFrom fills the boxes from a saved date', () => {
  assert.deepEqual(dateInputFrom('2027-03-09'), { iso: '2027-03-09', day: '9', month: '3', year: '2027' });
  assert.deepEqual(dateInputFrom(null), { iso: null, day: '', month: '', year: '' });
});

test('fieldText and dateBoxes give back what was typed', () => {
  const fields = { measure: ['first', 'second'], 'due-day': '31', 'due-year': '2027' };
  assert.equal(fieldText(fields, 'measure'), 'first');
  assert.equal(fieldText(fields, 'missing'), '');
  assert.deepEqual(dateBoxes(fields, 'due'), { day: '31', month: '', year: '2027' });
});
