import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastingAssurance, type LastingAssuranceInput } from './lasting-assurance.ts';

const base: LastingAssuranceInput = {
  scale: 'BRAG',
  agreed: 'blue',
  agreedAt: '2016-03-01T10:00:00Z',
  reassuranceDueOn: '2016-09-30',
  acceptedEvidenceDates: ['2016-02-20'],
  staleDays: 90,
  today: '2016-10-05',
};

test('an action agreed complete whose due day passed without fresh accepted evidence has lapsed', () => {
  assert.equal(lastingAssurance(base), 'lapsed');
  assert.equal(lastingAssurance({ ...base, today: '2016-09-30' }), 'due', 'the due day itself is not yet lapsed');
});

test('fresh evidence is accepted evidence dated after completion and within the window before the due day', () => {
  assert.equal(lastingAssurance({ ...base, acceptedEvidenceDates: ['2016-02-20', '2016-08-15'] }), 'held');
  assert.equal(
    lastingAssurance({ ...base, acceptedEvidenceDates: ['2016-10-02'] }),
    'held',
    'late evidence still counts',
  );
  assert.equal(
    lastingAssurance({ ...base, acceptedEvidenceDates: ['2016-04-01'] }),
    'lapsed',
    'evidence long before the due day is not the re-audit',
  );
});

test('only an agreed completion counts; one without a due day is listed', () => {
  assert.equal(lastingAssurance({ ...base, agreed: 'green' }), 'not_complete');
  assert.equal(lastingAssurance({ ...base, agreed: null }), 'not_complete');
  assert.equal(lastingAssurance({ ...base, scale: 'RAG', agreed: 'green' }), 'lapsed', 'Green completes a RAG plan');
  assert.equal(lastingAssurance({ ...base, reassuranceDueOn: null }), 'no_date');
});
