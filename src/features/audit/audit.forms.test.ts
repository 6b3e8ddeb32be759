import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorList } from '../../platform/form-schema.ts';
import { readTrailFilter } from './audit.forms.ts';

/** The problems of a trail request, as the API lists them; [] when its filters were accepted. */
async function problems(query: Record<string, string | string[]>) {
  const read = await readTrailFilter(query);
  return read.failure ? errorList(read.failure.errors) : [];
}

describe('the trail filter form', () => {
  it('reads the filters of the page and of a script alike', async () => {
    const page = await readTrailFilter({
      person: '12',
      type: ' evidence ',
      'from-day': '1',
      'from-month': '7',
      'from-year': '2026',
      page: '2',
    });
    assert.deepEqual(page.filter, {
      person: 12,
      organisation: null,
      type: 'evidence',
      action: null,
      from: '2026-07-01',
      to: null,
      page: 2,
    });
    const script = await readTrailFilter({ organisation: '3', from: '2026-09-01', to: '2026-09-30', page: 'x' });
    assert.deepEqual(script.filter, {
      person: null,
      organisation: 3,
      type: null,
      action: null,
      from: '2026-09-01',
      to: '2026-09-30',
      page: 1,
    });
    assert.deepEqual((await readTrailFilter({})).filter, {
      person: null,
      organisation: null,
      type: null,
      action: null,
      from: null,
      to: null,
      page: 1,
    });
  });

  it('explains every problem, in the order of the form', async () => {
    assert.deepEqual(
      await problems({ to: '2026-02-30', person: 'Nia', 'from-day': '1', 'from-year': '2026', organisation: '0' }),
      [
        { field: 'person', message: 'Select a person from the list' },
        { field: 'organisation', message: 'Select an organisation from the list' },
        { field: 'from', message: 'The date to show from must include a month' },
        { field: 'to', message: 'The date to show up to must be a real date, for example 2027-03-31' },
      ],
    );
    assert.deepEqual(await problems({ from: '2026-08-02', 'to-day': '1', 'to-month': '8', 'to-year': '2026' }), [
      { field: 'to', message: 'The date to show up to must be the same as or after the date to show from' },
    ]);
    assert.deepEqual(await problems({ action: 'x'.repeat(201), person: '2147483648' }), [
      { field: 'person', message: 'Select a person from the list' },
      { field: 'action', message: 'Select what happened from the list' },
    ]);
  });

  it('reads the first of a repeated parameter, and a blank date as its boxes', async () => {
    const read = await readTrailFilter({
      person: ['4', '5'],
      from: '',
      'from-day': '2',
      'from-month': '3',
      'from-year': '2026',
    });
    assert.ok(read.filter, 'the filters are accepted');
    assert.equal(read.filter.person, 4);
    assert.equal(read.filter.from, '2026-03-02');
  });
});
