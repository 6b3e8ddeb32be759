import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  ALWAYS,
  FormInvalid,
  choice,
  date,
  errorList,
  file,
  formFields,
  formInput,
  idList,
  optionalDate,
  parseForm,
  text,
  version,
} from './form-schema.ts';

/** The field errors of a refused parse, as the API lists them. */
async function refusal(schema: z.ZodType, body: unknown) {
  try {
    await parseForm(schema, body);
  } catch (error) {
    assert.ok(error instanceof FormInvalid, 'a refused form throws FormInvalid');
    assert.equal(error.status, 400);
    return errorList(error.errors);
  }
  assert.fail('the form was accepted');
}

describe('reading a body as a form', () => {
  it('gathers date boxes, unwraps multipart parts and drops the CSRF token', () => {
    const upload = { fileName: 'a.pdf', declaredType: 'application/pdf', bytes: Buffer.from('%PDF'), truncated: false };
    const input = formInput({
      _csrf: 'secret',
      'dueDate-day': '31',
      'dueDate-month': '3',
      'dueDate-year': '2027',
      text: { value: 'From a multipart form' },
      evidenceFile: { value: upload },
      empty: { value: { fileName: '', declaredType: '', bytes: Buffer.alloc(0), truncated: false } },
      ids: ['1', '2'],
    });
    assert.deepEqual(input, {
      dueDate: { day: '31', month: '3', year: '2027' },
      text: 'From a multipart form',
      evidenceFile: upload,
      empty: undefined,
      ids: ['1', '2'],
    });
  });

  it('passes a JSON body through, its dates as strings', () => {
    assert.deepEqual(formInput({ dueDate: '2027-03-31', version: 3 }), { dueDate: '2027-03-31', version: 3 });
    assert.deepEqual(formInput(null), {});
    assert.deepEqual(formInput(['not', 'an', 'object']), {});
  });

  it('keeps what was typed to show again, never the token or a file', () => {
    assert.deepEqual(
      formFields({ _csrf: 'x', 'on-day': '1', text: { value: 'typed' }, file: { value: { bytes: Buffer.alloc(1) } } }),
      { 'on-day': '1', text: 'typed' },
    );
  });
});

describe('dates', () => {
  const form = z.object({
    due: date('the action is due'),
    seen: optionalDate('it was seen', { notAfter: '2026-12-06' }),
  });
  const cases: { name: string; due: unknown; message?: string; iso?: string }[] = [
    { name: 'three boxes', due: { day: '31', month: '3', year: '2027' }, iso: '2027-03-31' },
    { name: 'an ISO string', due: '2027-03-31', iso: '2027-03-31' },
    { name: 'nothing', due: undefined, message: 'Enter the date the action is due, for example 31 3 2027' },
    {
      name: 'a missing month',
      due: { day: '31', month: '', year: '2027' },
      message: 'The date the action is due must include a month',
    },
    {
      name: 'words',
      due: { day: 'end', month: 'March', year: '2027' },
      message: 'Enter the date the action is due in numbers, for example 31 3 2027',
    },
    {
      name: '31 June',
      due: { day: '31', month: '6', year: '2027' },
      message: 'The date the action is due must be a real date, for example 31 3 2027',
    },
    {
      name: 'a JSON date in another format',
      due: '31/03/2027',
      message: 'Enter the date the action is due as a real date in the form YYYY-MM-DD, for example 2027-03-31',
    },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, async () => {
      if (c.message) assert.deepEqual(await refusal(form, { due: c.due }), [{ field: 'due', message: c.message }]);
      else assert.deepEqual(await parseForm(form, { due: c.due }), { due: c.iso, seen: null });
    });
  }

  // A page sends a date as three boxes, NAME-day, NAME-month and NAME-year, gathered under NAME.
  const boxes = z.object({ due: date('the action is due') });
  const pageCases: { name: string; body: Record<string, string>; iso?: string; message?: string }[] = [
    { name: 'a real date', body: { 'due-day': '31', 'due-month': '3', 'due-year': '2027' }, iso: '2027-03-31' },
    { name: 'leading zeros', body: { 'due-day': '01', 'due-month': '02', 'due-year': '2027' }, iso: '2027-02-01' },
    { name: 'nothing', body: {}, message: 'Enter the date the action is due, for example 31 3 2027' },
    {
      name: 'no month',
      body: { 'due-day': '31', 'due-year': '2027' },
      message: 'The date the action is due must include a month',
    },
    {
      name: 'no day or year',
      body: { 'due-month': '3' },
      message: 'The date the action is due must include a day and year',
    },
    {
      name: 'words',
      body: { 'due-day': 'end', 'due-month': 'March', 'due-year': '2027' },
      message: 'Enter the date the action is due in numbers, for example 31 3 2027',
    },
    {
      name: 'a two-digit year',
      body: { 'due-day': '1', 'due-month': '3', 'due-year': '27' },
      message: 'Enter the date the action is due in numbers, for example 31 3 2027',
    },
    {
      name: '31 June',
      body: { 'due-day': '31', 'due-month': '6', 'due-year': '2027' },
      message: 'The date the action is due must be a real date, for example 31 3 2027',
    },
    {
      name: '29 February in a leap year',
      body: { 'due-day': '29', 'due-month': '2', 'due-year': '2028' },
      iso: '2028-02-29',
    },
    // The GOV.UK date input pattern: months as names or abbreviations, in any case.
    { name: 'a month name', body: { 'due-day': '6', 'due-month': 'January', 'due-year': '2026' }, iso: '2026-01-06' },
    { name: 'an abbreviation', body: { 'due-day': '6', 'due-month': 'jan', 'due-year': '2026' }, iso: '2026-01-06' },
    { name: 'capitals', body: { 'due-day': '30', 'due-month': 'SEPT', 'due-year': '2026' }, iso: '2026-09-30' },
    { name: 'a full stop', body: { 'due-day': '1', 'due-month': 'Dec.', 'due-year': '2026' }, iso: '2026-12-01' },
    { name: 'a whole date in the day box', body: { 'due-day': '6 Jan 2026' }, iso: '2026-01-06' },
    {
      name: 'a whole date in numbers in the day box',
      body: { 'due-day': '31/3/2027', 'due-month': '', 'due-year': '' },
      iso: '2027-03-31',
    },
    {
      name: '31 Jun',
      body: { 'due-day': '31', 'due-month': 'Jun', 'due-year': '2027' },
      message: 'The date the action is due must be a real date, for example 31 3 2027',
    },
    {
      name: 'a month that is not one',
      body: { 'due-day': '1', 'due-month': 'Janvier', 'due-year': '2027' },
      message: 'Enter the date the action is due in numbers, for example 31 3 2027',
    },
    {
      name: 'a whole date in the day box with the year typed again',
      body: { 'due-day': '6 Jan 2026', 'due-year': '2026' },
      message: 'The date the action is due must include a month',
    },
  ];
  for (const c of pageCases) {
    it(`reads the boxes of a page: ${c.name}`, async () => {
      if (c.message) assert.deepEqual(await refusal(boxes, c.body), [{ field: 'due', message: c.message }]);
      else assert.deepEqual(await parseForm(boxes, c.body), { due: c.iso });
    });
  }

  it('refuses a future date in the boxes when asked to', async () => {
    const update = z.object({ on: date('of the update', { notAfter: '2026-11-23' }) });
    assert.deepEqual(await refusal(update, { 'on-day': '2', 'on-month': '1', 'on-year': '2030' }), [
      { field: 'on', message: 'The date of the update must be today or in the past' },
    ]);
    assert.deepEqual(await parseForm(update, { 'on-day': '23', 'on-month': '11', 'on-year': '2026' }), {
      on: '2026-11-23',
    });
  });

  it('refuses a date after the latest allowed, and explains a JSON date as boxes when asked', async () => {
    assert.deepEqual(await refusal(form, { due: '2027-03-31', seen: '2026-12-07' }), [
      { field: 'seen', message: 'The date it was seen must be today or in the past' },
    ]);
    const boxes = z.object({ due: date('the action is due', { jsonMessage: 'boxes' }) });
    assert.deepEqual(await refusal(boxes, { due: 'soon' }), [
      { field: 'due', message: 'Enter the date the action is due in numbers, for example 31 3 2027' },
    ]);
  });
});

describe('text, choices, ids and versions', () => {
  it('trims text, reads JSON numbers as text and explains what is missing or too long', async () => {
    const form = z.object({
      heading: text({ required: 'Enter the heading', max: 5, label: 'The heading' }),
      note: text(),
    });
    assert.deepEqual(await parseForm(form, { heading: ' 12 ', note: 'a\r\nb' }), { heading: '12', note: 'a\nb' });
    assert.deepEqual(await parseForm(form, { heading: 123 }), { heading: '123', note: '' });
    assert.deepEqual(await refusal(form, { heading: '  ' }), [{ field: 'heading', message: 'Enter the heading' }]);
    assert.deepEqual(await refusal(form, { heading: 'too long' }), [
      { field: 'heading', message: 'The heading must be 5 characters or fewer' },
    ]);
    assert.deepEqual(await refusal(form, { heading: { nested: true } }), [
      { field: 'heading', message: 'The heading must be text' },
    ]);
  });

  it('takes only listed choices, ids and whole-number versions', async () => {
    const form = z.object({
      colour: choice(['red', 'green'], 'Select a colour'),
      ids: idList('Select organisations from the list'),
      version,
    });
    assert.deepEqual(await parseForm(form, { colour: 'green', ids: ['3', '1', '3'], version: '4' }), {
      colour: 'green',
      ids: [1, 3],
      version: 4,
    });
    assert.deepEqual(await parseForm(form, { colour: 'red', ids: 2, version: 'x' }), {
      colour: 'red',
      ids: [2],
      version: null,
    });
    // The message is the page's; the values a script may send are listed apart.
    assert.deepEqual(await refusal(form, { colour: 'purple', ids: ['1', 'two'] }), [
      { field: 'colour', message: 'Select a colour', allowed: ['red', 'green'] },
      { field: 'ids', message: 'Select organisations from the list' },
    ]);
    const refused = await parseForm(form, { colour: '' }).catch((error: unknown) => error);
    assert.ok(refused instanceof FormInvalid);
    assert.deepEqual(refused.errors.summary(), [{ text: 'Select a colour', href: '#colour' }]);
  });
});

describe('every problem at once, in the order of the fields', () => {
  const form = z
    .object({ title: text({ required: 'Enter a title' }), evidenceFile: file, note: text() })
    .superRefine((values, ctx) => {
      if (!values.evidenceFile && values.note) {
        ctx.addIssue({ code: 'custom', path: ['evidenceFile'], message: 'Select the file, or leave the note empty' });
      }
    }, ALWAYS);

  it('runs the rule across fields even when a field is already wrong', async () => {
    assert.deepEqual(await refusal(form, { title: '', note: 'about a file' }), [
      { field: 'title', message: 'Enter a title' },
      { field: 'evidenceFile', message: 'Select the file, or leave the note empty' },
    ]);
  });

  it('says a stale edit is a conflict (409) and a single problem is a bad request', () => {
    const stale = new FormInvalid(FormInvalid.of('x', 'y').errors, {
      stale: { message: 'Someone else changed this', version: 3, changes: [] },
    });
    assert.equal(stale.status, 409);
    assert.equal(FormInvalid.of('number', 'Group 1 already exists').status, 400);
  });
});

describe('the order of problems', () => {
  it('lists a problem found by a check that reads the database in its field’s place', async () => {
    // The number is checked against the database: slower than the other fields, and taken.
    const isFree = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return false;
    };
    const form = z.object({
      number: text().refine(isFree, 'Group 1 already exists in this review'),
      heading: text({ required: 'Enter the heading' }),
    });
    assert.deepEqual(await refusal(form, { number: '1', heading: '' }), [
      { field: 'number', message: 'Group 1 already exists in this review' },
      { field: 'heading', message: 'Enter the heading' },
    ]);
  });
});
