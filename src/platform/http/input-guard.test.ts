import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containsNul } from './input-guard.ts';

test('finds NUL in any text of a parsed body, and only in text', () => {
  assert.equal(containsNul({ a: ['x', { b: 'y\u0000' }] }), true);
  assert.equal(containsNul({ ['k\u0000']: 'v' }), true);
  assert.equal(containsNul({ a: 'x', n: 3, t: true, none: null }), false);
  // A file's bytes may hold anything.
  assert.equal(containsNul({ file: { bytes: Buffer.from([0, 1, 2]) } }), false);
});

// Walking each part's pointer back to the form again and again would never end: the timeout turns that into a failure.
test('reads a multipart form, whose parts point back at the whole form, each part once', { timeout: 10_000 }, () => {
  const form: Record<string, unknown> = {};
  for (let i = 0; i < 20; i += 1) {
    form[`field${i}`] = { fieldname: `field${i}`, type: 'field', value: 'text', fields: form };
  }
  assert.equal(containsNul(form), false);
  form.note = { fieldname: 'note', type: 'field', value: 'a\u0000b', fields: form };
  assert.equal(containsNul(form), true);
  form.upload = { fieldname: 'upload', filename: 'a\u0000.pdf', value: { bytes: Buffer.alloc(1) }, fields: form };
  delete form.note;
  assert.equal(containsNul(form), true);
});
