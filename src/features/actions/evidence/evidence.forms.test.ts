import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormInvalid, parseForm } from '../../../platform/form-schema.ts';
import type { UploadedFile } from '../../../platform/http/form-bodies.ts';
import { decisionForm, evidenceForm, type CheckedEvidenceFile, type EvidenceRules } from './evidence.forms.ts';

const GOOD: CheckedEvidenceFile = {
  checked: { mediaType: 'application/pdf', extension: 'pdf', kindLabel: 'PDF', fileName: 'audit.pdf' },
  bytes: Buffer.from('%PDF-1.4'),
};
const rules: EvidenceRules = {
  today: '2026-11-23',
  checkFile: (sent) => Promise.resolve(sent.fileName === 'audit.pdf' ? GOOD : 'The selected file is not a PDF'),
};
const upload = (fileName: string): UploadedFile => ({
  fileName,
  declaredType: 'application/pdf',
  bytes: Buffer.from('bytes'),
  truncated: false,
});
const boxes = (name: string, day: string, month: string, year: string) => ({
  [`${name}-day`]: day,
  [`${name}-month`]: month,
  [`${name}-year`]: year,
});

/** The problems a body is refused with, in the order the error summary lists them. */
async function problems(schema: Parameters<typeof parseForm>[0], body: unknown) {
  try {
    await parseForm(schema, body);
  } catch (error) {
    if (error instanceof FormInvalid) return Object.entries(error.errors.fields);
    throw error;
  }
  assert.fail('the form was taken');
}

test('a link from the page: the address made safe, its date from three boxes, no file or note', async () => {
  const command = await parseForm(evidenceForm(rules), {
    _csrf: 'token',
    kind: 'link',
    title: ' Safeguarding policy ',
    url: 'https://www.example.nhs.uk/policy?v=2',
    note: 'typed before choosing a link',
    ...boxes('effectiveOn', '1', '11', '2026'),
    ...boxes('periodStart', '1', '11', '2026'),
  });
  assert.deepEqual(command, {
    kind: 'link',
    title: 'Safeguarding policy',
    effectiveOn: '2026-11-01',
    periodStart: null,
    url: 'https://www.example.nhs.uk/policy?v=2',
    note: null,
    file: null,
  });
});

test('a file from JSON dates: the checked file, and the period it covers', async () => {
  const command = await parseForm(evidenceForm(rules), {
    kind: 'file',
    title: 'Audit',
    effectiveOn: '2026-09-30',
    periodStart: '2026-07-01',
    file: upload('audit.pdf'),
  });
  assert.equal(command.file, GOOD);
  assert.deepEqual([command.periodStart, command.effectiveOn], ['2026-07-01', '2026-09-30']);
});

test('each kind needs its own field, and a file is judged by its check only when the evidence is a file', async () => {
  const form = evidenceForm(rules);
  const dated = { title: 'T', effectiveOn: '2026-11-01' };
  assert.deepEqual(await problems(form, { ...dated, kind: 'file' }), [['file', 'Select a file to upload']]);
  assert.deepEqual(await problems(form, { ...dated, kind: 'file', file: upload('x.pdf') }), [
    ['file', 'The selected file is not a PDF'],
  ]);
  assert.deepEqual(await problems(form, { ...dated, kind: 'note', note: ' ' }), [['note', 'Enter the note']]);
  assert.deepEqual(await problems(form, { ...dated, kind: 'link', url: 'javascript:alert(1)' }), [
    ['url', 'Enter a web address that starts with https:// or http://, like https://www.example.nhs.uk/audit-report'],
  ]);
  const link = await parseForm(form, { ...dated, kind: 'link', url: 'http://example.org', file: upload('x.pdf') });
  assert.equal(link.file, null, 'a file left chosen on the page is ignored for a link');
});

test('every problem at once, in the order of the form', async () => {
  assert.deepEqual(
    await problems(evidenceForm(rules), {
      kind: 'video',
      title: '',
      effectiveOn: '23/11/2026',
      ...boxes('periodStart', '1', '12', '2026'),
    }),
    [
      ['kind', 'Select whether the evidence is a file, a link or a note'],
      ['title', 'Enter a title for the evidence'],
      [
        'effectiveOn',
        'Enter the date the evidence is from as a real date in the form YYYY-MM-DD, for example 2027-03-31',
      ],
      ['periodStart', 'The date the period starts must be today or in the past'],
    ],
  );
  assert.deepEqual(
    await problems(evidenceForm(rules), {
      kind: 'note',
      note: 'N',
      title: 'T',
      effectiveOn: '2026-10-01',
      periodStart: '2026-10-02',
    }),
    [['periodStart', 'The first day of the period must be on or before the date the evidence is from']],
  );
});

test('a decision: the status, a reason only with a rejection, and the version it was opened at', async () => {
  assert.deepEqual(await parseForm(decisionForm, { decision: 'accept', reason: 'kept?', version: '2' }), {
    status: 'accepted',
    reason: null,
    version: 2,
  });
  assert.deepEqual(await parseForm(decisionForm, { decision: 'reject', reason: ' Too old. ', version: 3 }), {
    status: 'rejected',
    reason: 'Too old.',
    version: 3,
  });
  assert.deepEqual(await problems(decisionForm, { decision: 'reject', reason: ' ', version: '1' }), [
    ['reason', 'Enter why the evidence is rejected'],
  ]);
  assert.deepEqual(await problems(decisionForm, { version: '1' }), [
    ['decision', 'Select whether to accept or reject the evidence'],
  ]);
  assert.deepEqual(await problems(decisionForm, { decision: 'accept' }), [
    ['decision', 'The form is missing the version of the evidence it was opened at. Reload the page and try again.'],
  ]);
});
