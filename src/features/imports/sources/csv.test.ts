import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImportRejected } from '../errors.ts';
import { readCsv } from './csv.ts';

function rowsOf(bytes: Uint8Array): string[][] {
  const [block] = readCsv(bytes).blocks;
  assert.ok(block && block.type === 'table');
  return block.rows.map((r) => r.cells.map((c) => c.text));
}

const utf8 = (text: string) => new TextEncoder().encode(text);

test('comma, semicolon and tab separated files are each read by their delimiter', () => {
  const expected = [
    ['Number', 'Action', 'Lead'],
    ['1.1', 'Train staff, then audit', 'Named GP'],
  ];
  assert.deepEqual(rowsOf(utf8('Number,Action,Lead\n1.1,"Train staff, then audit",Named GP\n')), expected);
  assert.deepEqual(rowsOf(utf8('Number;Action;Lead\r\n1.1;Train staff, then audit;Named GP\r\n')), expected);
  assert.deepEqual(rowsOf(utf8('Number\tAction\tLead\n1.1\tTrain staff, then audit\tNamed GP\n')), expected);
});

const byteOrderMarkDroppedTitle =
  'a byte order mark is dropped and quoted line breaks stay inside their cell; rows are numbered as Excel shows them';
test(byteOrderMarkDroppedTitle, () => {
  const [block] = readCsv(
    utf8('\ufeffAction;Progress\n"Check records:\n• alerts\n• plans";"12/10/16 – started"\n\nAudit;\n'),
  ).blocks;
  assert.ok(block && block.type === 'table');
  assert.deepEqual(
    block.rows.map((r) => [r.source, r.cells.map((c) => c.text)]),
    [
      ['row 1', ['Action', 'Progress']],
      ['row 2', ['Check records:\n• alerts\n• plans', '12/10/16 – started']],
      ['row 4', ['Audit', '']],
    ],
  );
});

test('Windows-1252 and UTF-16 files are decoded', () => {
  // "£200 – cover" in Windows-1252: £ is A3, the en dash 96.
  const windows = new Uint8Array([...utf8('Cost\n'), 0xa3, 0x32, 0x30, 0x30, 0x20, 0x96, 0x20, ...utf8('cover\n')]);
  assert.deepEqual(rowsOf(windows), [['Cost'], ['£200 – cover']]);
  const text = 'Action,Lead\nTrain staff,Named GP\n';
  const utf16 = new Uint8Array(2 + text.length * 2);
  utf16.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) utf16[2 + i * 2] = text.charCodeAt(i);
  assert.deepEqual(rowsOf(utf16), [
    ['Action', 'Lead'],
    ['Train staff', 'Named GP'],
  ]);
});

test('an empty file or one that is not text is refused with a message saying what to do', () => {
  for (const bytes of [utf8(''), utf8('  \n \n'), new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x08, 0])]) {
    assert.throws(
      () => readCsv(bytes),
      (error: unknown) => error instanceof ImportRejected && /CSV/.test(error.message),
    );
  }
});
